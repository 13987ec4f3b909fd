// A text capture of the trending-papers page: page chrome, a date line ("Mar 14"), then for each
// paper a title paragraph and an abstract paragraph, separated by blank lines. No ids, authors or
// links besides those written inside abstracts.
import type { Digest, Paper } from '../digest.js';
import { cleanText } from '../clean-text.js';
import { titleId } from '../paper-id.js';
import { finishDigest, type Located } from './finish.js';
import { linksIn } from './links.js';
import { parseDateLine, resolvePageDate } from './page-date.js';
import { digestError, FORMATS_DOC } from './parse-error.js';

const FORMAT = 'hf-trending-text';

/** Longer than this, a "title" is really an abstract: a title or a blank line is missing. */
export const MAX_TITLE_CHARS = 300;
/** The date line sits in the page header; we look for it among the first paragraphs only. */
const HEADER_PARAGRAPHS = 20;

/** Page chrome that may appear anywhere; skipped. Upvote counts are bare numbers. */
const CHROME = [
  /^new$/i,
  /^get trending papers in your email inbox!?$/i,
  /^subscribe$/i,
  /^by\s*ak and the research community$/i,
  /^(trending|daily) papers$/i,
  /^load more$/i,
  /^upvote$/i,
  /^\d+$/,
];

export interface Paragraph {
  text: string;
  /** 1-based line of the paragraph's first line. */
  line: number;
  lines: number;
}

/** Runs of non-blank lines, joined with spaces (a hard-wrapped abstract is one paragraph). */
export function paragraphs(text: string): Paragraph[] {
  const out: Paragraph[] = [];
  let cur: Paragraph | undefined;
  text.split(/\r\n|\r|\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') {
      cur = undefined;
    } else if (cur) {
      cur.text += ' ' + line;
      cur.lines++;
    } else {
      cur = { text: line, line: i + 1, lines: 1 };
      out.push(cur);
    }
  });
  return out;
}

export function isChrome(p: Paragraph): boolean {
  return p.lines === 1 && CHROME.some((re) => re.test(p.text));
}

/** Index of the date-line paragraph in the page header, or -1. */
export function findDateLine(ps: ReadonlyArray<Paragraph>): number {
  return ps.slice(0, HEADER_PARAGRAPHS).findIndex((p) => p.lines === 1 && parseDateLine(p.text) !== null);
}

export function parseTrendingText(text: string, fileName: string, now: Date): Digest {
  const ps = paragraphs(text);
  const at = findDateLine(ps);
  const dateLine = ps[at];
  if (!dateLine) {
    throw digestError(
      fileName,
      FORMAT,
      { line: ps[0]?.line ?? 1 },
      'no date line (like "Mar 14") in the page header',
      `Add the day the page is for on its own line above the first paper (see ${FORMATS_DOC})`,
    );
  }
  const day = parseDateLine(dateLine.text);
  const resolved = day && resolvePageDate(day, text, now);
  if (!resolved || 'error' in resolved) {
    throw digestError(
      fileName,
      FORMAT,
      { line: dateLine.line },
      resolved && 'error' in resolved ? resolved.error : `"${dateLine.text}" is not a date`,
      'Write the date with its year, like "Mar 14, 2026"',
    );
  }

  // Everything above the date line is page chrome, whatever it says.
  const body = ps.slice(at + 1).filter((p) => !isChrome(p));
  const items: Located[] = [];
  for (let i = 0; i < body.length; i += 2) {
    const title = body[i] as Paragraph;
    const abstract = body[i + 1];
    if (parseDateLine(title.text) !== null && title.lines === 1) {
      throw digestError(
        fileName,
        FORMAT,
        { line: title.line },
        `a second date line ("${title.text}"); a digest holds one day`,
        'Split the file into one file per day',
      );
    }
    if (title.text.length > MAX_TITLE_CHARS) {
      throw digestError(
        fileName,
        FORMAT,
        { line: title.line },
        `expected a paper title but found a ${title.text.length}-character paragraph ("${title.text.slice(0, 50)}…")`,
        'Each paper is a title line, a blank line, then its abstract; check the papers just above this line for a missing title, abstract or blank line',
      );
    }
    if (!abstract) {
      throw digestError(
        fileName,
        FORMAT,
        { line: title.line },
        `the paper "${title.text}" has no abstract after it`,
        'Add its abstract after a blank line, or remove the title',
      );
    }
    const abstractText = cleanText(abstract.text);
    const titleText = cleanText(title.text);
    const paper: Paper = {
      id: titleId(titleText),
      title: titleText,
      abstract: abstractText,
      // The page capture has no paper links; an arXiv title search finds the paper in one click.
      url: `https://arxiv.org/search/?searchtype=title&query=${encodeURIComponent(titleText)}`,
      authors: [],
      keywords: [],
      categories: [],
      ...linksIn(abstractText),
    };
    items.push({ paper, where: { line: title.line } });
  }
  if (items.length === 0) {
    throw digestError(fileName, FORMAT, { line: dateLine.line }, 'no papers after the date line', 'Add the papers: a title line, a blank line, then the abstract');
  }
  return finishDigest({ date: resolved.date, title: 'Trending papers', source: FORMAT, items }, fileName);
}
