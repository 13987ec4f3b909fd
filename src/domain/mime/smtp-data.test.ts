import DataStream from 'nodemailer/lib/smtp-connection/data-stream';
import { describe, expect, it } from 'vitest';
import { seeded } from '../seeded-random.js';
import { markedPassesUnchanged, markPassesUnchanged, passesUnchanged, passesUnchangedInside, piecesPassUnchanged } from './smtp-data.js';

/** What nodemailer's DataStream makes of each chunk written in turn (its own transform, run directly). */
function transformed(chunks: Buffer[]): Buffer[] {
  const ds = new DataStream() as DataStream & { _transform(c: Buffer, e: string, cb: () => void): void };
  return chunks.map((c) => {
    const got: Buffer[] = [];
    ds.push = (b: Buffer) => (got.push(b), true);
    ds._transform(c, 'buffer', () => undefined);
    return Buffer.concat(got);
  });
}

describe('passesUnchanged', () => {
  it('agrees with nodemailer DataStream on random chunks of CR, LF, dots and letters', () => {
    const rand = seeded(11);
    const alphabet = [0x0d, 0x0a, 0x2e, 0x61, 0x0d, 0x0a];
    let unchanged = 0;
    for (let n = 0; n < 3000; n++) {
      const len = 1 + Math.floor(rand() * 12);
      const chunk = Buffer.from(Array.from({ length: len }, () => alphabet[Math.floor(rand() * alphabet.length)]!));
      const prevChunk = rand() < 0.5 ? Buffer.alloc(0) : Buffer.from([alphabet[Math.floor(rand() * alphabet.length)]!]);
      const prev = prevChunk.length ? prevChunk[0]! : false;
      const out = transformed(prevChunk.length ? [prevChunk, chunk] : [chunk]);
      const sameBytes = out[out.length - 1]!.equals(chunk);
      expect(passesUnchanged(chunk, prev), `${JSON.stringify(chunk.toString())} after ${JSON.stringify(prevChunk.toString())}`).toBe(sameBytes);
      if (sameBytes) unchanged++;
    }
    expect(unchanged).toBeGreaterThan(100);
  });

  it('accepts a message built like ours and refuses the ones DataStream would change', () => {
    expect(passesUnchanged(Buffer.from('Subject: x\r\n\r\n=2Emj-column { width: 100% }\r\nok=\r\n'), false)).toBe(true);
    expect(passesUnchanged(Buffer.from('Subject: x\r\n\r\n.mj-column\r\n'), false)).toBe(false);
    expect(passesUnchanged(Buffer.from('.starts'), false)).toBe(false);
    expect(passesUnchanged(Buffer.from('bare\nfeed\r\n'), false)).toBe(false);
    expect(passesUnchanged(Buffer.from('bare\rreturn'), false)).toBe(false);
    expect(passesUnchanged(Buffer.from('\nafter a CR'), 0x0d)).toBe(true);
  });

  it('judges pieces joined from the start of a message as it judges their concatenation', () => {
    const rand = seeded(12);
    const alphabet = [0x0d, 0x0a, 0x2e, 0x61, 0x62];
    let clean = 0;
    for (let n = 0; n < 3000; n++) {
      const pieces = Array.from({ length: 1 + Math.floor(rand() * 5) }, () =>
        Buffer.from(Array.from({ length: Math.floor(rand() * 5) }, () => alphabet[Math.floor(rand() * alphabet.length)]!)),
      );
      // Pieces checked beforehand are only trusted when they really pass on their own.
      const checked = pieces.map((p) => rand() < 0.5 && passesUnchangedInside(p));
      const whole = passesUnchanged(Buffer.concat(pieces), false);
      expect(piecesPassUnchanged(pieces, (i) => checked[i]!), JSON.stringify(pieces.map(String))).toBe(whole);
      if (whole) clean++;
    }
    expect(clean).toBeGreaterThan(100);
  });

  it('remembers a buffer marked clean, and not another view of the same memory', () => {
    const buf = Buffer.from('Subject: x\r\n\r\nhi\r\n');
    expect(markedPassesUnchanged(buf)).toBe(false);
    markPassesUnchanged(buf);
    expect(markedPassesUnchanged(buf)).toBe(true);
    expect(markedPassesUnchanged(buf.subarray(0))).toBe(false);
  });
});
