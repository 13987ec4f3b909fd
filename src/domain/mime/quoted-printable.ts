// Quoted-printable (RFC 2045 §6.7) for text bodies, written so that independently encoded pieces
// can be concatenated: every piece starts at column 0 and ends either right after a hard line
// break or with a soft line break (`=\r\n`). That lets a variant's static chunks be encoded once
// and only the few per-subscriber values be encoded at send time.

import { CR, DOT, EQ, LF, SP, TAB } from '../ascii.js';

const HEX = '0123456789ABCDEF';
/** Encoded lines hold at most 75 characters before the `=` of a soft break (76 in all). */
const MAX_LINE = 75;

const utf8 = new TextEncoder();
const ascii = new TextDecoder();


export interface QpPieceOptions {
  /** The last piece of a body: no soft break at its end. Default false. */
  final?: boolean;
}

/**
 * Encodes one piece of a text body. Line breaks (`\n` or `\r\n`) become hard CRLF breaks; a lone
 * `\r` is kept as `=0D`. Whitespace before a break or at the end of the piece is encoded, so no
 * encoded line ends in whitespace; a `.` at the start of a line is encoded too (SMTP dot-stuffing
 * is then never needed for body lines). No output line exceeds 76 characters, and the encoding of
 * one code point is never split across lines.
 */
export function encodeQpPiece(text: string, opts: QpPieceOptions = {}): string {
  return ascii.decode(encodeQpBytes(text, opts));
}

// Byte classes, looked up once per input byte (the encoder runs over every variant's ~100 KB).
const LITERAL = 0;
const ESCAPE = 1;
const SPACE = 2;
const BREAK_CR = 3;
const BREAK_LF = 4;
/** A dot is literal except at the start of a line: kept out of LITERAL so literal runs need one test. */
const DOT_CLASS = 5;
const CLASS = new Uint8Array(256).fill(ESCAPE);
for (let b = 33; b <= 126; b++) CLASS[b] = LITERAL;
CLASS[EQ] = ESCAPE;
CLASS[DOT] = DOT_CLASS;
CLASS[SP] = SPACE;
CLASS[TAB] = SPACE;
CLASS[CR] = BREAK_CR;
CLASS[LF] = BREAK_LF;
const HI = new Uint8Array(256);
const LO = new Uint8Array(256);
for (let b = 0; b < 256; b++) {
  HI[b] = HEX.charCodeAt(b >> 4);
  LO[b] = HEX.charCodeAt(b & 15);
}

// Scratch space reused across calls (the result is copied out): a variant's ~100 KB would otherwise
// allocate and zero-fill ~400 KB per piece.
let inScratch = new Uint8Array(1 << 16);
let outScratch = new Uint8Array(1 << 18);

/** encodeQpPiece as bytes (ASCII), for splicing into a Buffer without string conversions. */
export function encodeQpBytes(text: string, opts: QpPieceOptions = {}): Uint8Array {
  if (text === '') return new Uint8Array(0);
  // A UTF-16 code unit becomes at most 3 bytes of UTF-8.
  if (inScratch.length < text.length * 3) inScratch = new Uint8Array(text.length * 3);
  const n = utf8.encodeInto(text, inScratch).written;
  const bytes = inScratch;
  // Worst case: every byte escaped (3x) plus a soft break (3 bytes) per 25 escaped bytes, plus the tail.
  const need = n * 3 + Math.ceil(n / 25) * 3 + 8;
  if (outScratch.length < need) outScratch = new Uint8Array(need);
  const out = outScratch;
  let o = 0;
  let col = 0;
  let i = 0;
  while (i < n) {
    const b = bytes[i]!;
    const cls = CLASS[b]!;
    if (cls === LITERAL) {
      // Most bytes: a run of printable ASCII, copied up to the end of the line with one class test
      // per byte (~20% faster than a byte at a time through the whole loop).
      if (col === MAX_LINE) {
        out[o++] = EQ;
        out[o++] = CR;
        out[o++] = LF;
        col = 0;
      }
      const end = Math.min(n, i + MAX_LINE - col);
      const start = i;
      do out[o++] = bytes[i++]!;
      while (i < end && CLASS[bytes[i]!] === LITERAL);
      col += i - start;
      continue;
    }
    if (cls === BREAK_LF || (cls === BREAK_CR && i + 1 < n && bytes[i + 1] === LF)) {
      out[o++] = CR;
      out[o++] = LF;
      col = 0;
      i += cls === BREAK_CR ? 2 : 1;
      continue;
    }
    // How many bytes form this token (a whole UTF-8 sequence stays on one line), and is it escaped?
    let len = 1;
    let escape = true;
    if (b >= 0x80) {
      len = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
      if (i + len > n) len = n - i;
    } else if (cls === SPACE) {
      // Whitespace stays literal unless a line break or the end of the piece follows it.
      if (i + 1 < n) {
        const next = bytes[i + 1]!;
        escape = next === LF || (next === CR && i + 2 < n && bytes[i + 2] === LF);
      }
    } else if (cls === DOT_CLASS) {
      escape = false;
    }
    const width = escape ? 3 * len : 1;
    if (col + width > MAX_LINE) {
      out[o++] = EQ;
      out[o++] = CR;
      out[o++] = LF;
      col = 0;
    }
    // A dot opening a line is escaped so no line of the body starts with one.
    if (b === DOT && col === 0) escape = true;
    if (escape) {
      for (let k = 0; k < len; k++) {
        const c = bytes[i + k]!;
        out[o++] = EQ;
        out[o++] = HI[c]!;
        out[o++] = LO[c]!;
      }
      col += 3 * len;
    } else {
      out[o++] = b;
      col += 1;
    }
    i += len;
  }
  if (!opts.final && col > 0) {
    out[o++] = EQ;
    out[o++] = CR;
    out[o++] = LF;
  }
  return out.slice(0, o);
}

/** Encodes a whole body in one piece (for tests and one-off messages). */
export function encodeQp(text: string): string {
  return encodeQpPiece(text, { final: true });
}

/** Decodes quoted-printable to a string (UTF-8). For tests; mail clients do this on receipt. */
export function decodeQp(encoded: string): string {
  const noSoft = encoded.replace(/=\r\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < noSoft.length; i++) {
    const c = noSoft.charCodeAt(i);
    if (c === EQ && /^[0-9A-F]{2}$/.test(noSoft.slice(i + 1, i + 3))) {
      bytes.push(parseInt(noSoft.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(c);
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}
