// Builds the web app for in-process route tests with app.request() (no port): a real SQLite
// database in a temporary folder (subscribers, archive, sign-up caps), a capturing mailer and a
// fake admin port.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { simpleParser, type ParsedMail } from 'mailparser';
import { onTestFinished } from 'vitest';
import { MemoryMailer } from '../../src/adapters/mailer.js';
import { createSignupLimits } from '../../src/adapters/signup-limits.js';
import { parseConfig, type Config } from '../../src/config.js';
import { SubscriberSchema, type Subscriber } from '../../src/domain/subscriber.js';
import type { ArchiveEntry, Store, StoredSubscriber } from '../../src/services/store-ports.js';
import { testStore } from './stores.js';
import type { Taxonomy } from '../../src/domain/taxonomy.js';
import type { AdminPort, WebDeps } from '../../src/http/deps.js';
import { createWebApp, type WebApp } from '../../src/http/web-app.js';
import type { RenderOneOff, SignupLimits } from '../../src/services/web-subscriptions.js';

export const TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));
export const SECRET = 'test-secret-0123456789abcdef';
export const ADMIN_TOKEN = 'admin-token-0123456789abcdef';
export const BASE_URL = 'http://paperboy.test';

export const TAXONOMY: Taxonomy = {
  topics: [
    { id: 'nlp', name: 'Language models', description: 'LLMs, text generation & <evaluation>.', keywords: { language: 1 }, categories: [] },
    { id: 'vision', name: 'Computer vision', description: 'Images, video and 3D.', keywords: { image: 1 }, categories: [] },
    { id: 'robotics', name: 'Robotics', description: 'Robots that act in the world.', keywords: { robot: 1 }, categories: [] },
  ],
};

/** Renders one-off mails as plain data dumps; the real renderer is exercised by the server tests. */
export const dumpRender: RenderOneOff = async (name, data) => ({
  subject: `[${name}]`,
  html: `<p>${Object.entries(data).map(([k, v]) => `${k}=${String(v)}`).join('</p><p>')}</p>`,
  text: Object.entries(data).map(([k, v]) => `${k}=${String(v)}`).join('\n'),
});

export class FakeAdmin implements AdminPort {
  calls: { op: string; digest?: string | undefined }[] = [];
  fail: Error | undefined;
  async send(digest?: string) {
    this.calls.push({ op: 'send', digest });
    if (this.fail) throw this.fail;
    return { sent: 2, digest: digest ?? null };
  }
  async status() {
    this.calls.push({ op: 'status' });
    return { issues: [{ id: '2026-03-14-aaaaaaaa', sent: 2 }] };
  }
  async preview(digest: string) {
    this.calls.push({ op: 'preview', digest });
    if (this.fail) throw this.fail;
    return `<html><body><h1>Preview of ${digest}</h1></body></html>`;
  }
}

export interface WebFixture {
  web: WebApp;
  request: (path: string, init?: RequestInit) => Promise<Response>;
  store: Store;
  /** Every subscriber, in id order (after the sign-ups' background work). */
  list(): Promise<StoredSubscriber[]>;
  mailer: MemoryMailer;
  admin: FakeAdmin;
  config: Config;
  logs: string[];
  clock: { now: Date };
  /** Mails handed to the mailer so far (waits for background sends first), parsed. */
  mails(): Promise<ParsedMail[]>;
}

export interface FixtureOptions {
  config?: Record<string, unknown>;
  subscribers?: Partial<Subscriber>[];
  archive?: ArchiveEntry[];
  /** Replaces parts of the store (to make it fail, say). */
  store?: (real: Store) => Store;
  /** Replaces parts of the sign-up caps (to make their database fail). */
  limits?: (real: SignupLimits) => SignupLimits;
  renderEmail?: RenderOneOff;
}

export async function webFixture(opts: FixtureOptions = {}): Promise<WebFixture> {
  const config = parseConfig(
    {
      baseUrl: BASE_URL,
      secret: SECRET,
      templatesDir: TEMPLATES_DIR,
      from: 'Paper Digest <news@paperboy.test>',
      trustProxy: true,
      ...opts.config,
    },
    {},
  );
  const t = await testStore('sqlite');
  const limits = createSignupLimits({ dialect: 'sqlite', path: join((t.target as { path: string }).path, '..', 'limits.db') }, config.signup);
  onTestFinished(async () => {
    limits.close();
    await t.dispose();
  });
  for (const s of opts.subscribers ?? []) {
    const sub = SubscriberSchema.parse(s);
    await t.store.changeSubscriber(sub.email, () => ({ next: sub, result: undefined }));
  }
  for (const e of opts.archive ?? []) await t.store.saveArchive(e);
  const store = opts.store ? opts.store(t.store) : t.store;
  const mailer = new MemoryMailer();
  const admin = new FakeAdmin();
  const logs: string[] = [];
  const clock = { now: new Date('2026-03-14T08:00:00.000Z') };
  const deps: WebDeps = {
    config,
    secret: SECRET,
    clock: () => clock.now,
    store,
    mailer,
    taxonomy: TAXONOMY,
    limits: opts.limits ? opts.limits(limits) : limits,
    renderEmail: opts.renderEmail ?? dumpRender,
    admin,
    log: (line) => logs.push(line),
  };
  const web = createWebApp(deps);
  return {
    web,
    request: async (path, init) => web.hono.request(path, init),
    store,
    async list() {
      await web.tasks.idle();
      return t.store.listSubscribers({ limit: 1_000_000 });
    },
    mailer,
    admin,
    config,
    logs,
    clock,
    async mails() {
      await web.tasks.idle();
      return Promise.all(mailer.sent.map((m) => simpleParser(m.raw)));
    },
  };
}

/** A form POST as a browser on the same site sends it (from the given client IP). */
export function postForm(fields: Record<string, string | string[]>, opts: { ip?: string; origin?: string | null } = {}): RequestInit {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const one of ([] as string[]).concat(v)) body.append(k, one);
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': opts.ip ?? '203.0.113.7' };
  if (opts.origin !== null) headers.origin = opts.origin ?? BASE_URL;
  return { method: 'POST', headers, body: body.toString() };
}

/** The first link in a mail's text whose path starts with `prefix`, as a path for app.request(). */
export function linkIn(mail: ParsedMail, prefix: string): string {
  const m = new RegExp(`${BASE_URL.replace(/\./g, '\\.')}(${prefix}[^\\s"<>]+)`).exec(`${mail.text ?? ''}\n${mail.html || ''}`);
  if (!m) throw new Error(`no ${prefix} link in mail "${mail.subject}"`);
  return m[1]!;
}

export function subscriber(over: Partial<Subscriber> & Pick<Subscriber, 'email' | 'status'>): Partial<Subscriber> {
  return { createdAt: '2026-01-01T00:00:00.000Z', topics: [], ...over };
}
