// Whether a chunk of a message can go into SMTP's DATA exactly as it is: nodemailer's DataStream
// would neither stuff a dot nor repair a line end in it. Our messages always qualify (lines end in
// CRLF, and quoted-printable encodes a '.' that starts a line), so the pool sends them without
// nodemailer's byte-by-byte pass (src/adapters/smtp-pool.ts). The checks use Buffer.indexOf, which
// runs natively: ~one comparison per line instead of a JavaScript step per byte.
//
// A message joined from pieces can be judged piece by piece (piecesPassUnchanged): each piece on
// its own plus the bytes where two pieces meet. The MIME template checks its static pieces once per
// variant and only the few small per-subscriber pieces per message, then marks the joined buffer
// (markPassesUnchanged) so the pool need not scan its ~37 KB again.

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
  if (!meetsCleanly(prev, first)) return false;
  for (let i = buf.indexOf(LF); i !== -1; i = buf.indexOf(LF, i + 1)) {
    if ((i === 0 ? prev : buf[i - 1]) !== CR || buf[i + 1] === DOT) return false;
  }
  for (let i = buf.indexOf(CR); i !== -1; i = buf.indexOf(CR, i + 1)) {
    if (i + 1 < buf.length && buf[i + 1] !== LF) return false;
  }
  return true;
}

/** Whether byte `next` may follow byte `prev` (`false`: the start of the message) unchanged. */
function meetsCleanly(prev: number | false, next: number): boolean {
  if (prev === CR) return next === LF;
  if (next === LF) return false;
  return next !== DOT || (prev !== false && prev !== LF);
}

/**
 * Whether a piece passes unchanged wherever it is placed, apart from its first byte's relation to
 * the byte before it (which piecesPassUnchanged checks where the pieces meet). For static pieces,
 * checked once.
 */
export function passesUnchangedInside(piece: Uint8Array): boolean {
  return piece.length <= 1 || passesUnchanged(piece.subarray(1), piece[0]!);
}

/**
 * Whether the pieces, sent one after another from the start of a message, pass unchanged.
 * `checked[i]` says piece i already passed passesUnchangedInside; the others are scanned here.
 */
export function piecesPassUnchanged(pieces: readonly Uint8Array[], checked: (i: number) => boolean): boolean {
  let prev: number | false = false;
  for (let i = 0; i < pieces.length; i++) {
    const p = pieces[i]!;
    if (p.length === 0) continue;
    if (!meetsCleanly(prev, p[0]!)) return false;
    if (!checked(i) && !passesUnchangedInside(p)) return false;
    prev = p[p.length - 1]!;
  }
  return true;
}

// Buffers proven clean when they were built. Keyed by the Buffer object: a later view of the same
// memory is a different object and is not trusted until it is proven and marked itself.
const proven = new WeakSet<Uint8Array>();

/** Records that `buf`, sent from the start of a message, passes unchanged. Only for buffers that were proven so. */
export function markPassesUnchanged(buf: Uint8Array): void {
  proven.add(buf);
}

/** Whether `buf` was marked by markPassesUnchanged. */
export function markedPassesUnchanged(buf: Uint8Array): boolean {
  return proven.has(buf);
}
