// Pure shortening rules for paper text, and the limits of a render.

export interface RenderLimits {
  /** Longest abstract a full card shows (half of it under an AI summary). */
  maxAbstractChars: number;
  /** HTML size budget, as sent (quoted-printable): Gmail clips at ~102 KB. */
  maxHtmlBytes: number;
}

// Words that end in a period without ending a sentence.
const ABBREVIATIONS = new Set(['e.g', 'i.e', 'et al', 'al', 'vs', 'cf', 'fig', 'figs', 'eq', 'eqs', 'sec', 'no', 'approx', 'resp', 'etc', 'dr', 'mr', 'ms', 'prof']);

/** Index just past the last sentence end at or before `limit`, or -1. */
function lastSentenceEnd(text: string, limit: number): number {
  const re = /[.!?]["')\]]?(?=\s+["“'(\[]?[A-Z0-9])/g;
  let best = -1;
  for (const m of text.matchAll(re)) {
    const end = m.index + m[0].length;
    if (end > limit) break;
    if (m[0][0] === '.') {
      const before = text.slice(0, m.index);
      const word = /([A-Za-z][A-Za-z.]*)$/.exec(before)?.[1]?.toLowerCase() ?? '';
      if (word.length === 1 || ABBREVIATIONS.has(word) || before.toLowerCase().endsWith('et al')) continue;
    }
    best = end;
  }
  return best;
}

/** Cuts at the last word boundary within `max` (a hard cut for one giant word), without a trailing separator. */
function cutAtWord(text: string, max: number): string {
  const cut = text.slice(0, max + 1);
  let space = cut.lastIndexOf(' ');
  if (space < max * 0.5) space = -1;
  let end = space > 0 ? space : max;
  // Never split a surrogate pair.
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return text.slice(0, end).replace(/[\s,;:–—-]+$/, '');
}

/**
 * Shortens text to at most `max` characters: at the last sentence end when that keeps at least half
 * of the budget, else at the last word boundary, else (one giant word) a hard cut. `trimmed` says
 * whether anything was cut; the caller shows that (the templates add a visible "…" and a link).
 */
export function trimAbstract(text: string, max: number): { text: string; trimmed: boolean } {
  if (text.length <= max) return { text, trimmed: false };
  if (max <= 0) return { text: '', trimmed: text.length > 0 };
  const sentenceEnd = lastSentenceEnd(text, max);
  if (sentenceEnd >= max * 0.5) return { text: text.slice(0, sentenceEnd), trimmed: true };
  return { text: cutAtWord(text, max), trimmed: true };
}

/** At most `max` characters, cut at a word with "…" when it is longer. */
export function shortenText(s: string, max: number): string {
  if (s.length <= max) return s;
  return `${cutAtWord(s, max - 1)}…`;
}

/** "A, B, C et al." past `keep` authors; empty names dropped. */
export function shortenAuthors(authors: readonly string[], keep = 3): string {
  const names = authors.filter((a) => a.length > 0);
  if (names.length <= keep) return names.join(', ');
  return `${names.slice(0, keep).join(', ')} et al.`;
}
