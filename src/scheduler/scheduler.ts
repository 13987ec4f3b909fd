// The cron trigger. node-cron keeps nothing across restarts and skips missed runs, so a tick does
// not "send today's issue": it triggers an idempotent "send every digest that is not fully sent"
// check, which also runs at start-up. A digest that cannot be read is reported once per version of
// the file (name + mtime) and left alone until it changes; the others go on.
import { stat } from 'node:fs/promises';
import cron, { type ScheduledTask } from 'node-cron';
import type { DigestFileEntry } from '../adapters/digest-folder.js';
import type { Logger } from '../adapters/logger.js';
import { PaperboyError } from '../errors.js';

/** What one pending check did with one digest file. */
export interface PendingDigestResult {
  /** Path of the digest file. */
  file: string;
  /**
   * 'invalid' = the file cannot be read, parsed or composed (fix the file); 'too-old' = left for an
   * explicit send because of its date; 'changed' = left because it changed after its issue started;
   * anything else is a send outcome.
   */
  outcome: string;
  error?: unknown;
  /** Why a file was left alone ('too-old'). */
  message?: string;
  issueId?: string;
  sent?: number;
  failed?: number;
  pending?: number;
}

/**
 * Sends every digest that is not fully sent and reports per file. Must be idempotent, must go on
 * after a bad file, must not try files for which `skip` says true, and should stop taking new
 * messages when `signal` aborts.
 */
export type SendPending = (opts: { skip: (file: DigestFileEntry) => boolean; signal: AbortSignal }) => Promise<{ results: PendingDigestResult[]; retryAt?: Date }>;

/** A retry check is never sooner than this after the last check (a time in the past must not spin). */
const MIN_RETRY_MS = 1_000;

export interface SchedulerOptions {
  schedule: string;
  timezone?: string;
  sendPending: SendPending;
  logger: Logger;
}

/** Throws CONFIG_INVALID naming PAPERBOY_SCHEDULE / PAPERBOY_TZ with what is wrong and an example. */
export function validateSchedule(schedule: string, timezone?: string): void {
  const result = cron.validateDetailed(schedule);
  if (!result.valid) {
    const why = result.errors.map((e) => e.message).join('; ');
    throw new PaperboyError(
      'CONFIG_INVALID',
      `Invalid configuration: schedule (--schedule or PAPERBOY_SCHEDULE) "${schedule}" is not a cron expression (${why}). ` +
        `Use 5 fields "minute hour day month weekday" (or 6 with seconds first), e.g. "0 7 * * *" for 07:00 every day.`,
      { field: 'schedule' },
    );
  }
  if (timezone !== undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: timezone });
    } catch {
      throw new PaperboyError(
        'CONFIG_INVALID',
        `Invalid configuration: timezone (PAPERBOY_TZ) "${timezone}" is not an IANA time zone; use a name like "Europe/Berlin" or "UTC".`,
        { field: 'timezone' },
      );
    }
  }
}

/**
 * Remembers which file versions were reported invalid, so each is reported once and not retried.
 * A version is mtime + size: a file still being copied in is read again once the copy has finished.
 */
export class ReportedDigests {
  private readonly seen = new Map<string, string>();

  has(file: string, version: string): boolean {
    return this.seen.get(file) === version;
  }

  /** True the first time this version of the file is reported. */
  add(file: string, version: string): boolean {
    if (this.has(file, version)) return false;
    this.seen.set(file, version);
    return true;
  }

  /** Forgets files that are gone, so memory follows the folder. */
  keepOnly(files: Iterable<string>): void {
    const keep = new Set(files);
    for (const f of this.seen.keys()) if (!keep.has(f)) this.seen.delete(f);
  }
}

type Reason = 'startup' | 'schedule' | 'manual' | 'retry';

const versionOf = (f: Pick<DigestFileEntry, 'mtimeMs' | 'size'>) => `${f.mtimeMs}:${f.size}`;

export class Scheduler {
  private task: ScheduledTask | undefined;
  private running: Promise<void> | undefined;
  private readonly abort = new AbortController();
  private readonly reported = new ReportedDigests();
  /** The last failure of a whole check, logged once until it changes or a check succeeds. */
  private lastFailure: string | undefined;
  /** The next check between ticks: deferred recipients falling due, or a busy issue's lease running out. */
  private retry: { at: number; timer: NodeJS.Timeout } | undefined;

  constructor(private readonly opts: SchedulerOptions) {}

  /** Validates the schedule, starts the cron task and the start-up check (not awaited: see idle()). */
  start(): void {
    const { schedule, timezone, logger } = this.opts;
    validateSchedule(schedule, timezone);
    const task = cron.createTask(schedule, () => this.runNow('schedule'), {
      ...(timezone ? { timezone } : {}),
      name: 'paperboy-send-pending',
      noOverlap: true,
      logger: {
        info: (m) => logger.debug('cron.info', { message: m }),
        warn: (m) => logger.warn('cron.warning', { message: m }),
        error: (m, err) => logger.error('cron.error', { message: String(m), error: err }),
        debug: (m) => logger.debug('cron.debug', { message: String(m) }),
      },
    });
    this.task = task;
    void task.start();
    logger.info('scheduler.started', { schedule, timezone: timezone ?? 'local', next: task.getNextRun()?.toISOString() });
    void this.runNow('startup');
  }

  /** Runs the pending check unless one is already running (then that one is returned). */
  runNow(reason: Reason): Promise<void> {
    if (this.abort.signal.aborted) return Promise.resolve();
    if (this.running) {
      this.opts.logger.debug('pending.busy', { reason });
      return this.running;
    }
    this.running = this.check(reason).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Resolves when no check is running. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** No more ticks; the running check is told to stop taking new messages and awaited. */
  async stop(): Promise<void> {
    if (this.retry) clearTimeout(this.retry.timer);
    this.retry = undefined;
    if (this.task) {
      await this.task.destroy();
      this.task = undefined;
    }
    this.abort.abort();
    await this.idle();
    this.opts.logger.info('scheduler.stopped');
  }

  private async check(reason: Reason): Promise<void> {
    const { logger } = this.opts;
    logger.debug('pending.check', { reason });
    let results: PendingDigestResult[];
    let retryAt: Date | undefined;
    const listed = new Map<string, string>();
    try {
      ({ results, retryAt } = await this.opts.sendPending({
        skip: (f) => {
          listed.set(f.path, versionOf(f));
          return this.reported.has(f.path, versionOf(f));
        },
        signal: this.abort.signal,
      }));
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      // A broken subscribers file or config fails every tick the same way: say it once.
      if (message !== this.lastFailure) logger.error('pending.failed', { reason, error: e });
      else logger.debug('pending.failed.again', { reason });
      this.lastFailure = message;
      return;
    }
    if (this.lastFailure !== undefined) logger.info('pending.recovered', { reason });
    this.lastFailure = undefined;
    if (retryAt) this.retryAt(retryAt);
    this.reported.keepOnly(listed.keys());
    for (const r of results) await this.log(r, reason, listed.get(r.file));
    const sent = results.reduce((n, r) => n + (r.sent ?? 0), 0);
    // Start-up says it is done (and what it did); a quiet tick only at debug level.
    if (reason === 'startup') logger.info('pending.checked', { reason, files: results.length, sent });
    else logger.debug('pending.checked', { reason, files: results.length, sent });
  }

  /** Arms one timer for the earliest retry asked for; a later tick's check may move it. */
  private retryAt(at: Date): void {
    if (this.abort.signal.aborted) return;
    const when = Math.max(at.getTime(), Date.now() + MIN_RETRY_MS);
    if (this.retry && this.retry.at <= when && this.retry.at > Date.now()) return;
    if (this.retry) clearTimeout(this.retry.timer);
    const timer = setTimeout(() => {
      this.retry = undefined;
      void this.runNow('retry');
    }, when - Date.now());
    this.retry = { at: when, timer };
    this.opts.logger.debug('pending.retry', { at: new Date(when).toISOString() });
  }

  private async log(r: PendingDigestResult, reason: Reason, version: string | undefined): Promise<void> {
    const { logger } = this.opts;
    if (r.outcome === 'invalid' || r.outcome === 'too-old' || r.outcome === 'changed') {
      version ??= await stat(r.file).then((s) => versionOf({ mtimeMs: s.mtimeMs, size: s.size }), () => 'gone');
      // Said once per version of the file; later ticks pass over it until it changes.
      if (!this.reported.add(r.file, version)) return;
      if (r.outcome === 'invalid') logger.error('digest.invalid', { file: r.file, error: r.error, hint: 'fix or replace the file; it is tried again when it changes' });
      else logger.warn(`digest.${r.outcome}`, { file: r.file, issueId: r.issueId, message: r.message });
      return;
    }
    const fields = { reason, file: r.file, issueId: r.issueId, outcome: r.outcome, sent: r.sent, failed: r.failed, pending: r.pending, error: r.error };
    if (r.error || r.failed) logger.warn('digest.send', fields);
    else if (r.sent) logger.info('digest.send', fields);
    else logger.debug('digest.send', fields);
  }
}
