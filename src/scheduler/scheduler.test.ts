// The scheduler's own logic with a fake pending check; no cron task is started here (runNow only).
// The real cron trigger is tested in test/integration/scheduler.test.ts.
import { describe, expect, it } from 'vitest';
import type { DigestFileEntry } from '../adapters/digest-folder.js';
import { MemoryLogger } from '../adapters/logger.js';
import { PaperboyError } from '../errors.js';
import { ReportedDigests, Scheduler, validateSchedule, type PendingDigestResult, type SendPending } from './scheduler.js';

const file = (name: string, mtimeMs = 1000): DigestFileEntry => ({ name, path: `/digests/${name}`, mtimeMs, size: 10 });

/** A pending check over a fake folder: `bad` files are invalid, the others "sent" once. */
function fakeFolder(files: DigestFileEntry[], bad: Set<string>) {
  const tried: string[] = [];
  const sent = new Set<string>();
  const sendPending: SendPending = async ({ skip }) => {
    const results: PendingDigestResult[] = [];
    for (const f of files) {
      if (skip(f) || sent.has(f.path)) continue;
      tried.push(f.name);
      if (bad.has(f.name)) results.push({ file: f.path, outcome: 'invalid', error: new PaperboyError('DIGEST_INVALID', `${f.name}: bad`) });
      else {
        sent.add(f.path);
        results.push({ file: f.path, outcome: 'completed', sent: 3, failed: 0 });
      }
    }
    return { results };
  };
  return { sendPending, tried };
}

describe('validateSchedule', () => {
  it('accepts 5- and 6-field expressions and IANA zones', () => {
    expect(() => validateSchedule('0 7 * * *')).not.toThrow();
    expect(() => validateSchedule('* * * * * *', 'Europe/Berlin')).not.toThrow();
  });

  it('names PAPERBOY_SCHEDULE / PAPERBOY_TZ and says what is wrong', () => {
    expect(() => validateSchedule('every morning')).toThrow(/schedule \(--schedule or PAPERBOY_SCHEDULE\) "every morning" is not a cron expression \(expected 5 or 6 fields but got 2\)/);
    expect(() => validateSchedule('61 7 * * *')).toThrow(/61 is a invalid expression for minute/);
    expect(() => validateSchedule('0 7 * * *', 'Mars/Olympus')).toThrow(/timezone \(PAPERBOY_TZ\) "Mars\/Olympus"/);
    try {
      validateSchedule('x');
    } catch (e) {
      expect((e as PaperboyError).code).toBe('CONFIG_INVALID');
    }
  });
});

describe('ReportedDigests', () => {
  it('reports a file version once, again when it changes, and forgets removed files', () => {
    const r = new ReportedDigests();
    expect(r.add('/d/a.json', '1:10')).toBe(true);
    expect(r.add('/d/a.json', '1:10')).toBe(false);
    expect(r.has('/d/a.json', '2:10')).toBe(false);
    expect(r.add('/d/a.json', '2:10')).toBe(true);
    r.keepOnly(['/d/b.json']);
    expect(r.has('/d/a.json', '2:10')).toBe(false);
  });
});

describe('Scheduler pending check', () => {
  it('reports an invalid digest once, does not retry it, and goes on with the others', async () => {
    const files = [file('2026-03-13.json'), file('2026-03-14-broken.json'), file('2026-03-15.json')];
    const { sendPending, tried } = fakeFolder(files, new Set(['2026-03-14-broken.json']));
    const logger = new MemoryLogger();
    const s = new Scheduler({ schedule: '0 7 * * *', sendPending, logger });

    await s.runNow('startup');
    await s.runNow('schedule');
    await s.runNow('schedule');
    expect(tried).toEqual(['2026-03-13.json', '2026-03-14-broken.json', '2026-03-15.json']);
    expect(logger.events('error')).toEqual(['digest.invalid']);
    expect(logger.entries.find((e) => e.event === 'digest.invalid')?.fields).toMatchObject({ file: '/digests/2026-03-14-broken.json' });
    expect(logger.entries.filter((e) => e.event === 'digest.send' && e.level === 'info')).toHaveLength(2);

    // The file is rewritten (still broken): a new version, tried and reported again.
    files[1] = file('2026-03-14-broken.json', 2000);
    await s.runNow('schedule');
    expect(tried.filter((t) => t === '2026-03-14-broken.json')).toHaveLength(2);
    expect(logger.events('error')).toEqual(['digest.invalid', 'digest.invalid']);
  });

  it('warns once about a digest left alone for its age, and passes over it until it changes', async () => {
    const files = [file('2025-01-01.json')];
    const tried: string[] = [];
    const sendPending: SendPending = async ({ skip }) => {
      const results: PendingDigestResult[] = [];
      for (const f of files) {
        if (skip(f)) continue;
        tried.push(f.name);
        results.push({ file: f.path, outcome: 'too-old', message: 'dated 2025-01-01: not sent automatically' });
      }
      return { results };
    };
    const logger = new MemoryLogger();
    const s = new Scheduler({ schedule: '0 7 * * *', sendPending, logger });
    await s.runNow('startup');
    await s.runNow('schedule');
    expect(tried).toEqual(['2025-01-01.json']);
    expect(logger.events('warn')).toEqual(['digest.too-old']);
    expect(logger.entries.find((e) => e.event === 'digest.too-old')?.fields).toMatchObject({ file: '/digests/2025-01-01.json', message: 'dated 2025-01-01: not sent automatically' });
    files[0] = file('2025-01-01.json', 2000);
    await s.runNow('schedule');
    expect(tried).toHaveLength(2);
  });

  it('logs a failing check once until it changes or recovers', async () => {
    let fail: string | null = 'Cannot use the database: the disk is full';
    const logger = new MemoryLogger();
    const s = new Scheduler({
      schedule: '0 7 * * *',
      logger,
      sendPending: async () => {
        if (fail) throw new PaperboyError('STORE_UNAVAILABLE', fail);
        return { results: [] };
      },
    });
    await s.runNow('startup');
    await s.runNow('schedule');
    expect(logger.events('error')).toEqual(['pending.failed']);
    fail = 'Cannot use the database: it is read-only';
    await s.runNow('schedule');
    expect(logger.events('error')).toEqual(['pending.failed', 'pending.failed']);
    fail = null;
    await s.runNow('schedule');
    expect(logger.events('info')).toEqual(['pending.recovered']);
  });

  it('runs one check at a time and stops taking new work when stopped', async () => {
    let release!: () => void;
    let calls = 0;
    let signal: AbortSignal | undefined;
    const s = new Scheduler({
      schedule: '0 7 * * *',
      logger: new MemoryLogger(),
      sendPending: async (opts) => {
        calls += 1;
        signal = opts.signal;
        await new Promise<void>((r) => (release = r));
        return { results: [] };
      },
    });
    const first = s.runNow('startup');
    const second = s.runNow('schedule');
    await Promise.resolve();
    expect(calls).toBe(1);
    const stopping = s.stop();
    expect(signal?.aborted).toBe(true);
    release();
    await Promise.all([first, second, stopping]);
    await s.runNow('schedule');
    expect(calls).toBe(1);
  });

  it('checks again when a retry falls due (deferred recipients, a busy issue), not only at the next tick', async () => {
    let calls = 0;
    const s = new Scheduler({
      schedule: '0 7 * * *',
      logger: new MemoryLogger(),
      sendPending: async () => {
        calls += 1;
        // The first check asks to be run again in ~1 s (a time in the past is clamped to 1 s).
        return calls === 1 ? { results: [], retryAt: new Date(Date.now() - 5000) } : { results: [] };
      },
    });
    await s.runNow('startup');
    expect(calls).toBe(1);
    await new Promise((r) => setTimeout(r, 1400));
    await s.idle();
    expect(calls).toBe(2);
    await new Promise((r) => setTimeout(r, 1200));
    expect(calls).toBe(2);
    await s.stop();
  });
});
