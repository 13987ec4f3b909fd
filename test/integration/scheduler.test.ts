// `paperboy start` in a child process with a one-second schedule and the outbox mailer (no SMTP
// URL): digests dropped into the folder after start-up go out on a cron tick, one .eml per active
// subscriber; a malformed digest beside them is reported once and does not hold them up.
import { copyFile, mkdir, mkdtemp, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyToken } from '../../src/domain/tokens.js';
import { REPO_ROOT, startPaperboy, type LogEvent, type PaperboyProcess } from '../helpers/paperboy-process.js';

const SECRET = 'scheduler-test-secret-0123456789';
const SAMPLE = resolve(REPO_ROOT, 'docs/examples/sample-digest.json');
const REAL = resolve(REPO_ROOT, '../shared/data/digests/hf-daily-2024-06-28.json');

let dir: string;
let pb: PaperboyProcess | undefined;

const sub = (email: string, status: string, topics: string[] = []) => ({ email, status, topics, createdAt: '2026-01-01T00:00:00.000Z' });

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'paperboy-start-'));
  await mkdir(join(dir, 'digests'));
  const subscribers = [
    sub('all@example.org', 'active'),
    sub('language@example.org', 'active', ['language']),
    sub('vision@example.org', 'active', ['vision']),
    sub('gone@example.org', 'unsubscribed'),
    sub('waiting@example.org', 'pending'),
  ];
  await writeFile(join(dir, 'subscribers.json'), JSON.stringify({ subscribers }, null, 2));
});

afterEach(async () => {
  await pb?.stop('SIGKILL');
  pb = undefined;
  await rm(dir, { recursive: true, force: true });
});

/** Appears at once, whole: written beside under a dot-name (never listed), then renamed. */
async function drop(name: string, content: string | Buffer): Promise<void> {
  await writeFile(join(dir, 'digests', `.${name}.part`), content);
  await rename(join(dir, 'digests', `.${name}.part`), join(dir, 'digests', name));
}

async function outbox(issueId: string) {
  const files = (await readdir(join(dir, 'state/outbox')).catch(() => [] as string[])).filter((f) => f.startsWith(issueId) && f.endsWith('.eml'));
  return Promise.all(files.map(async (f) => simpleParser(await readFile(join(dir, 'state/outbox', f)))));
}

const sentEvent = (fileName: string) => (e: LogEvent) => e.event === 'digest.send' && basename(String(e.file)) === fileName && e.outcome === 'completed';

describe('paperboy start (scheduler)', () => {
  it('sends digests dropped in after start-up on a cron tick, reporting a malformed one once', { timeout: 90_000 }, async () => {
    pb = startPaperboy(['start', '--schedule', '* * * * * *'], {
      PAPERBOY_DIGESTS_DIR: 'digests',
      // The digests are from 2024 and March 2026: this test is about ticks, not the age rule.
      PAPERBOY_MAX_DIGEST_AGE_DAYS: '0',
      PAPERBOY_SUBSCRIBERS: 'subscribers.json',
      PAPERBOY_STATE_DIR: 'state',
      PAPERBOY_TEMPLATES_DIR: resolve(REPO_ROOT, 'templates'),
      PAPERBOY_SECRET: SECRET,
      PAPERBOY_BASE_URL: 'https://papers.example.org',
      PAPERBOY_PORT: '0',
      PAPERBOY_LOG_FORMAT: 'json',
    }, dir);

    // Start-up check over an empty folder, then the digests arrive: only a tick can send them.
    const startup = await pb.waitFor((e) => e.event === 'pending.checked' && e.reason === 'startup', 'the start-up check');
    expect(startup).toMatchObject({ files: 0, sent: 0 });
    await drop('2026-03-14-broken.json', '{"date": "2026-03-14", "papers": [ {"id": ');
    await drop('2026-03-14.json', await readFile(SAMPLE));

    const first = await pb.waitFor(sentEvent('2026-03-14.json'), 'the sample digest was sent');
    expect(first).toMatchObject({ reason: 'schedule', sent: 3, failed: 0 });
    const invalid = await pb.waitFor((e) => e.event === 'digest.invalid', 'the broken digest was reported');
    expect(invalid).toMatchObject({ level: 'error', file: join(dir, 'digests', '2026-03-14-broken.json') });
    expect(String(invalid.error)).toMatch(/not valid JSON/);

    const mails = await outbox(String(first.issueId));
    expect(mails.map((m) => m.to && !Array.isArray(m.to) && m.to.value[0]?.address).sort()).toEqual(['all@example.org', 'language@example.org', 'vision@example.org']);
    for (const m of mails) {
      const unsubscribe = m.headerLines.find((h) => h.key === 'list-unsubscribe')?.line ?? '';
      const token = /^List-Unsubscribe: <https:\/\/papers\.example\.org\/unsubscribe\/([A-Za-z0-9_.-]+)>$/i.exec(unsubscribe)?.[1];
      const to = !Array.isArray(m.to) ? m.to?.value[0]?.address : undefined;
      expect(verifyToken(SECRET, token ?? '', 'unsubscribe', new Date())).toMatchObject({ email: to });
    }

    // Later ticks keep running (a second digest goes out) without reporting the broken file again.
    await copyFile(REAL, join(dir, 'digests', '.real.part'));
    await rename(join(dir, 'digests', '.real.part'), join(dir, 'digests', 'hf-daily-2024-06-28.json'));
    const second = await pb.waitFor(sentEvent('hf-daily-2024-06-28.json'), 'the second digest was sent');
    expect(second.reason).toBe('schedule');
    const secondTo = (await outbox(String(second.issueId))).map((m) => (!Array.isArray(m.to) ? m.to?.value[0]?.address : undefined));
    expect(secondTo).toContain('all@example.org');
    expect(new Set(secondTo).size).toBe(secondTo.length);
    expect(pb.events.filter((e) => e.event === 'digest.invalid')).toHaveLength(1);
    expect(pb.events.filter((e) => e.event === 'digest.send' && basename(String(e.file)) === '2026-03-14.json')).toHaveLength(1);

    // SIGTERM: stops cleanly with exit 0.
    expect(await pb.stop('SIGTERM')).toBe(0);
    expect(pb.events.map((e) => e.event).slice(-3)).toEqual(['shutdown.begin', 'scheduler.stopped', 'shutdown.done']);
    expect(pb.otherOutput()).toBe('');
  });

  it('refuses a bad schedule before starting anything, naming PAPERBOY_SCHEDULE', async () => {
    pb = startPaperboy(['start'], { PAPERBOY_SCHEDULE: '0 25 * * *', PAPERBOY_STATE_DIR: 'state', PAPERBOY_TEMPLATES_DIR: resolve(REPO_ROOT, 'templates') }, dir);
    expect(await pb.exited).toBe(2);
    expect(pb.otherOutput()).toMatch(/^paperboy: Invalid configuration: schedule \(--schedule or PAPERBOY_SCHEDULE\) "0 25 \* \* \*" is not a cron expression/);
    expect(pb.events).toEqual([]);
  });
});
