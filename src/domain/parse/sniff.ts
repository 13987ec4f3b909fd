// Format detection from the content, not the file name: a .json may be a Python repr, a .txt may
// be JSON. sniff() also keeps what it learned so parse errors can say why nothing fitted.
import type { DigestSource } from '../digest.js';
import { jsonErrorOffset } from './json-error-offset.js';
import { findDateLine, paragraphs } from './trending-text.js';

export type Sniffed =
  | { kind: 'empty' }
  | { kind: 'binary' }
  | { kind: 'json'; format: 'paperboy-json' | 'hf-daily' | null; value: unknown }
  | { kind: 'bad-json'; python: boolean; message: string; line?: number; column?: number }
  | { kind: 'xml'; format: 'arxiv-atom' | null; root: string | undefined }
  | { kind: 'text'; format: 'hf-trending-text' | null };

const XML_ROOT = /^(?:\s*(?:<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>[]*(?:\[[\s\S]*?\])?\s*>))*\s*<([A-Za-z_][\w:.-]*)/;
/** Python's repr of dicts and lists: 'single-quoted' keys, True/False/None. */
const PYTHON_REPR = /(?:[{,[]\s*'[^'\n]*'\s*:)|(?::\s*(?:True|False|None)\s*[,}\]])/;
const TRENDING_CHROME = /get trending papers in your email inbox/i;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function jsonFormat(value: unknown): 'paperboy-json' | 'hf-daily' | null {
  if (Array.isArray(value)) return value.some((it) => isObject(it) && isObject(it.paper)) ? 'hf-daily' : null;
  if (isObject(value) && 'papers' in value) return 'paperboy-json';
  return null;
}

function lineAndColumn(text: string, position: number): { line: number; column: number } {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  return { line, column: position - before.lastIndexOf('\n') };
}

function looksLikeTrendingPage(text: string): boolean {
  return TRENDING_CHROME.test(text.slice(0, 2000)) || findDateLine(paragraphs(text.slice(0, 20_000))) >= 0;
}

export function sniff(input: string): Sniffed {
  const text = input.replace(/^\uFEFF/, '');
  const start = text.trimStart();
  if (start === '') return { kind: 'empty' };
  if (text.includes('\u0000')) return { kind: 'binary' };
  const first = start[0];
  if (first === '<') {
    const root = XML_ROOT.exec(start)?.[1];
    const local = root?.split(':').pop();
    return { kind: 'xml', format: local === 'feed' ? 'arxiv-atom' : null, root };
  }
  if (first === '{' || first === '[') {
    try {
      const value: unknown = JSON.parse(text);
      return { kind: 'json', format: jsonFormat(value), value };
    } catch (e) {
      // A trending page whose first title starts with "[" is still a trending page.
      if (looksLikeTrendingPage(text)) return { kind: 'text', format: 'hf-trending-text' };
      const message = (e as Error).message;
      const offset = jsonErrorOffset(text);
      const where = offset !== undefined ? lineAndColumn(text, offset) : {};
      return { kind: 'bad-json', python: PYTHON_REPR.test(text), message, ...where };
    }
  }
  return { kind: 'text', format: looksLikeTrendingPage(text) ? 'hf-trending-text' : null };
}

/** The digest format of a text, judged from its content; null when it fits none. */
export function detectFormat(text: string): DigestSource | null {
  const s = sniff(text);
  return 'format' in s ? s.format : null;
}
