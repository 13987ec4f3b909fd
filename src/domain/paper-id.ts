// Canonical paper ids, so that the same paper from two sources (or two days) is one paper.
// arXiv ids lose their version suffix; other given ids are kept as given; papers without an id
// (the trending page) get a stable id derived from their normalised title.
import { createHash } from 'node:crypto';

/** 2501.01234 (since 2015: five digits after the dot; 2007-2014: four), optional version. */
const NEW_STYLE = /^(\d{4}\.\d{4,5})(?:v\d+)?$/;
/** hep-th/9901001, math.DG/0502287 (pre-2007), optional version. */
const OLD_STYLE = /^([a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?\/\d{7})(?:v\d+)?$/;
const ARXIV_PREFIX = /^arxiv:\s*/i;
const ARXIV_URL =
  /^https?:\/\/(?:www\.|export\.)?(?:arxiv\.org\/(?:abs|pdf)|huggingface\.co\/papers)\/(.+?)(?:\.pdf)?\/?(?:[?#].*)?$/i;

/** The arXiv id (without version) in a bare id, an `arXiv:` id or an arxiv.org / HF paper URL; else null. */
export function arxivIdOf(s: string): string | null {
  let t = s.trim();
  const url = ARXIV_URL.exec(t);
  if (url?.[1]) t = url[1];
  t = t.replace(ARXIV_PREFIX, '');
  const m = NEW_STYLE.exec(t) ?? OLD_STYLE.exec(t);
  return m?.[1] ?? null;
}

/**
 * The id a digest gave, canonicalised: an arXiv id (bare or `arXiv:`-prefixed) loses the prefix and
 * its version suffix; anything else is kept as given (trimmed).
 */
export function canonicalPaperId(given: string): string {
  const t = given.trim();
  if (/^https?:\/\//i.test(t)) return t;
  return arxivIdOf(t) ?? t;
}

/** Lowercased, Unicode-normalised title with every run of non-letters/digits folded to one space. */
export function normaliseTitle(title: string): string {
  return title
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Stable id for a paper known only by its title: `t-` + 10 hex digits of sha256(normalised title). */
export function titleId(title: string): string {
  return 't-' + createHash('sha256').update(normaliseTitle(title)).digest('hex').slice(0, 10);
}
