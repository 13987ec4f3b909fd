// createApp over a temporary folder whose sources point at a SourceServer, with a fake clock whose
// sleep moves time on at once: waits of seconds or minutes (arXiv's 3 s gap, Retry-After) cost no
// real time, and the server stamps each request with the same fake clock.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { startSourceServer, type SourceServer } from './source-server.js';

export interface FakeClock {
  ms: number;
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
  slept: number[];
}

export function fakeClock(startIso: string): FakeClock {
  const c: FakeClock = {
    ms: Date.parse(startIso),
    now: () => new Date(c.ms),
    sleep: async (ms: number) => {
      c.slept.push(ms);
      c.ms += ms;
    },
    slept: [],
  };
  return c;
}

export interface FetchFixture {
  dir: string;
  app: App;
  server: SourceServer;
  clock: FakeClock;
  logs: string[];
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function makeFetchFixture(opts: { now: string; sources?: string; env?: Record<string, string>; realClock?: boolean }): Promise<FetchFixture> {
  const clock = fakeClock(opts.now);
  const server = await startSourceServer(opts.realClock ? {} : { clock: () => clock.ms });
  const dir = await mkdtemp(join(tmpdir(), 'paperboy-fetch-'));
  await writeFile(join(dir, 'subscribers.json'), JSON.stringify({ subscribers: [{ email: 'reader@example.org', status: 'active', topics: [], createdAt: '2026-01-01T00:00:00.000Z' }] }));
  const env: Record<string, string> = {
    PAPERBOY_DIGESTS_DIR: 'digests',
    PAPERBOY_STATE_DIR: 'state',
    PAPERBOY_SUBSCRIBERS: 'subscribers.json',
    PAPERBOY_SECRET: 'fetch-test-secret-0123456789',
    PAPERBOY_TZ: 'UTC',
    PAPERBOY_MAX_DIGEST_AGE_DAYS: '0',
    PAPERBOY_SOURCES: opts.sources ?? 'hf-daily,arxiv',
    PAPERBOY_ARXIV_CATEGORIES: 'cs.RO,math.DG',
    PAPERBOY_HF_URL: server.url,
    PAPERBOY_ARXIV_FEED_URL: `${server.url}/atom`,
    PAPERBOY_ARXIV_API_URL: `${server.url}/api/query`,
    PAPERBOY_CONTACT: 'ops@example.org',
    PAPERBOY_FETCH_TIMEOUT_MS: '2000',
    ...opts.env,
  };
  const logs: string[] = [];
  const app = await createApp(parseConfig({}, env), {
    cwd: dir,
    log: (l) => logs.push(l),
    ...(opts.realClock ? {} : { clock: clock.now, http: { nowMs: () => clock.ms, sleep: clock.sleep, random: () => 0.5 } }),
  });
  return {
    dir,
    app,
    server,
    clock,
    logs,
    env,
    async close() {
      await app.close();
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
