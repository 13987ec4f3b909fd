// A throwaway paperboy installation for send tests: temp state dir with its SQLite database (or a
// database on the test PostgreSQL server), the repo's templates and taxonomy, and an App built by
// the real composition root.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp, type App, type AppPorts } from '../../src/app.js';
import { parseConfig, type Config } from '../../src/config.js';
import { SubscriberSchema, type Subscriber } from '../../src/domain/subscriber.js';
import { createPostgresDatabase, type Backend } from './stores.js';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const SAMPLE_DIGEST = join(REPO, 'docs/examples/sample-digest.json');

export type SubscriberInput = Partial<Subscriber> & { email: string };

export function subscriber(email: string, extra: Partial<Subscriber> = {}): SubscriberInput {
  return { email, topics: [], status: 'active', createdAt: '2026-01-01T00:00:00.000Z', ...extra };
}

/** n active subscribers sub000@example.org …, all topics. */
export function manySubscribers(n: number, extra: Partial<Subscriber> = {}): SubscriberInput[] {
  return Array.from({ length: n }, (_, i) => subscriber(`sub${String(i).padStart(3, '0')}@example.org`, extra));
}

export interface SendFixture {
  dir: string;
  config: Config;
  /** Values for parseConfig, also usable as PAPERBOY_* environment for a child process. */
  env: Record<string, string>;
  app: App;
  /** Lines the apps logged (warnings from sends). */
  logs: string[];
  /** Replaces every subscriber in the database with these. */
  writeSubscribers(subs: SubscriberInput[]): Promise<void>;
  readSubscribers(): Promise<Subscriber[]>;
  /** Another App over the same database (a second process, as far as the lease is concerned). */
  newApp(overrides?: Partial<AppPorts>): Promise<App>;
  close(): Promise<void>;
}

export async function makeSendFixture(opts: {
  smtpUrl?: string;
  subscribers: SubscriberInput[];
  env?: Record<string, string>;
  /** sqlite (default): <dir>/state/paperboy.db; postgres: a new database on the test server. */
  backend?: Backend;
  overrides?: Partial<AppPorts>;
}): Promise<SendFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'paperboy-send-'));
  const env: Record<string, string> = {
    PAPERBOY_FROM: 'Paperboy Digest <papers@example.org>',
    PAPERBOY_BASE_URL: 'https://papers.example.org',
    PAPERBOY_SECRET: 'test-secret-0123456789abcdef',
    PAPERBOY_STATE_DIR: join(dir, 'state'),
    PAPERBOY_SUBSCRIBERS: join(dir, 'subscribers.json'),
    ...(opts.backend === 'postgres' ? { PAPERBOY_DATABASE_URL: await createPostgresDatabase() } : {}),
    PAPERBOY_DIGESTS_DIR: join(dir, 'digests'),
    PAPERBOY_TEMPLATES_DIR: join(REPO, 'templates'),
    PAPERBOY_SMTP_CONNECTIONS: '3',
    PAPERBOY_RETRY_BASE_MS: '20',
    PAPERBOY_MAX_FAILURES_IN_A_ROW: '3',
    PAPERBOY_SMTP_TIMEOUT_MS: '5000',
    ...(opts.smtpUrl ? { PAPERBOY_SMTP_URL: opts.smtpUrl } : {}),
    ...opts.env,
  };
  const config = parseConfig({}, env);
  const logs: string[] = [];
  const newApp = (overrides: Partial<AppPorts> = {}) => createApp(config, { cwd: dir, log: (l) => logs.push(l), ...opts.overrides, ...overrides });
  const app = await newApp();
  const readSubscribers = () => app.store.listSubscribers({ limit: 1_000_000 });
  const writeSubscribers = async (subs: SubscriberInput[]) => {
    const wanted = subs.map((s) => SubscriberSchema.parse(s));
    const gone = (await readSubscribers()).map((s) => s.email).filter((e) => !wanted.some((w) => w.email === e));
    await app.store.changeSubscribers([...gone, ...wanted.map((w) => w.email)], () => ({
      next: new Map<string, Subscriber | null>([...gone.map((e) => [e, null] as const), ...wanted.map((w) => [w.email, w] as const)]),
      result: undefined,
    }));
  };
  await writeSubscribers(opts.subscribers);
  return {
    dir,
    config,
    env,
    app,
    logs,
    writeSubscribers,
    readSubscribers,
    newApp,
    async close() {
      await app.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
