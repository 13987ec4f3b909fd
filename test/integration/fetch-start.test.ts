// `paperboy start` with two sources and a one-second schedule, in a child process, against the
// replaying source server: the first tick fetches both sources into one digest and sends it; the
// ticks after fetch nothing new and send nothing; the day has one issue, sent once to each reader.
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO_ROOT, startPaperboy, type PaperboyProcess } from '../helpers/paperboy-process.js';
import { startSourceServer, type SourceServer } from '../helpers/source-server.js';

let dir: string;
let pb: PaperboyProcess | undefined;
let server: SourceServer | undefined;

afterEach(async () => {
  await pb?.stop('SIGKILL');
  await server?.close();
  pb = undefined;
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

describe('paperboy start with sources', () => {
  it('fetches Hugging Face and arXiv before the send: one issue a day, sent once', { timeout: 90_000 }, async () => {
    dir = await mkdtemp(join(tmpdir(), 'paperboy-fetch-start-'));
    await mkdir(join(dir, 'digests'));
    const readers = ['a@example.org', 'b@example.org'];
    await writeFile(join(dir, 'subscribers.json'), JSON.stringify({ subscribers: readers.map((email) => ({ email, status: 'active', topics: [], createdAt: '2026-01-01T00:00:00.000Z' })) }));
    server = await startSourceServer();
    // Whatever today is, Hugging Face answers with a recorded day and the feed announces today.
    server.dailyFallback = 'hf-daily-2026-08-20.json';
    const today = new Date().toISOString().slice(0, 10);
    server.listing = { items: [{ id: '2510.14968', type: 'new' }, { id: '2510.14827', type: 'cross' }], announced: today };

    pb = startPaperboy(['start', '--schedule', '* * * * * *', '--no-web'], {
      PAPERBOY_DIGESTS_DIR: 'digests',
      PAPERBOY_SUBSCRIBERS: 'subscribers.json',
      PAPERBOY_STATE_DIR: 'state',
      PAPERBOY_TEMPLATES_DIR: resolve(REPO_ROOT, 'templates'),
      PAPERBOY_SECRET: 'fetch-start-secret-0123456789',
      PAPERBOY_LOG_FORMAT: 'json',
      PAPERBOY_TZ: 'UTC',
      PAPERBOY_SOURCES: 'hf-daily,arxiv',
      PAPERBOY_ARXIV_CATEGORIES: 'cs.RO',
      PAPERBOY_HF_URL: server.url,
      PAPERBOY_ARXIV_FEED_URL: `${server.url}/atom`,
      PAPERBOY_ARXIV_API_URL: `${server.url}/api/query`,
      PAPERBOY_CONTACT: 'ops@example.org',
    }, dir);

    const written = await pb.waitFor((e) => e.event === 'fetch.written', 'the day digest was written');
    expect(written).toMatchObject({ date: today, papers: 17, digest: join(dir, 'digests', `${today}.json`) });
    const sent = await pb.waitFor((e) => e.event === 'digest.send' && e.outcome === 'completed', 'the issue was sent');
    expect(sent).toMatchObject({ sent: 2, failed: 0 });
    // Let several more ticks pass: each checks again, none fetches or sends anything new.
    const ticksBefore = pb.events.filter((e) => e.event === 'digest.send').length;
    await new Promise((r) => setTimeout(r, 3500));
    expect(await pb.stop('SIGTERM')).toBe(0);

    expect(pb.events.filter((e) => e.event === 'fetch.written')).toHaveLength(1);
    expect(pb.events.filter((e) => e.event === 'fetch.source' && e.status === 'ok').map((e) => e.source).sort()).toEqual(['arxiv', 'hf-daily']);
    expect(pb.events.filter((e) => e.event === 'digest.send' && e.outcome === 'completed')).toHaveLength(1);
    expect(ticksBefore).toBeGreaterThanOrEqual(1);
    // Each source was asked once: the feed and the API (3 s apart), one page of Hugging Face.
    expect(server.requests.map((r) => r.path.split('?')[0]).sort()).toEqual(['/api/daily_papers', '/api/query', '/atom/cs.RO']);

    const files = (await readdir(join(dir, 'state/outbox'))).filter((f) => f.endsWith('.eml'));
    const mails = await Promise.all(files.map(async (f) => simpleParser(await readFile(join(dir, 'state/outbox', f)))));
    expect(mails.map((m) => (Array.isArray(m.to) ? '' : m.to?.value[0]?.address)).sort()).toEqual(readers);
    expect(new Set(mails.map((m) => m.subject)).size).toBe(1);
    // Both sources in the one issue.
    expect(mails[0]!.text).toContain('RDD: Retrieval-Based Demonstration Decomposer');
    expect(mails[0]!.text).toMatch(/2608\.16590|Xin Ding/);
    expect(pb.otherOutput()).toBe('');
  });
});
