// When `paperboy start` fetches: right before each scheduled send (and at start-up if today's send
// time has passed, so a restart after 07:00 still makes today's issue), on its own fetch schedule
// if one is set, and when a planned retry falls due. A fetch outside a send only sends if today's
// send time has already come: papers fetched at 06:00 wait for the 07:00 send, and a retry at 08:30
// that finds the day's first papers still makes the day's one issue. Kept apart from the send
// scheduler (scheduler.ts), which only learns that a check should run.
import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from '../adapters/logger.js';
import { zonedParts } from '../domain/fetch/zoned-time.js';
import type { FetchReport } from '../services/fetch-sources.js';

/** Whether a tick of `schedule` fell between today's midnight and `now` (in the time zone). */
export function sendDueToday(schedule: string, timeZone: string | undefined, now: Date): boolean {
  const f = cron.parse(schedule);
  const earliest = Math.min(...f.hour) * 3600 + Math.min(...f.minute) * 60 + Math.min(...f.second);
  const z = zonedParts(now, timeZone);
  if (earliest > z.secondsOfDay) return false;
  const task = cron.createTask(schedule, () => undefined, timeZone ? { timezone: timeZone } : {});
  try {
    const at = now.getTime() - (z.secondsOfDay - earliest) * 1000;
    // The earliest tick's day fields decide for the whole day; ±1 h covers a DST change since midnight.
    return [0, -3600_000, 3600_000].some((shift) => task.match(new Date(at + shift)));
  } finally {
    void task.destroy();
  }
}

export interface FetchTriggerOptions {
  sendSchedule: string;
  fetchSchedule?: string;
  timezone?: string;
  clock: () => Date;
  fetchDue: (signal: AbortSignal) => Promise<FetchReport[]>;
  nextRetry: () => Promise<Date | undefined>;
  /** Runs the scheduler's pending check (which fetches first, then sends). */
  runSendCheck: () => Promise<void>;
  logger: Logger;
}

/** Timers longer than this are re-armed (setTimeout's limit is ~24.8 days; a day is plenty). */
const MAX_TIMER_MS = 6 * 3600_000;
const MIN_RETRY_MS = 30_000;

export class FetchTriggers {
  private task: ScheduledTask | undefined;
  private timer: NodeJS.Timeout | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly abort = new AbortController();

  constructor(private readonly o: FetchTriggerOptions) {}

  start(): void {
    const { fetchSchedule, timezone, logger } = this.o;
    if (!fetchSchedule) return;
    this.task = cron.createTask(fetchSchedule, () => this.fetchThenMaybeSend('fetch-schedule'), {
      ...(timezone ? { timezone } : {}),
      name: 'paperboy-fetch',
      noOverlap: true,
    });
    void this.task.start();
    logger.info('fetch.scheduled', { schedule: fetchSchedule, next: this.task.getNextRun()?.toISOString() });
  }

  /** The scheduler's check calls this first: fetch when a send is due today (a tick, or a late start-up). */
  async beforeSend(signal: AbortSignal): Promise<void> {
    if (sendDueToday(this.o.sendSchedule, this.o.timezone, this.o.clock())) await this.fetch('send', signal);
    await this.armRetry();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.task) await this.task.destroy();
    this.task = undefined;
    await this.queue;
  }

  private async fetchThenMaybeSend(reason: 'fetch-schedule' | 'retry'): Promise<void> {
    if (this.abort.signal.aborted) return;
    await this.fetch(reason, this.abort.signal);
    if (!this.abort.signal.aborted && sendDueToday(this.o.sendSchedule, this.o.timezone, this.o.clock())) await this.o.runSendCheck();
    await this.armRetry();
  }

  /** One fetch at a time in this process; a failure of the whole fetch is logged, never thrown at the scheduler. */
  private fetch(reason: string, signal: AbortSignal): Promise<void> {
    const run = this.queue.then(async () => {
      try {
        for (const report of await this.o.fetchDue(signal)) {
          for (const s of report.sources) {
            if (s.action !== 'fetched') continue;
            const r = s.record;
            const fields = { reason, source: s.source, date: s.date, status: r?.status, papers: r?.papers, httpStatus: r?.httpStatus, bytes: r?.bytes, next: r?.nextAttemptAt, message: s.line };
            if (r?.status === 'failed') this.o.logger.warn('fetch.source', fields);
            else this.o.logger.info('fetch.source', fields);
          }
          if (report.written) this.o.logger.info('fetch.written', { date: report.date, digest: report.written, papers: report.papers });
        }
      } catch (e) {
        if (!signal.aborted) this.o.logger.error('fetch.failed', { reason, error: e });
      }
    });
    this.queue = run;
    return run;
  }

  /** Sets the timer for the earliest planned retry (replacing any earlier timer). */
  private async armRetry(): Promise<void> {
    if (this.abort.signal.aborted) return;
    let at: Date | undefined;
    try {
      at = await this.o.nextRetry();
    } catch (e) {
      this.o.logger.error('fetch.failed', { reason: 'retry', error: e });
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!at) return;
    // At least MIN_RETRY_MS: a retry that could not be recorded must not spin.
    const wait = Math.max(MIN_RETRY_MS, at.getTime() - this.o.clock().getTime());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (wait > MAX_TIMER_MS) void this.armRetry();
      else void this.fetchThenMaybeSend('retry');
    }, Math.min(wait, MAX_TIMER_MS));
    this.o.logger.debug('fetch.retry.armed', { at: at.toISOString() });
  }
}
