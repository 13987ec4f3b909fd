// The one shape every digest format is parsed into. Types are inferred from the schemas.
import { z } from 'zod';

export const DIGEST_SOURCES = ['paperboy-json', 'hf-daily', 'hf-trending-text', 'arxiv-atom'] as const;
export type DigestSource = (typeof DIGEST_SOURCES)[number];

/**
 * Upper bounds on what one digest may hold, far above any real digest (the longest arXiv title is a
 * few hundred characters, arXiv caps abstracts at 1,920, collaboration papers list ~3,000 authors)
 * and low enough that grouping and rendering stay fast: docs/decisions/010-hostile-input-bounds.md.
 * Lengths are in UTF-16 code units (String#length).
 */
export const DIGEST_LIMITS = {
  papers: 5_000,
  id: 200,
  title: 1_000,
  abstract: 20_000,
  summary: 5_000,
  authors: 5_000,
  author: 300,
  keywords: 200,
  keyword: 200,
  categories: 100,
  category: 100,
  organization: 500,
  url: 2_000,
  publishedAt: 100,
} as const;

const L = DIGEST_LIMITS;
const text = (max: number) => z.string().max(max);
const httpUrl = text(L.url).regex(/^https?:\/\//i, 'must be an http(s) URL');

export const PaperSchema = z.object({
  /** Canonical id: arXiv id without version where known, else as given, else derived from the title. */
  id: text(L.id).min(1),
  title: text(L.title).min(1),
  abstract: text(L.abstract),
  authors: z.array(text(L.author)).max(L.authors),
  url: httpUrl.optional(),
  pdfUrl: httpUrl.optional(),
  codeUrl: httpUrl.optional(),
  projectUrl: httpUrl.optional(),
  upvotes: z.number().int().nonnegative().optional(),
  comments: z.number().int().nonnegative().optional(),
  /** GitHub stars of the code repository (HF `githubStars`). */
  stars: z.number().int().nonnegative().optional(),
  keywords: z.array(text(L.keyword)).max(L.keywords),
  categories: z.array(text(L.category)).max(L.categories),
  /** One-line summary (HF `ai_summary`). */
  summary: text(L.summary).optional(),
  organization: text(L.organization).optional(),
  publishedAt: text(L.publishedAt).optional(),
  /**
   * Which fetched source(s) listed the paper (`hf-daily`, `hf-trending`, `arxiv`), in the order they
   * did; set in digests `paperboy fetch` writes, absent in digests from elsewhere.
   */
  sources: z.array(text(L.keyword)).max(L.keywords).optional(),
});
export type Paper = z.infer<typeof PaperSchema>;

export const DigestSchema = z.object({
  /** ISO date, YYYY-MM-DD. */
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-03-14'),
  title: text(L.title).optional(),
  source: z.enum(DIGEST_SOURCES),
  papers: z.array(PaperSchema).min(1, 'a digest needs at least one paper').max(L.papers),
});
export type Digest = z.infer<typeof DigestSchema>;

/** What the caller knows about the input besides its text. */
export interface DigestMeta {
  /** File name or path, used in error messages and to read a date from names like hf-daily-2024-06-28.json. */
  fileName: string;
  /** "Now", for formats without a year (the trending page). Never read from the clock inside the domain. */
  now: Date;
}
