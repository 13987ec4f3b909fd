// The one shape every digest format is parsed into. Types are inferred from the schemas.
import { z } from 'zod';

export const DIGEST_SOURCES = ['paperboy-json', 'hf-daily', 'hf-trending-text', 'arxiv-atom'] as const;
export type DigestSource = (typeof DIGEST_SOURCES)[number];

const httpUrl = z
  .string()
  .regex(/^https?:\/\//i, 'must be an http(s) URL');

export const PaperSchema = z.object({
  /** Canonical id: arXiv id without version where known, else as given, else derived from the title. */
  id: z.string().min(1),
  title: z.string().min(1),
  abstract: z.string(),
  authors: z.array(z.string()),
  url: httpUrl.optional(),
  pdfUrl: httpUrl.optional(),
  codeUrl: httpUrl.optional(),
  projectUrl: httpUrl.optional(),
  upvotes: z.number().int().nonnegative().optional(),
  comments: z.number().int().nonnegative().optional(),
  keywords: z.array(z.string()),
  categories: z.array(z.string()),
  /** One-line summary (HF `ai_summary`). */
  summary: z.string().optional(),
  organization: z.string().optional(),
  publishedAt: z.string().optional(),
  /**
   * Which fetched source(s) listed the paper (`hf-daily`, `hf-trending`, `arxiv`), in the order they
   * did; set in digests `paperboy fetch` writes, absent in digests from elsewhere.
   */
  sources: z.array(z.string().min(1)).optional(),
});
export type Paper = z.infer<typeof PaperSchema>;

export const DigestSchema = z.object({
  /** ISO date, YYYY-MM-DD. */
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-03-14'),
  title: z.string().optional(),
  source: z.enum(DIGEST_SOURCES),
  papers: z.array(PaperSchema).min(1, 'a digest needs at least one paper'),
});
export type Digest = z.infer<typeof DigestSchema>;

/** What the caller knows about the input besides its text. */
export interface DigestMeta {
  /** File name or path, used in error messages and to read a date from names like hf-daily-2024-06-28.json. */
  fileName: string;
  /** "Now", for formats without a year (the trending page). Never read from the clock inside the domain. */
  now: Date;
}
