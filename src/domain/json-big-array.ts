// JSON.parse for a file that is one object holding one large array, like subscribers.json
// (`{"subscribers": [ {...}, {...} ]}`), without ever making the whole file one string. V8 keeps a
// string with any character beyond Latin-1 (a subscriber called "Łukasz" or "王芳") at two bytes per
// character, so a 27 MB file of 100,000 subscribers was a 54 MB string alive next to its 46 MB
// parsed tree: the peak of a whole send. Here the bytes are scanned for the array's elements and each element is parsed
// from its own small slice. Anything unexpected returns undefined and the caller parses the whole
// text as before, which also gives JSON.parse's own error messages.

import { BACKSLASH, CLOSE_BRACE as CLOSE_OBJECT, CLOSE_BRACKET as CLOSE_ARRAY, COLON, COMMA, OPEN_BRACE as OPEN_OBJECT, OPEN_BRACKET as OPEN_ARRAY, QUOTE, isJsonSpace as isSpace } from './ascii.js';

/** Index just past the string whose opening quote is at `i`, or -1 if it never closes. */
function stringEnd(buf: Buffer, i: number): number {
  for (let j = i + 1; j < buf.length; j++) {
    const b = buf[j];
    if (b === BACKSLASH) j++;
    else if (b === QUOTE) return j + 1;
  }
  return -1;
}

/** An element of the array that is not valid JSON: where it starts, and JSON.parse's complaint. */
export interface BadElement {
  index: number;
  /** Byte offset in the buffer where the element's text (after the comma or bracket) starts. */
  byteOffset: number;
  /** The element's text, whitespace included: JSON.parse's positions count from its start. */
  text: string;
  message: string;
}

class BadElementError extends Error {
  constructor(readonly bad: BadElement) {
    super(bad.message);
  }
}

export type BigArrayResult = { data: Record<string, unknown> } | { bad: BadElement };

/**
 * The parsed object, with `key`'s array parsed element by element (each passed through
 * `mapElement` as soon as it is parsed, e.g. to validate it while the raw copy is young), or the
 * first element that does not parse; undefined when the bytes are not an object with exactly one
 * `key` holding an array (the caller then parses the text as a whole).
 */
export function parseObjectWithBigArray(buf: Buffer, key: string, mapElement: (value: unknown) => unknown = (v) => v): BigArrayResult | undefined {
  // Decoded as readFile(path, 'utf8') would (invalid bytes become U+FFFD), one slice at a time.
  const text = (from: number, to: number) => buf.toString('utf8', from, to);
  let start = 0;
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) start = 3; // BOM
  const wanted = JSON.stringify(key);
  let depth = 0;
  let lastString: [number, number] | undefined; // the latest string at depth 1 (a key, if a colon follows)
  let arrayOpen = -1;
  let arrayClose = -1;
  const elements: unknown[] = [];
  try {
    for (let i = start; i < buf.length; i++) {
      const b = buf[i]!;
      if (b === QUOTE) {
        const end = stringEnd(buf, i);
        if (end < 0) return undefined;
        if (depth === 1) lastString = [i, end];
        i = end - 1;
        continue;
      }
      if (b === OPEN_OBJECT || b === OPEN_ARRAY) {
        if (depth === 0 && b !== OPEN_OBJECT) return undefined;
        depth++;
        if (depth === 2 && b === OPEN_ARRAY && lastString && isKeyBefore(buf, lastString[1], i) && text(lastString[0], lastString[1]) === wanted) {
          if (arrayOpen >= 0) return undefined; // the key twice: JSON.parse would keep the last
          arrayOpen = i;
          arrayClose = parseElements(buf, i, elements, text, mapElement);
          if (arrayClose < 0) return undefined;
          depth--;
          i = arrayClose;
        }
        continue;
      }
      if (b === CLOSE_OBJECT || b === CLOSE_ARRAY) depth--;
    }
    if (arrayOpen < 0) return undefined;
    // Everything around the array (other keys, and the check that the whole is valid JSON) is small.
    const rest = JSON.parse(text(start, arrayOpen) + '[]' + text(arrayClose + 1, buf.length)) as unknown;
    if (!rest || typeof rest !== 'object' || Array.isArray(rest)) return undefined;
    (rest as Record<string, unknown>)[key] = elements;
    return { data: rest as Record<string, unknown> };
  } catch (e) {
    return e instanceof BadElementError ? { bad: e.bad } : undefined;
  }
}

/** True when only whitespace and one colon lie between a string ending at `from` and index `to`. */
function isKeyBefore(buf: Buffer, from: number, to: number): boolean {
  let colons = 0;
  for (let j = from; j < to; j++) {
    if (buf[j] === COLON) colons++;
    else if (!isSpace(buf[j]!)) return false;
  }
  return colons === 1;
}

/**
 * Parses the elements of the array opening at `open` into `out`; returns the index of its closing
 * bracket, or -1. An element is the bytes between commas at the array's own depth.
 */
function parseElements(buf: Buffer, open: number, out: unknown[], text: (a: number, b: number) => string, map: (value: unknown) => unknown): number {
  let depth = 0;
  let from = open + 1;
  for (let i = open + 1; i < buf.length; i++) {
    const b = buf[i]!;
    if (b === QUOTE) {
      const end = stringEnd(buf, i);
      if (end < 0) return -1;
      i = end - 1;
    } else if (b === OPEN_OBJECT || b === OPEN_ARRAY) depth++;
    else if (depth > 0 && (b === CLOSE_OBJECT || b === CLOSE_ARRAY)) depth--;
    else if (depth === 0 && (b === COMMA || b === CLOSE_ARRAY)) {
      const slice = text(from, i);
      if (b === CLOSE_ARRAY && out.length === 0 && slice.trim() === '') return i; // []
      let value: unknown;
      try {
        value = JSON.parse(slice);
      } catch (e) {
        throw new BadElementError({ index: out.length, byteOffset: from, text: slice, message: (e as Error).message });
      }
      out.push(map(value));
      if (b === CLOSE_ARRAY) return i;
      from = i + 1;
    } else if (depth === 0 && b === CLOSE_OBJECT) return -1;
  }
  return -1;
}
