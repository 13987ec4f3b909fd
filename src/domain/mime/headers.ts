// Header values for mail we compose ourselves: RFC 2047 encoded words for non-ASCII text, folding
// at 78 characters where possible, and no CR/LF from any value that came from outside.

/** Longest header line we aim for (RFC 5322 §2.1.1 SHOULD); 998 is the hard limit. */
const FOLD_AT = 78;
/** Bytes of UTF-8 per encoded word: base64 of 45 bytes is 60 characters, `=?UTF-8?B?…?=` adds 12. */
const WORD_BYTES = 45;

const utf8 = new TextEncoder();

/** Removes CR, LF and other control characters that could end a header or smuggle a new one. */
export function stripControls(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
}

const isPlainAscii = (s: string) => /^[\x20-\x7e]*$/.test(s);

/** Splits into encoded words of whole code points, each at most 75 characters, joined by folds. */
export function encodeWords(value: string): string {
  const words: number[][] = [];
  let current: number[] = [];
  for (const ch of value) {
    const b = utf8.encode(ch);
    if (current.length + b.length > WORD_BYTES && current.length > 0) {
      words.push(current.slice());
      current = [];
    }
    for (const x of b) current.push(x);
  }
  if (current.length > 0) words.push(current);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w).toString('base64')}?=`).join('\r\n ');
}

/**
 * Unstructured text (Subject): kept as is when printable ASCII, folded at spaces when long, and
 * RFC 2047-encoded when it holds non-ASCII or something that looks like an encoded word.
 */
export function encodeUnstructured(name: string, value: string): string {
  const v = stripControls(value);
  if (!isPlainAscii(v) || v.includes('=?')) return `${name}: ${encodeWords(v)}`;
  return fold(`${name}: ${v}`);
}

/**
 * Folds a header line before single spaces so lines stay under 78 characters where a space allows
 * it. Readers unfold by dropping the CRLF but may squeeze the whitespace after it, so a run of
 * spaces is never cut.
 */
export function fold(line: string): string {
  if (line.length <= FOLD_AT) return line;
  const start = line.indexOf(':') + 2;
  const out: string[] = [];
  let lineStart = 0;
  let lastCut = -1;
  for (let i = start; i < line.length; i++) {
    if (line[i] === ' ' && line[i - 1] !== ' ' && line[i + 1] !== ' ' && i + 1 < line.length) {
      if (i - lineStart > FOLD_AT && lastCut > lineStart) {
        out.push(line.slice(lineStart, lastCut));
        lineStart = lastCut;
      }
      lastCut = i;
    }
  }
  if (line.length - lineStart > FOLD_AT && lastCut > lineStart) {
    out.push(line.slice(lineStart, lastCut));
    lineStart = lastCut;
  }
  out.push(line.slice(lineStart));
  return out.join('\r\n');
}

/** A mailbox: display name (optional) and address. */
export interface Mailbox {
  name?: string;
  address: string;
}

/** Parses `Name <addr>`, `"Name" <addr>` or a bare `addr` as written in config. */
export function parseMailbox(value: string): Mailbox {
  const v = stripControls(value);
  const m = /^(.*?)\s*<([^<>]+)>$/.exec(v);
  if (!m) return { address: cleanAddress(v) };
  let name = m[1]!.trim();
  if (name.startsWith('"') && name.endsWith('"') && name.length >= 2) name = name.slice(1, -1).replace(/\\(.)/g, '$1');
  return name ? { name, address: cleanAddress(m[2]!) } : { address: cleanAddress(m[2]!) };
}

/** An address as it may appear inside `<…>`: no whitespace, controls or angle brackets. */
export function cleanAddress(address: string): string {
  // eslint-disable-next-line no-control-regex
  return address.replace(/[\s<>\u0000-\u001f\u007f]+/g, '');
}

/** `Name <addr>` with the name quoted, or encoded when non-ASCII or long; bare `<addr>` without one. */
export function formatMailbox(box: Mailbox): string {
  const address = cleanAddress(box.address);
  const name = box.name ? stripControls(box.name) : '';
  if (!name) return `<${address}>`;
  if (isPlainAscii(name) && !name.includes('=?') && name.length <= 60) {
    return `"${name.replace(/(["\\])/g, '\\$1')}" <${address}>`;
  }
  return `${encodeWords(name)}\r\n <${address}>`;
}

/** A URL inside `<…>` in a header: controls, spaces and `<>` removed, non-ASCII percent-encoded. */
export function cleanHeaderUrl(url: string): string {
  // eslint-disable-next-line no-control-regex
  return url.replace(/[\s<>\u0000-\u001f\u007f]+/g, '').replace(/[^\x21-\x7e]+/gu, (s) => encodeURI(s));
}

/**
 * `<url>` for List-Unsubscribe. RFC 2369 lets whitespace inside the brackets be ignored, so an
 * over-long URL is folded inside them rather than breaking the 998-octet line limit.
 */
export function formatAngleUrl(url: string, maxLine = 900): string {
  const clean = cleanHeaderUrl(url);
  if (clean.length <= maxLine) return `<${clean}>`;
  const parts: string[] = [];
  for (let i = 0; i < clean.length; i += maxLine) parts.push(clean.slice(i, i + maxLine));
  return `<${parts.join('\r\n ')}>`;
}

/** `<id@domain>` for Message-ID, from an id given with or without brackets. */
export function formatMessageId(id: string): string {
  const clean = id.replace(/[\s<>\u0000-\u001f\u007f]+/g, '');
  return `<${clean}>`;
}

/** RFC 5322 date in UTC, e.g. `Sat, 14 Mar 2026 07:00:00 +0000`. */
export function formatDate(d: Date): string {
  return d.toUTCString().replace(/GMT$/, '+0000');
}
