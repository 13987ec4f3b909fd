// The delivery loop over in-memory ports and a fake clock (sleep advances time; no real timers).
import { describe, expect, it } from 'vitest';
import { MemoryLedger } from '../adapters/ledger.js';
import { MailerError, MemoryMailer, type RawMessage } from '../adapters/mailer.js';
import { MemorySubscriberStore } from '../adapters/subscriber-store.js';
import { parseConfig } from '../config.js';
import { deliver, type DeliveryDeps, type DeliveryJob } from './deliver.js';
import { SubscriberWatch } from './subscriber-watch.js';

const smtp = (over: Record<string, number> = {}) => ({ ...parseConfig({}, {}).smtp, retryBaseMs: 1000, connections: 1, ...over });
const sub = (email: string) => ({ email, status: 'active' as const, topics: [], createdAt: '2026-01-01T00:00:00.000Z' });

async function setup(n: number, fail: (msg: RawMessage, attempt: number) => MailerError | undefined, over: Record<string, number> = {}) {
  let now = Date.parse('2026-03-14T07:00:00.000Z');
  const sleeps: number[] = [];
  const emails = Array.from({ length: n }, (_, i) => `u${i}@x.org`);
  const store = new MemorySubscriberStore(emails.map(sub));
  const ledger = new MemoryLedger();
  const open = await ledger.open('2026-03-14-00000000');
  const mailer = new MemoryMailer(fail);
  const watch = new SubscriberWatch(store, { maxAgeMs: 0, now: () => now });
  const deps: DeliveryDeps = {
    ledger: open,
    mailer,
    watch,
    store,
    build: async (job) => ({ from: 'p@x.org', to: job.email, raw: `To: ${job.email}\r\n\r\nhi`, messageId: `<${job.email}>` }),
    smtp: smtp(over),
    server: '127.0.0.1:2525',
    clock: () => new Date(now),
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
    random: () => 0.5,
    log: () => undefined,
  };
  const jobs: DeliveryJob[] = emails.map((email) => ({ email, variantKey: 'all' }));
  return { deps, jobs, mailer, open, store, sleeps, emails };
}

const err = (kind: MailerError['kind'], code?: number, command?: string) => new MailerError(kind, `${code ?? kind} error`, `${code ?? ''} error`.trim(), code, command);

describe('deliver', () => {
  it('retries temporary failures after base, 2×base, … and records each attempt', async () => {
    const t = await setup(1, (_m, attempt) => (attempt <= 2 ? err('temporary', 451) : undefined));
    const out = await deliver(t.jobs, t.deps);
    expect(out).toMatchObject({ sent: 1, failed: 0, pending: 0 });
    expect(t.sleeps).toEqual([1000, 2000]);
    expect(t.open.state().get('u0@x.org')).toMatchObject({ state: 'sent', attempts: 3 });
  });

  it('hands a message buffer back only after the server accepted it, never after a failure', async () => {
    const t = await setup(3, (m, attempt) => (m.to === 'u1@x.org' && attempt === 1 ? err('temporary', 451) : m.to === 'u2@x.org' ? err('permanent', 550) : undefined));
    const released: string[] = [];
    t.deps.build = async (job) => ({ from: 'p@x.org', to: job.email, raw: 'x', messageId: `<${job.email}>`, release: () => released.push(job.email) });
    const out = await deliver(t.jobs, t.deps);
    expect(out).toMatchObject({ sent: 2, failed: 1 });
    // u1's first message failed (kept), its retry was accepted (released); u2 was refused.
    expect(released.sort()).toEqual(['u0@x.org', 'u1@x.org']);
  });

  it('fails a permanent rejection at once and counts a hard bounce; at the limit the subscriber is bounced', async () => {
    const t = await setup(2, (m) => (m.to === 'u1@x.org' ? err('permanent', 550, 'RCPT TO') : undefined), { hardBounceLimit: 1 });
    const out = await deliver(t.jobs, t.deps);
    expect(out).toMatchObject({ sent: 1, failed: 1 });
    expect(t.mailer.attempts.filter((m) => m.to === 'u1@x.org')).toHaveLength(1);
    expect((await t.store.list()).find((s) => s.email === 'u1@x.org')).toMatchObject({ hardBounces: 1, status: 'bounced' });
  });

  it('stops after maxConnectionFailures in a row, leaving the rest pending', async () => {
    const t = await setup(10, () => err('connection'), { maxConnectionFailures: 3, connections: 1 });
    const out = await deliver(t.jobs, t.deps);
    // Messages already in flight when the third failure lands may add to the count.
    expect(out.stop?.message).toMatch(/^SMTP server unreachable at 127\.0\.0\.1:2525: connection error \(\d+ connection failures in a row\)\. A later `paperboy send` resumes\.$/);
    expect(out).toMatchObject({ sent: 0, failed: 0, pending: 10 });
    expect(t.mailer.attempts.length).toBeLessThan(10);
    expect([...t.open.state().values()].every((r) => r.state === 'pending')).toBe(true);
  });

  it('a success in between resets the connection-failure count', async () => {
    // Every other message has its connection dropped once: never 2 in a row after a success.
    const t = await setup(8, (m, attempt) => (attempt === 1 && Number(m.to.slice(1, -6)) % 2 === 0 ? err('connection') : undefined), { maxConnectionFailures: 2 });
    const out = await deliver(t.jobs, t.deps);
    expect(out).toMatchObject({ sent: 8, failed: 0 });
    expect(out.stop).toBeUndefined();
  });

  it('stops without blaming anyone when the server refuses the sender or the login', async () => {
    for (const [e, re] of [
      [err('permanent', 553, 'MAIL FROM'), /refused the sender address/],
      [err('connection', 535, 'AUTH PLAIN'), /refused the login/],
    ] as const) {
      const t = await setup(3, () => e);
      const out = await deliver(t.jobs, t.deps);
      expect(out.stop?.message).toMatch(re);
      expect(out.failed).toBe(0);
      expect((await t.store.list()).every((s) => s.hardBounces === 0)).toBe(true);
    }
  });

  it('spaces messages by the rate limit', async () => {
    const t = await setup(4, () => undefined, { rateLimit: 10 });
    await deliver(t.jobs, t.deps);
    expect(t.sleeps).toEqual([100, 100, 100]);
  });

  it('skips a subscriber who became inactive during the run', async () => {
    let updating: Promise<void> = Promise.resolve();
    const t = await setup(12, (m) => {
      if (m.to === 'u0@x.org') updating = t.store.update((subs) => void (subs[11]!.status = 'unsubscribed'));
      return undefined;
    });
    // Every status check sees the store after any update started before it.
    const watch = t.deps.watch;
    t.deps.watch = { current: async (email) => (await updating, watch.current(email)) };
    const out = await deliver(t.jobs, t.deps);
    expect(out).toMatchObject({ sent: 11, inactive: ['u11@x.org'], pending: 0 });
    expect(t.mailer.sent.map((m) => m.to)).not.toContain('u11@x.org');
  });
});
