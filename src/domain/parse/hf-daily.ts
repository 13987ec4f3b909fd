// Hugging Face daily papers API responses (/api/daily_papers?date=): a bare JSON array of
// {paper: {...}, numComments, ...}. The schema grew over the years (ai_keywords 2025-03,
// organization 2025-10), so items are loose: unknown fields pass, most known ones are optional.
import { z } from 'zod';
import type { Digest, Paper } from '../digest.js';
import { cleanList, cleanOptional, cleanText } from '../clean-text.js';
import { arxivIdOf, canonicalPaperId } from '../paper-id.js';
import { dateFromFileName, datePart, latest } from './dates.js';
import { finishDigest, type Located } from './finish.js';
import { idString } from './ids.js';
import { linksIn } from './links.js';
import { digestError, FORMATS_DOC, zodError } from './parse-error.js';

const FORMAT = 'hf-daily';

const count = z.number().int().nonnegative().nullish();
const text = z.string().nullish();

const Organization = z.looseObject({ name: text, fullname: text });
const Author = z.looseObject({ name: text, user: z.looseObject({ fullname: text }).nullish() });

const HfPaper = z.looseObject({
  id: idString,
  title: z.string(),
  summary: text,
  authors: z.array(Author).nullish(),
  publishedAt: text,
  submittedOnDailyAt: text,
  upvotes: count,
  githubRepo: text,
  githubStars: count,
  projectPage: text,
  ai_summary: text,
  ai_keywords: z.array(z.string()).nullish(),
  organization: Organization.nullish(),
});

const HfItem = z.looseObject({
  paper: HfPaper,
  title: text,
  summary: text,
  publishedAt: text,
  numComments: count,
  organization: Organization.nullish(),
});

const HfDaily = z.array(HfItem).min(1);
type Item = z.infer<typeof HfItem>;

/** Upstream links are loose: keep only real http(s) URLs rather than refuse the whole day. */
function httpOrUndefined(s: string | null | undefined): string | undefined {
  const t = s?.trim();
  return t && /^https?:\/\//i.test(t) && URL.canParse(t) ? t : undefined;
}

function orgName(o: z.infer<typeof Organization> | null | undefined): string | undefined {
  return cleanOptional(o?.fullname) ?? cleanOptional(o?.name);
}

function toPaper(item: Item): Paper {
  const p = item.paper;
  const id = canonicalPaperId(p.id);
  const arxiv = arxivIdOf(id);
  const abstract = cleanText(p.summary ?? item.summary ?? '');
  const found = linksIn(abstract);
  return {
    id,
    title: cleanText(p.title),
    abstract,
    authors: cleanList((p.authors ?? []).map((a) => a.name ?? a.user?.fullname ?? '')),
    url: `https://huggingface.co/papers/${id}`,
    pdfUrl: arxiv ? `https://arxiv.org/pdf/${arxiv}` : undefined,
    codeUrl: httpOrUndefined(p.githubRepo) ?? found.codeUrl,
    projectUrl: httpOrUndefined(p.projectPage),
    upvotes: p.upvotes ?? undefined,
    comments: item.numComments ?? undefined,
    stars: p.githubStars ?? undefined,
    keywords: cleanList(p.ai_keywords),
    categories: [],
    summary: cleanOptional(p.ai_summary),
    organization: orgName(p.organization) ?? orgName(item.organization),
    publishedAt: cleanOptional(p.publishedAt),
  };
}

/**
 * The day the list is for: a date in the file name (hf-daily-2024-06-28.json) wins; else the
 * newest `submittedOnDailyAt` (the daily-list date itself); else the newest item `publishedAt`
 * (older responses, where that is the submission time).
 */
function digestDate(items: ReadonlyArray<Item>, fileName: string): string | undefined {
  return (
    dateFromFileName(fileName) ??
    latest(items.map((it) => datePart(it.paper.submittedOnDailyAt))) ??
    latest(items.map((it) => datePart(it.publishedAt))) ??
    latest(items.map((it) => datePart(it.paper.publishedAt)))
  );
}

export function parseHfDaily(value: unknown, fileName: string): Digest {
  const r = HfDaily.safeParse(value, { reportInput: true });
  if (!r.success) {
    throw zodError(
      fileName,
      FORMAT,
      r.error,
      `Fix that item, or download the day again from https://huggingface.co/api/daily_papers?date=YYYY-MM-DD (see ${FORMATS_DOC})`,
    );
  }
  const items: Located[] = r.data.map((item, i) => {
    const paper = toPaper(item);
    if (paper.title === '') {
      throw digestError(fileName, FORMAT, { field: `[${i}].paper.title` }, 'is blank', 'Give the paper its title or remove the item');
    }
    return { paper, where: { field: `[${i}].paper` } };
  });
  const date = digestDate(r.data, fileName);
  if (date === undefined) {
    throw digestError(
      fileName,
      FORMAT,
      { field: '[0].publishedAt' },
      'cannot tell which day this list is for: no date in the file name and none in the items',
      'Name the file after its day, like hf-daily-2026-03-14.json',
    );
  }
  return finishDigest({ date, title: 'Hugging Face daily papers', source: FORMAT, items }, fileName);
}
