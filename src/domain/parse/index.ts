// parseDigest: any supported digest text → the one Digest shape, or a DIGEST_INVALID error that
// names the file, the format tried, the field or line, and what to do. Pure: no I/O, no clock.
import type { Digest, DigestMeta } from '../digest.js';
import { parseArxivAtom } from './arxiv-atom.js';
import { parseHfDaily } from './hf-daily.js';
import { digestError, FORMATS_DOC } from './parse-error.js';
import { parsePaperboyJson } from './paperboy-json.js';
import { sniff, type Sniffed } from './sniff.js';
import { parseTrendingText } from './trending-text.js';

export { detectFormat, sniff } from './sniff.js';

const KNOWN =
  'paperboy reads paperboy JSON, Hugging Face daily papers JSON, the trending-page text and arXiv Atom feeds ' +
  `(see ${FORMATS_DOC})`;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Why JSON that parsed fits no digest format, and what to do about it. */
function unknownJson(value: unknown, file: string): Error {
  const label = 'JSON of no known digest shape';
  if (Array.isArray(value)) {
    if (value.length === 0) return digestError(file, label, {}, 'an empty JSON array: no papers', KNOWN);
    if (isObject(value[0]) && 'title' in value[0]) {
      return digestError(
        file,
        label,
        { field: '[0]' },
        'a bare list of papers, without the day it is for',
        'Wrap it as paperboy JSON: {"date": "YYYY-MM-DD", "papers": [...]}',
      );
    }
    return digestError(
      file,
      label,
      { field: '[0]' },
      'a JSON array whose items are not Hugging Face daily papers items ({"paper": {...}, ...})',
      KNOWN,
    );
  }
  if (isObject(value)) {
    const keys = Object.keys(value);
    const wrapped = keys.find((k) => Array.isArray(value[k]));
    if (wrapped !== undefined) {
      return digestError(
        file,
        label,
        { field: wrapped },
        `an object wrapping a list in "${wrapped}" (keys: ${keys.slice(0, 6).join(', ')}), with no "papers"`,
        'For Hugging Face daily papers save the bare array the API returns; for paperboy JSON use {"date": "YYYY-MM-DD", "papers": [...]}',
      );
    }
    return digestError(file, label, {}, `an object without "papers" (keys: ${keys.slice(0, 6).join(', ') || 'none'})`, KNOWN);
  }
  return digestError(file, label, {}, `a single JSON ${value === null ? 'null' : typeof value}, not a digest`, KNOWN);
}

/** Why a text fits no format (the sniffed kind says what it looked like). */
function unknownFormat(s: Sniffed, file: string): Error {
  switch (s.kind) {
    case 'empty':
      return digestError(file, 'no content', {}, 'the file is empty', `Write or download the digest again; ${KNOWN}`);
    case 'binary':
      return digestError(file, 'not text', {}, 'the file holds NUL bytes, so it is not a text digest', KNOWN);
    case 'bad-json': {
      const where = s.line !== undefined ? { line: s.line } : {};
      if (s.python) {
        return digestError(
          file,
          'read as JSON',
          where,
          "this looks like a Python repr (single quotes, True/False/None), not JSON",
          'Write the file with json.dump(data, f) instead of str(data) or print(data)',
        );
      }
      const col = s.column !== undefined ? ` (column ${s.column})` : '';
      const reason = s.message.replace(/\s+/g, ' ').slice(0, 160);
      return digestError(file, 'read as JSON', where, `not valid JSON: ${reason}${col}`, 'Fix the syntax at that spot');
    }
    case 'xml':
      return digestError(
        file,
        'XML that is not an Atom feed',
        {},
        `the root element is <${s.root ?? '?'}>, not <feed>`,
        'Use an arXiv API response (https://export.arxiv.org/api/query?search_query=...)',
      );
    case 'json':
      return unknownJson(s.value, file);
    case 'text':
      return digestError(
        file,
        'plain text of no known shape',
        { line: 1 },
        'no date line (like "Mar 14") near the top, so this is not a trending-page capture',
        KNOWN,
      );
  }
}

/** Parses a digest in any supported format, detected from the content. Throws DIGEST_INVALID. */
export function parseDigest(text: string, meta: DigestMeta): Digest {
  const file = meta.fileName;
  const s = sniff(text);
  const body = text.replace(/^\uFEFF/, '');
  if (s.kind === 'json' && s.format === 'paperboy-json') return parsePaperboyJson(s.value, file);
  if (s.kind === 'json' && s.format === 'hf-daily') return parseHfDaily(s.value, file);
  if (s.kind === 'xml' && s.format === 'arxiv-atom') return parseArxivAtom(body, file);
  if (s.kind === 'text' && s.format === 'hf-trending-text') return parseTrendingText(body, file, meta.now);
  throw unknownFormat(s, file);
}
