// paperboy's own digest format: {"date", "title"?, "papers": [{"id", "title", "abstract", ...}]}.
// Strict: an unknown field is far more often a typo ("abstact") than something we should ignore.
import { z } from 'zod';
import type { Digest, Paper } from '../digest.js';
import { cleanList, cleanOptional, cleanText } from '../clean-text.js';
import { arxivIdOf, canonicalPaperId } from '../paper-id.js';
import { isValidIsoDate } from './dates.js';
import { finishDigest, type Located } from './finish.js';
import { idString } from './ids.js';
import { digestError, FORMATS_DOC, zodError } from './parse-error.js';

const FORMAT = 'paperboy-json';

const httpUrl = z
  .string()
  .trim()
  .refine((s) => /^https?:\/\//i.test(s) && URL.canParse(s), 'must be an http(s) URL like https://github.com/owner/repo');
/** A source name as `paperboy fetch` writes it (hf-daily, hf-trending, arxiv) or another lower-case name. */
const SOURCE_NAME = /^[a-z0-9][a-z0-9._-]*$/;
const count = z.number().int().nonnegative();
const strings = z.array(z.string());

const PaperIn = z.strictObject({
  id: idString,
  title: z.string(),
  abstract: z.string(),
  authors: strings.nullish(),
  url: httpUrl.nullish(),
  pdfUrl: httpUrl.nullish(),
  codeUrl: httpUrl.nullish(),
  projectUrl: httpUrl.nullish(),
  upvotes: count.nullish(),
  comments: count.nullish(),
  stars: count.nullish(),
  keywords: strings.nullish(),
  categories: strings.nullish(),
  summary: z.string().nullish(),
  organization: z.string().nullish(),
  publishedAt: z.string().nullish(),
  sources: z.array(z.string().regex(SOURCE_NAME, 'must be a source name like "hf-daily" or "arxiv"')).nullish(),
});

const DigestIn = z.strictObject({
  $schema: z.string().optional(),
  date: z.string().refine(isValidIsoDate, 'must be a real date written YYYY-MM-DD, like "2026-03-14"'),
  title: z.string().nullish(),
  /** Accepted so a parsed digest can be written back out; the format is always paperboy-json. */
  source: z.string().optional(),
  papers: z.array(PaperIn).min(1),
});

function toPaper(p: z.infer<typeof PaperIn>): Paper {
  const id = canonicalPaperId(p.id);
  const arxiv = arxivIdOf(id);
  return {
    id,
    title: cleanText(p.title),
    abstract: cleanText(p.abstract),
    authors: cleanList(p.authors),
    // An arXiv paper always has these two pages; fill them in so every paper links somewhere.
    url: p.url ?? (arxiv ? `https://arxiv.org/abs/${arxiv}` : undefined),
    pdfUrl: p.pdfUrl ?? (arxiv ? `https://arxiv.org/pdf/${arxiv}` : undefined),
    codeUrl: p.codeUrl ?? undefined,
    projectUrl: p.projectUrl ?? undefined,
    upvotes: p.upvotes ?? undefined,
    comments: p.comments ?? undefined,
    stars: p.stars ?? undefined,
    keywords: cleanList(p.keywords),
    categories: cleanList(p.categories),
    summary: cleanOptional(p.summary),
    organization: cleanOptional(p.organization),
    publishedAt: cleanOptional(p.publishedAt),
    sources: p.sources?.length ? [...new Set(p.sources)] : undefined,
  };
}

export function parsePaperboyJson(value: unknown, fileName: string): Digest {
  const r = DigestIn.safeParse(value, { reportInput: true });
  if (!r.success) {
    throw zodError(fileName, FORMAT, r.error, `Fix that field; the format is described in ${FORMATS_DOC}`);
  }
  const items: Located[] = r.data.papers.map((p, i) => {
    const paper = toPaper(p);
    if (paper.title === '') {
      throw digestError(fileName, FORMAT, { field: `papers[${i}].title` }, 'is blank', 'Give the paper its title');
    }
    return { paper, where: { field: `papers[${i}]` } };
  });
  return finishDigest(
    { date: r.data.date, title: cleanOptional(r.data.title), source: FORMAT, items },
    fileName,
  );
}
