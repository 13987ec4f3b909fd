// Whether a chunk of a message can go into SMTP's DATA exactly as it is: nodemailer's DataStream
// would neither stuff a dot nor repair a line end in it. Our messages always qualify (lines end in
// CRLF, and quoted-printable encodes a '.' that starts a line), so the pool sends them without
// nodemailer's byte-by-byte pass (src/adapters/smtp-pool.ts). The checks use Buffer.indexOf, which
// runs natively: ~one comparison per line instead of a JavaScript step per byte.

import { CR, DOT, LF } from '../ascii.js';

/**
 * True when DataStream would pass `chunk` through unchanged, given the byte sent before it
 * (`false` at the start of the message): no '.' starts a line, every LF follows a CR, and every CR
 * is followed by an LF (a CR at the very end is judged with the next chunk, as DataStream does).
 */
export function passesUnchanged(chunk: Uint8Array, prev: number | false): boolean {
  const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
  if (buf.length === 0) return true;
  const first = buf[0]!;
  if (prev === CR && first !== LF) return false;
  if (first === DOT && (prev === false || prev === LF)) return false;
  for (let i = buf.indexOf(LF); i !== -1; i = buf.indexOf(LF, i + 1)) {
    if ((i === 0 ? prev : buf[i - 1]) !== CR || buf[i + 1] === DOT) return false;
  }
  for (let i = buf.indexOf(CR); i !== -1; i = buf.indexOf(CR, i + 1)) {
    if (i + 1 < buf.length && buf[i + 1] !== LF) return false;
  }
  return true;
}
