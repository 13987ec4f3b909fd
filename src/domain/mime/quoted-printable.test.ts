import { describe, expect, it } from 'vitest';
import { decodeQp, encodeQp, encodeQpPiece } from './quoted-printable.js';
import { randomText, seeded } from './test-strings.js';

const crlf = (s: string) => s.replace(/\r?\n/g, '\r\n');

function checkLines(encoded: string): void {
  // No bare CR or LF, no line over 76, no line ending in whitespace, no line starting with a dot.
  expect(encoded.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  for (const line of encoded.split('\r\n')) {
    expect(line.length).toBeLessThanOrEqual(76);
    expect(line).not.toMatch(/[ \t]$/);
    expect(line.startsWith('.')).toBe(false);
  }
}

describe('encodeQpPiece', () => {
  it('keeps plain ASCII readable and escapes = and non-ASCII', () => {
    expect(encodeQp('a = b')).toBe('a =3D b');
    expect(encodeQp('Schrödinger')).toBe('Schr=C3=B6dinger');
    expect(encodeQp('🐱')).toBe('=F0=9F=90=B1');
  });

  it('turns LF and CRLF into hard breaks and encodes whitespace before them', () => {
    expect(encodeQp('a \nb\t\r\nc ')).toBe('a=20\r\nb=09\r\nc=20');
  });

  it('keeps a lone CR as =0D and a leading dot escaped', () => {
    expect(encodeQp('a\rb')).toBe('a=0Db');
    expect(encodeQp('.\n.x')).toBe('=2E\r\n=2Ex');
  });

  it('ends a non-final piece with a soft break unless it ends at a line start', () => {
    expect(encodeQpPiece('abc')).toBe('abc=\r\n');
    expect(encodeQpPiece('abc\n')).toBe('abc\r\n');
    expect(encodeQpPiece('')).toBe('');
  });

  it('wraps long lines at 76 without splitting an escape or a code point', () => {
    const enc = encodeQp('é'.repeat(100) + 'x'.repeat(200) + '🐱'.repeat(50));
    checkLines(enc);
    // Every line on its own decodes as valid UTF-8: no code point is split by a soft break.
    for (const line of enc.split('\r\n')) {
      expect(decodeQp(line.replace(/=$/, ''))).not.toContain('\ufffd');
    }
    expect(decodeQp(enc)).toBe('é'.repeat(100) + 'x'.repeat(200) + '🐱'.repeat(50));
  });

  it('round-trips random pieces encoded independently and joined', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const rand = seeded(seed);
      const pieces = Array.from({ length: 1 + Math.floor(rand() * 6) }, () => randomText(rand, 40));
      // A CR at the end of one piece and LF at the start of the next would be one break in the
      // original but two after splitting; templates never cut a CRLF, so neither do we.
      for (let i = 0; i < pieces.length - 1; i++) if (pieces[i]!.endsWith('\r')) pieces[i] += 'x';
      const enc = pieces.map((p, i) => encodeQpPiece(p, { final: i === pieces.length - 1 })).join('');
      checkLines(enc);
      expect(decodeQp(enc), `seed ${seed}`).toBe(crlf(pieces.join('')));
    }
  });
});
