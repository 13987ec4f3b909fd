// Pure trimming rules that keep an issue under Gmail's clipping size (~102 KB of HTML).

export interface RenderLimits {
  maxPapersPerTopic: number;
  maxAbstractChars: number;
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

/**
 * Shortens text to at most `max` characters (plus an ellipsis): at the last sentence end when that keeps
 * at least half of the budget, else at the last word boundary, else (one giant word) a hard cut.
 */
export function trimAbstract(text: string, max: number): { text: string; trimmed: boolean } {
  if (text.length <= max) return { text, trimmed: false };
  if (max <= 0) return { text: '', trimmed: text.length > 0 };
  const sentenceEnd = lastSentenceEnd(text, max);
  if (sentenceEnd >= max * 0.5) return { text: text.slice(0, sentenceEnd), trimmed: true };
  const cut = text.slice(0, max + 1);
  let space = cut.lastIndexOf(' ');
  if (space < max * 0.5) space = -1;
  let end = space > 0 ? space : max;
  // Never split a surrogate pair.
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  const head = text.slice(0, end).replace(/[\s,;:–—-]+$/, '');
  return { text: `${head}…`, trimmed: true };
}

/** "A, B, C et al." past `keep` authors; empty names dropped. */
export function shortenAuthors(authors: readonly string[], keep = 3): string {
  const names = authors.filter((a) => a.length > 0);
  if (names.length <= keep) return names.join(', ');
  return `${names.slice(0, keep).join(', ')} et al.`;
}

/** Shown papers and the count left for the "N more" line. */
export function capPapers<T>(papers: readonly T[], max: number): { shown: T[]; hidden: number } {
  const n = Math.max(1, max);
  return { shown: papers.slice(0, n), hidden: Math.max(0, papers.length - n) };
}

export const MIN_ABSTRACT_CHARS = 160;

/**
 * Next, tighter limits after a render of `bytes` overshot the budget: shorter abstracts first (down to
 * MIN_ABSTRACT_CHARS), then fewer papers per topic, then no abstracts. Null when nothing is left to trim.
 */
export function tightenLimits(limits: RenderLimits, bytes: number): RenderLimits | null {
  if (bytes <= limits.maxHtmlBytes) return null;
  const ratio = limits.maxHtmlBytes / bytes;
  if (limits.maxAbstractChars > MIN_ABSTRACT_CHARS) {
    const next = Math.max(MIN_ABSTRACT_CHARS, Math.min(limits.maxAbstractChars - 20, Math.floor(limits.maxAbstractChars * ratio * 0.85)));
    return { ...limits, maxAbstractChars: next };
  }
  if (limits.maxPapersPerTopic > 1) {
    const next = Math.max(1, Math.min(limits.maxPapersPerTopic - 1, Math.floor(limits.maxPapersPerTopic * ratio)));
    return { ...limits, maxPapersPerTopic: next };
  }
  if (limits.maxAbstractChars > 0) return { ...limits, maxAbstractChars: 0 };
  return null;
}
