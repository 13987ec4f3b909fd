// paperboy fetches the day's papers itself: each configured source is asked for the day, what it
// gives is merged into one digest per day (digests/<date>.json, paperboy JSON, papers credited to
// their sources), so several sources make one issue and one email. A source that has not published
// yet is tried again later (bounded), and every attempt is recorded, so paperboy can always say why
// a day has no issue. A source that answers after the day's issue started sending never causes a
// second email: its new papers wait for the next digest written (decision 008).
import type { Paper } from '../domain/digest.js';
import { describeRecord, isDue, recordAttempt, type FetchRecord, type RetryPolicy, type SourceOutcome } from '../domain/fetch/fetch-record.js';
import { carriedInto, credited, mergePapers, notYetSent, replaceSource } from '../domain/fetch/merge-day.js';
import { SOURCE_LABELS, type SourceName } from '../domain/fetch/sources.js';
import { addDays, zonedParts } from '../domain/fetch/zoned-time.js';
import { isPaperboyError, PaperboyError } from '../errors.js';

/**
 * Where fetch state lives: one record per (source, day), in the database's fetch_log table (an
 * in-memory one for unit tests).
 */
export interface FetchLog {
  /** The record of `source` for `date` (YYYY-MM-DD), if any attempt was made. */
  get(source: SourceName, date: string): Promise<FetchRecord | undefined>;
  /** Stores `record`, replacing the one with the same source and date. */
  put(record: FetchRecord): Promise<void>;
  /** Every record of a day from `sinceDate` on (inclusive), ordered by date, then source. */
  listSince(sinceDate: string): Promise<FetchRecord[]>;
}

/** The digests folder as the fetcher sees it: one digest per day, read and replaced whole. */
export interface DayDigests {
  /** Path of the day's digest (digests/<date>.json). */
  pathFor(date: string): string;
  /** The day's papers, or undefined when there is no digest for it yet. Throws DIGEST_INVALID for a broken file. */
  read(date: string): Promise<{ papers: Paper[]; issueId: string } | undefined>;
  /** Replaces the day's digest atomically (temp file, fsync, rename): a reader sees the old file or the new one. */
  write(date: string, papers: Paper[]): Promise<string>;
}

/** What the fetcher asks the ledger: has a day's issue started, and which papers went out already. */
export interface IssueLedger {
  listMeta(): Promise<{ issueId: string; digestPath?: string; paperIds: string[]; startedAt?: string; finishedAt?: string; skipped?: string }[]>;
  inProgress(issueId: string): Promise<boolean>;
}

/** What a source is told besides the day. */
export interface SourceContext {
  force: boolean;
  now: Date;
  signal?: AbortSignal;
  /** arXiv: the other day an announcement already fed, if it did (one announcement, one issue). */
  usedFor(announced: string): string | undefined;
}

/** One source. Its failures come back as outcomes; a throw is a bug. */
export interface Source {
  readonly name: SourceName;
  fetch(day: string, ctx: SourceContext): Promise<SourceOutcome>;
}

export interface FetchDeps {
  log: FetchLog;
  digests: DayDigests;
  ledger: IssueLedger;
  /** Every source that can be built from the config (adapters/sources/). */
  sources: ReadonlyMap<SourceName, Source>;
  /** The ones fetched when none are named (config `sources`). */
  defaults: readonly SourceName[];
  clock: () => Date;
  timeZone?: string;
  policy: RetryPolicy;
  /** Held around a run so two processes never fetch at once (arXiv's one-request-at-a-time is for all of paperboy). */
  lock?: () => Promise<() => Promise<void>>;
  note?: (line: string) => void;
}

export interface FetchOptions {
  /** The issue day; default: today in the operator's time zone. */
  date: string;
  /** Sources to fetch; default all configured. */
  only?: SourceName[];
  /** Fetch again even when the day is done or its next try is later. */
  force?: boolean;
  signal?: AbortSignal;
}

export interface SourceReport {
  source: SourceName;
  date: string;
  /** fetched: asked now; skipped: not due (done, or its next try is later). */
  action: 'fetched' | 'skipped';
  record?: FetchRecord;
  /** The one line for people. */
  line: string;
}

export interface FetchReport {
  date: string;
  sources: SourceReport[];
  /** The day's digest, when this run wrote it. */
  written?: string;
  papers?: number;
}

/** How far back late papers and "already used" announcements are looked for. */
const LOOKBACK_DAYS = 7;

/** Fetches the day's sources that are due (all named ones with force) and writes the day's digest. */
export async function fetchDay(d: FetchDeps, o: FetchOptions): Promise<FetchReport> {
  const names = o.only?.length ? o.only : [...d.defaults];
  if (names.length === 0) {
    throw new PaperboyError('CONFIG_INVALID', 'No sources to fetch: set PAPERBOY_SOURCES (config key "sources"), e.g. PAPERBOY_SOURCES=hf-trending,arxiv, or name one: `paperboy fetch hf-daily`.');
  }
  for (const n of names) {
    if (!d.sources.has(n)) {
      throw new PaperboyError('CONFIG_INVALID', `The ${n} source needs its arXiv categories: set PAPERBOY_ARXIV_CATEGORIES (config key "fetch.arxivCategories"), e.g. cs.CL,cs.LG.`);
    }
  }
  const release = d.lock ? await d.lock() : undefined;
  try {
    return await fetchLocked(d, o, names);
  } finally {
    await release?.();
  }
}

async function fetchLocked(d: FetchDeps, o: FetchOptions, names: SourceName[]): Promise<FetchReport> {
  const report: FetchReport = { date: o.date, sources: [] };
  // Times in lines carry their date unless they are today.
  const line = (r: FetchRecord) => describeRecord(r, d.timeZone, zonedParts(d.clock(), d.timeZone).date);
  const recent = await d.log.listSince(addDays(o.date, -LOOKBACK_DAYS));
  for (const name of names) {
    if (o.signal?.aborted) break;
    const prev = recent.find((r) => r.source === name && r.date === o.date);
    const now = d.clock();
    if (!o.force && !isDue(prev, now)) {
      report.sources.push({ source: name, date: o.date, action: 'skipped', ...(prev ? { record: prev } : {}), line: prev ? line(prev) : `${SOURCE_LABELS[name]}: not fetched` });
      continue;
    }
    const usedFor = (announced: string) =>
      recent.find((r) => r.source === name && r.announced === announced && r.date !== o.date && r.status === 'ok')?.date;
    const source = d.sources.get(name)!;
    let outcome: SourceOutcome;
    try {
      outcome = await source.fetch(o.date, { force: Boolean(o.force), now, usedFor, ...(o.signal ? { signal: o.signal } : {}) });
    } catch (e) {
      if (o.signal?.aborted) break;
      if (!isPaperboyError(e)) throw e;
      outcome = { kind: 'failed', reason: e.message };
    }
    // A forced fetch is a new start for the day: its retries are counted afresh.
    const base = o.force && prev ? { ...prev, attempts: 0 } : prev;
    let record = recordAttempt(base, { source: name, date: o.date }, outcome, d.clock(), d.policy);
    if (outcome.kind === 'papers') record = await placePapers(d, record, outcome.papers, recent, report);
    await d.log.put(record);
    const i = recent.findIndex((r) => r.source === name && r.date === o.date);
    if (i >= 0) recent[i] = record;
    else recent.push(record);
    report.sources.push({ source: name, date: o.date, action: 'fetched', record, line: line(record) });
  }
  return report;
}

/**
 * Puts a source's papers where they belong: into the day's digest while its issue has not started,
 * else into the record's `late` list for the next digest.
 */
async function placePapers(d: FetchDeps, record: FetchRecord, papers: Paper[], recent: FetchRecord[], report: FetchReport): Promise<FetchRecord> {
  const metas = await d.ledger.listMeta();
  const sent = new Set(metas.flatMap((m) => m.paperIds));
  const inStarted = (id: string) => sent.has(id);
  const path = d.digests.pathFor(record.date);
  let existing: { papers: Paper[]; issueId: string } | undefined;
  try {
    existing = await d.digests.read(record.date);
  } catch (e) {
    if (!isPaperboyError(e)) throw e;
    return { ...record, status: 'failed', reason: `${path} cannot be read, so it was left as it is: ${e.message}`, nextAttemptAt: undefined };
  }
  const started =
    metas.some((m) => m.digestPath === path) || (existing !== undefined && (metas.some((m) => m.issueId === existing.issueId) || (await d.ledger.inProgress(existing.issueId))));
  if (started) {
    const late = notYetSent(papers, inStarted).map((p) => credited(p, record.source));
    const merged = mergePapers(record.late ?? [], late);
    const note = late.length
      ? `${late.length} of them came after the issue of ${record.date} had started sending; they go out with the next issue`
      : `all of them are in issues already sent`;
    return { ...record, ...(merged.length ? { late: merged } : {}), reason: note };
  }
  const carried = carriedInto(record.date, recent, inStarted);
  const day = mergePapers(replaceSource(existing?.papers ?? [], record.source, papers), carried);
  const written = await d.digests.write(record.date, day);
  report.written = written;
  report.papers = day.length;
  return { ...record, digest: written };
}

/** Days before today whose retries `fetchDue` still makes (a day is rarely published later than that). */
const RETRY_DAYS = 2;

/**
 * What `paperboy start` runs before a send and on its retry timer: today's configured sources that
 * are due, and earlier days' retries that are due. One report per day fetched.
 */
export async function fetchDue(d: FetchDeps, today: string, signal?: AbortSignal): Promise<FetchReport[]> {
  if (d.defaults.length === 0) return [];
  const now = d.clock();
  const earlier = (await d.log.listSince(addDays(today, -RETRY_DAYS))).filter((r) => r.date < today && isDue(r, now) && d.defaults.includes(r.source));
  const reports: FetchReport[] = [];
  for (const day of [...new Set(earlier.map((r) => r.date))].sort()) {
    reports.push(await fetchDay(d, { date: day, only: earlier.filter((r) => r.date === day).map((r) => r.source), ...(signal ? { signal } : {}) }));
  }
  reports.push(await fetchDay(d, { date: today, ...(signal ? { signal } : {}) }));
  return reports;
}

/** The earliest planned retry among recent days, if any (for the retry timer). */
export async function nextRetryAt(d: Pick<FetchDeps, 'log' | 'defaults'>, today: string): Promise<Date | undefined> {
  const times = (await d.log.listSince(addDays(today, -RETRY_DAYS)))
    .filter((r) => (r.status === 'waiting' || r.status === 'failed') && r.nextAttemptAt && d.defaults.includes(r.source))
    .map((r) => Date.parse(r.nextAttemptAt!));
  return times.length ? new Date(Math.min(...times)) : undefined;
}

export interface DayStatus {
  date: string;
  /** The day's digest, if the fetcher wrote one. */
  digest?: string;
  /** The issue made from it, if a send started. */
  issue?: { issueId: string; state: 'sent' | 'sending' | 'skipped' };
  /** One line per source with a record for the day, and, for today, per configured source without one. */
  lines: string[];
  records: FetchRecord[];
}

export interface SourcesStatus {
  today: string;
  configured: SourceName[];
  days: DayStatus[];
  /** The next automatic try, if one is planned. */
  nextTry?: string;
}

/** Per day (newest first) what each source gave and, where there is no issue, why: for `paperboy sources`, `status` and the admin API. */
export async function sourcesStatus(d: Pick<FetchDeps, 'log' | 'timeZone' | 'digests' | 'ledger' | 'defaults' | 'sources'>, today: string, days = 7): Promise<SourcesStatus> {
  const records = await d.log.listSince(addDays(today, -(days - 1)));
  const metas = await d.ledger.listMeta();
  const dates = [...new Set([today, ...records.map((r) => r.date)])].sort().reverse();
  const out: DayStatus[] = dates.map((date) => {
    const recs = records.filter((r) => r.date === date);
    const lines = recs.map((r) => describeRecord(r, d.timeZone, today));
    if (date === today) for (const s of d.defaults) if (!recs.some((r) => r.source === s)) lines.push(`${SOURCE_LABELS[s]}: not fetched yet today`);
    const digest = recs.find((r) => r.digest)?.digest;
    const path = d.digests.pathFor(date);
    const meta = metas.find((m) => m.digestPath === path);
    const issue = meta ? { issueId: meta.issueId, state: meta.skipped ? ('skipped' as const) : meta.finishedAt ? ('sent' as const) : ('sending' as const) } : undefined;
    return { date, ...(digest ? { digest } : {}), ...(issue ? { issue } : {}), lines, records: recs };
  });
  const next = await nextRetryAt(d, today);
  return { today, configured: [...d.defaults], days: out, ...(next ? { nextTry: next.toISOString() } : {}) };
}
