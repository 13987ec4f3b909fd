// What paperboy knows about fetching one source for one day: the record the FetchLog keeps per
// (source, date), how an attempt's outcome moves it on (bounded retries), and the one line that says
// why that day has no papers from the source. Pure: times come in as arguments.
import { z } from 'zod';
import { PaperSchema, type Paper } from '../digest.js';
import { SOURCE_LABELS, SOURCE_NAMES, type SourceName } from './sources.js';
import { clockTime } from './zoned-time.js';

/**
 * ok: papers came and are in the day's digest (or, `late`, held for the next day's); none: the
 * source has nothing for that day by design (arXiv at weekends) or still nothing after the last
 * retry; waiting: not published yet, tried again at nextAttemptAt; failed: the last attempt went
 * wrong (HTTP error, timeout, a bad answer), tried again at nextAttemptAt unless retries ran out.
 */
export const FETCH_STATUSES = ['ok', 'none', 'waiting', 'failed'] as const;
export type FetchStatus = (typeof FETCH_STATUSES)[number];

export const FetchRecordSchema = z.object({
  source: z.enum(SOURCE_NAMES),
  /** The issue day the papers are for (YYYY-MM-DD, in the operator's time zone). */
  date: z.string(),
  status: z.enum(FETCH_STATUSES),
  /** Attempts for this day so far (a forced fetch starts again at 1). */
  attempts: z.number().int().nonnegative(),
  firstAttemptAt: z.string(),
  lastAttemptAt: z.string(),
  /** When the next automatic attempt is due; absent when none is planned. */
  nextAttemptAt: z.string().optional(),
  /** The main request of the last attempt (the first page, the listing feed). */
  url: z.string().optional(),
  httpStatus: z.number().int().optional(),
  /** Bytes received in the last attempt (all its requests; a cached answer counts its stored size). */
  bytes: z.number().int().nonnegative().default(0),
  /** Papers the source gave for the day (0 unless ok). */
  papers: z.number().int().nonnegative().default(0),
  /** Validators of the main request's last good answer, sent back as If-None-Match / If-Modified-Since. */
  etag: z.string().optional(),
  lastModified: z.string().optional(),
  /** What was wrong, or why there is nothing: one line without the source's name ("0 papers for 2026-12-02 yet"). */
  reason: z.string().optional(),
  /** arXiv: the announcement day (New York) the papers came from, so one announcement feeds one issue. */
  announced: z.string().optional(),
  /** Where the papers went: the day's digest file. */
  digest: z.string().optional(),
  /**
   * Papers that came after the day's issue had started sending: they go into the next digest
   * paperboy fetch writes instead (one email a day), and are dropped once an issue carried them.
   */
  late: z.array(PaperSchema).optional(),
});
export type FetchRecord = z.infer<typeof FetchRecordSchema>;

/** What one attempt at a source brought back (the HTTP facts are for the record and messages). */
export type SourceOutcome = (
  /** `note`: something worth saying although papers came (the arXiv API failed, the feed's metadata was used). */
  | { kind: 'papers'; papers: Paper[]; announced?: string; note?: string }
  /** Nothing by design (arXiv on a Saturday): no retry. */
  | { kind: 'none'; reason: string; announced?: string }
  /** Not published yet: retry later. */
  | { kind: 'not-yet'; reason: string }
  /** Went wrong; `retryAt` when the server said when (Retry-After, RateLimit). */
  | { kind: 'failed'; reason: string; retryAt?: Date }
) & {
  url?: string;
  httpStatus?: number;
  bytes?: number;
  etag?: string;
  lastModified?: string;
};

export interface RetryPolicy {
  /** Minutes between automatic attempts for a day not published yet or a failure. */
  retryMinutes: number;
  /** Attempts per source and day before paperboy reports the day and stops trying. */
  maxAttempts: number;
}

/** The record after an attempt that ended with `outcome` at `now`. */
export function recordAttempt(
  prev: FetchRecord | undefined,
  key: { source: SourceName; date: string },
  outcome: SourceOutcome,
  now: Date,
  policy: RetryPolicy,
): FetchRecord {
  const attempts = (prev?.attempts ?? 0) + 1;
  const at = now.toISOString();
  const base: FetchRecord = {
    source: key.source,
    date: key.date,
    status: 'failed',
    attempts,
    firstAttemptAt: prev?.firstAttemptAt ?? at,
    lastAttemptAt: at,
    bytes: outcome.bytes ?? 0,
    papers: 0,
    ...(outcome.url ? { url: outcome.url } : {}),
    ...(outcome.httpStatus !== undefined ? { httpStatus: outcome.httpStatus } : {}),
    // Validators are kept from the last good answer when this one had none (an error page).
    ...((outcome.etag ?? prev?.etag) ? { etag: outcome.etag ?? prev?.etag } : {}),
    ...((outcome.lastModified ?? prev?.lastModified) ? { lastModified: outcome.lastModified ?? prev?.lastModified } : {}),
    ...(prev?.late ? { late: prev.late } : {}),
    ...(prev?.digest ? { digest: prev.digest } : {}),
  };
  const retriesLeft = attempts < policy.maxAttempts;
  const later = new Date(now.getTime() + policy.retryMinutes * 60_000);
  switch (outcome.kind) {
    case 'papers':
      return {
        ...base,
        status: 'ok',
        papers: outcome.papers.length,
        ...(outcome.announced ? { announced: outcome.announced } : {}),
        ...(outcome.note ? { reason: outcome.note } : {}),
      };
    case 'none':
      return { ...base, status: 'none', reason: outcome.reason, ...(outcome.announced ? { announced: outcome.announced } : {}) };
    case 'not-yet':
      return retriesLeft
        ? { ...base, status: 'waiting', reason: outcome.reason, nextAttemptAt: later.toISOString() }
        : { ...base, status: 'none', reason: `${outcome.reason.replace(/ yet$/, '')} after ${attempts} tries` };
    case 'failed': {
      if (!retriesLeft) return { ...base, reason: `${outcome.reason}; gave up after ${attempts} tries` };
      // A server that named its time is asked again then, not earlier.
      const next = outcome.retryAt && outcome.retryAt.getTime() > now.getTime() ? outcome.retryAt : later;
      return { ...base, reason: outcome.reason, nextAttemptAt: next.toISOString() };
    }
  }
}

/** Whether an automatic fetch should try this record now (no record yet: yes). */
export function isDue(rec: FetchRecord | undefined, now: Date): boolean {
  if (!rec) return true;
  if (rec.status === 'ok' || rec.status === 'none') return false;
  return rec.nextAttemptAt !== undefined && Date.parse(rec.nextAttemptAt) <= now.getTime();
}

/**
 * One line for people: "Hugging Face: 0 papers for 2026-12-02 yet, next try 08:30",
 * "arXiv: no announcements on Saturdays", "Hugging Face: HTTP 429, retrying at 07:41".
 */
export function describeRecord(rec: FetchRecord, timeZone: string | undefined, today?: string): string {
  const label = SOURCE_LABELS[rec.source];
  const next = rec.nextAttemptAt ? clockTime(new Date(rec.nextAttemptAt), timeZone, today ?? rec.date) : undefined;
  switch (rec.status) {
    case 'ok': {
      const note = rec.reason ? `; ${rec.reason}` : '';
      return `${label}: ${rec.papers} paper${rec.papers === 1 ? '' : 's'} for ${rec.date}${note}`;
    }
    case 'none':
      return `${label}: ${rec.reason ?? `nothing for ${rec.date}`}`;
    case 'waiting':
      return `${label}: ${rec.reason ?? `nothing for ${rec.date} yet`}${next ? `, next try ${next}` : ''}`;
    case 'failed':
      return `${label}: ${rec.reason ?? 'failed'}${next ? `, retrying at ${next}` : ''}`;
  }
}
