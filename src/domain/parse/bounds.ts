// Every format's papers are held to DIGEST_LIMITS before anything else looks at them, with an error
// that names the paper where the file has it (its field path or line, and its id), so a person can
// find it. The Digest schema repeats the limits as a backstop for digests built any other way.
import { DIGEST_LIMITS, type DigestSource, type Paper } from '../digest.js';
import type { Located } from './finish.js';
import { digestError, FORMATS_DOC, type Where } from './parse-error.js';

type TextField = 'id' | 'title' | 'abstract' | 'summary' | 'organization' | 'publishedAt' | 'url' | 'pdfUrl' | 'codeUrl' | 'projectUrl';
type ListField = 'authors' | 'keywords' | 'categories';

const TEXT_FIELDS: ReadonlyArray<[TextField, number]> = [
  ['id', DIGEST_LIMITS.id],
  ['title', DIGEST_LIMITS.title],
  ['abstract', DIGEST_LIMITS.abstract],
  ['summary', DIGEST_LIMITS.summary],
  ['organization', DIGEST_LIMITS.organization],
  ['publishedAt', DIGEST_LIMITS.publishedAt],
  ['url', DIGEST_LIMITS.url],
  ['pdfUrl', DIGEST_LIMITS.url],
  ['codeUrl', DIGEST_LIMITS.url],
  ['projectUrl', DIGEST_LIMITS.url],
];

const LIST_FIELDS: ReadonlyArray<[ListField, number, number, string]> = [
  ['authors', DIGEST_LIMITS.authors, DIGEST_LIMITS.author, 'an author name'],
  ['keywords', DIGEST_LIMITS.keywords, DIGEST_LIMITS.keyword, 'a keyword'],
  ['categories', DIGEST_LIMITS.categories, DIGEST_LIMITS.category, 'a category'],
];

/** Where a format calls a Paper field something else, so the error path is the file's own. */
const SOURCE_NAMES: Partial<Record<DigestSource, Partial<Record<keyof Paper, string>>>> = {
  'hf-daily': { abstract: 'summary', summary: 'ai_summary', keywords: 'ai_keywords', codeUrl: 'githubRepo', projectUrl: 'projectPage' },
  'arxiv-atom': { abstract: 'summary', authors: 'author', categories: 'category' },
};

const n = (x: number) => x.toLocaleString('en-US');

function paperName(p: Paper): string {
  return p.id.length <= 40 ? `paper "${p.id}"` : `paper "${p.id.slice(0, 40)}…"`;
}

const FIX = `Shorten it or leave the paper out; the limits are listed in ${FORMATS_DOC}`;

/** Throws DIGEST_INVALID for the first paper (or the paper count) over DIGEST_LIMITS. */
export function checkBounds(items: ReadonlyArray<Located>, fileName: string, format: DigestSource): void {
  const names = SOURCE_NAMES[format] ?? {};
  const at = (where: Where, field: keyof Paper, index = ''): Where =>
    where.field !== undefined ? { field: `${where.field}.${names[field] ?? field}${index}` } : where;
  if (items.length > DIGEST_LIMITS.papers) {
    throw digestError(
      fileName,
      format,
      {},
      `${n(items.length)} papers, over the limit of ${n(DIGEST_LIMITS.papers)} per digest`,
      'Split it into several digest files',
    );
  }
  for (const { paper, where } of items) {
    for (const [field, max] of TEXT_FIELDS) {
      const value = paper[field];
      if (value !== undefined && value.length > max) {
        const what = field === 'id' ? 'the paper id' : `the ${field} of ${paperName(paper)}`;
        throw digestError(fileName, format, at(where, field), `${what} is ${n(value.length)} characters long, over the limit of ${n(max)}`, FIX);
      }
    }
    for (const [field, maxItems, maxLength, itemName] of LIST_FIELDS) {
      const list = paper[field];
      if (list.length > maxItems) {
        throw digestError(
          fileName,
          format,
          at(where, field),
          `${paperName(paper)} lists ${n(list.length)} ${field}, over the limit of ${n(maxItems)}`,
          `Keep the first ${n(maxItems)} or leave the paper out; the limits are listed in ${FORMATS_DOC}`,
        );
      }
      const i = list.findIndex((s) => s.length > maxLength);
      if (i >= 0) {
        throw digestError(
          fileName,
          format,
          at(where, field, `[${i}]`),
          `${itemName} of ${paperName(paper)} is ${n((list[i] as string).length)} characters long, over the limit of ${n(maxLength)}`,
          FIX,
        );
      }
    }
  }
}
