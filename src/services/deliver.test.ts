// The delivery loop's decisions over an in-memory writer and a fake clock (sleep advances time; no
// real timers). The database side of claims and marks is tested against real databases in
// test/integration (store-contract, send-*).
import { describe, expect, it } from 'vitest';
import { MailerError, MemoryMailer, type RawMessage } from '../adapters/mailer.js';
import { parseConfig } from '../config.js';
import { deliver, type DeliveryDeps, type DeliveryJob } from './deliver.js';
import type { DeliveryClaim, DeliveryMark } from './store-ports.js';

const smtp = (over: Record<string, number> = {}) => ({ ...parseConfig({}, {}).smtp, retryBaseMs: 1000, connections: 1, ...over });

/** Claims and marks as a list, with a set of addresses no longer active (claims refused). */
class MemoryWriter {
  readonly log: ({ claim: DeliveryClaim } | { mark: DeliveryMark })[] = [];
  readonly inactive = new Set<string>();
  async claim(c: DeliveryClaim): Promise<boolean> {
    this.log.push({ claim: c });
    return !this.inactive.has(c.email);
  }
  mark(m: DeliveryMark): void {
    this.log.push({ mark: m });
  }
  marks(email: string): DeliveryMark[] {
    return this.log.flatMap((e) => ('mark' in e && e.mark.email === email ? [e.mark] : []));
  }
}

async function* listOf(jobs: DeliveryJob[]): AsyncGenerator<DeliveryJob> {
  yield* jobs;
}

function setup(n: number, fail: (msg: RawMessage, attempt: number) => MailerError | undefined, over: Record<string, number> = {}) {
  let now = Date.parse('2026-03-14T07:00:00.000Z');
  const sleeps: number[] = [];
  const emails = Array.from({ length: n }, (_, i) => `u${i}@x.org`);
  const writer = new MemoryWriter();
  const mailer = new MemoryMailer(fail);
  const jobs: DeliveryJob[] = emails.map((email) => ({ email, variantKey: 'all', tokenVersion: 0, attempts: 0 }));
  const deps: DeliveryDeps = {
    jobs: listOf(jobs),
    total: jobs.length,
    writer,
    mailer,
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
  return { deps, mailer, writer, sleeps, emails, now: () => now };
}

const err = (kind: MailerError['kind'], code?: number, command?: string) => new MailerError(kind, `${code ?? kind} error`, `${code ?? ''} error`.trim(), code, command);

describe('deliver', () => {
  it('claims each message just before it goes out, then marks what the server said', async () => {
    const t = setup(2, () => undefined);
    const out = await deliver(t.deps);
    expect(out).toMatchObject({ sent: 2, failed: 0, deferred: 0, pending: 0 });
    expect(t.writer.log.map((e) => ('claim' in e ? `claim ${e.claim.email}` : `${e.mark.outcome} ${e.mark.email}`))).toEqual(['claim u0@x.org', 'sent u0@x.org', 'claim u1@x.org', 'sent u1@x.org']);
  });

  it('retries temporary failures in the run after base, 2×base, …, deferring each attempt', async () => {
    const t = setup(1, (_m, attempt) => (attempt <= 2 ? err('temporary', 451) : undefined));
    const out = await deliver(t.deps);
    expect(out).toMatchObject({ sent: 1, failed: 0, deferred: 0 });
    expect(t.sleeps).toEqual([1000, 2000]);
    expect(t.writer.marks('u0@x.org').map((m) => m.outcome)).toEqual(['deferred', 'deferred', 'sent']);
    expect(t.writer.marks('u0@x.org')[0]).toMatchObject({ response: '451 error', responseCode: 451, nextAttemptAt: '2026-03-14T07:00:01.000Z' });
  });

  it('leaves a retry due later than maxRetryWaitMs deferred for a later run', async () => {
    const t = setup(1, () => err('temporary', 451), { retryBaseMs: 120_000, maxRetryWaitMs: 60_000 });
    const out = await deliver(t.deps);
    expect(out).toMatchObject({ sent: 0, failed: 0, deferred: 1 });
    expect(t.sleeps).toEqual([]);
    expect(t.mailer.attempts).toHaveLength(1);
  });

  it('fails a recipient that has stayed deferred longer than the lifetime', async () => {
    const t = setup(0, () => err('temporary', 451));
    const since = t.now() - 25 * 3_600_000;
    t.deps.jobs = listOf([{ email: 'old@x.org', variantKey: 'all', tokenVersion: 0, attempts: 9, deferredSinceMs: since }]);
    t.deps.total = 1;
    const out = await deliver(t.deps);
    expect(out).toMatchObject({ failed: 1, deferred: 0 });
    expect(out.failures[0]!.response).toMatch(/^gave up after 24 h of temporary failures: 451 error$/);
    expect(t.writer.marks('old@x.org')[0]).toMatchObject({ outcome: 'failed' });
    expect(t.writer.marks('old@x.org')[0]!.bounceLimit).toBeUndefined();
  });

  it('hands a message buffer back only after the server accepted it, never after a failure', async () => {
    const t = setup(3, (m, attempt) => (m.to === 'u1@x.org' && attempt === 1 ? err('temporary', 451) : m.to === 'u2@x.org' ? err('permanent', 550) : undefined));
    const released: string[] = [];
    t.deps.build = async (job) => ({ from: 'p@x.org', to: job.email, raw: 'x', messageId: `<${job.email}>`, release: () => released.push(job.email) });
    const out = await deliver(t.deps);
    expect(out).toMatchObject({ sent: 2, failed: 1 });
    expect(released.sort()).toEqual(['u0@x.org', 'u1@x.org']);
  });

  it('fails a permanent rejection at once, asking for a hard bounce to be counted', async () => {
    const t = setup(2, (m) => (m.to === 'u1@x.org' ? err('permanent', 550, 'RCPT TO') : undefined), { hardBounceLimit: 3 });
    const out = await deliver(t.deps);
    expect(out).toMatchObject({ sent: 1, failed: 1 });
    expect(t.mailer.attempts.filter((m) => m.to === 'u1@x.org')).toHaveLength(1);
    expect(t.writer.marks('u1@x.org')).toEqual([{ email: 'u1@x.org', outcome: 'failed', response: '550 error', responseCode: 550, kind: 'permanent', bounceLimit: 3 }]);
  });

  it('stops after maxFailuresInARow, deferring the one that stopped it and leaving the rest untried', async () => {
    const t = setup(10, () => err('connection'), { maxFailuresInARow: 3 });
    const out = await deliver(t.deps);
    expect(out.stop?.message).toMatch(/^SMTP server at 127\.0\.0\.1:2525 is not accepting mail: 3 recipients in a row failed \(last: error\)\. Nobody was marked failed/);
    expect(out.failed).toBe(0);
    expect(out.sent).toBe(0);
    expect(out.pending + out.deferred).toBeGreaterThanOrEqual(8);
    expect(t.writer.log.every((e) => !('mark' in e) || e.mark.outcome === 'deferred')).toBe(true);
  });

  it('a success in between resets the count of failures in a row', async () => {
    const t = setup(8, (m, attempt) => (attempt === 1 && Number(m.to.slice(1, -6)) % 2 === 0 ? err('connection') : undefined), { maxFailuresInARow: 2 });
    const out = await deliver(t.deps);
    expect(out).toMatchObject({ sent: 8, failed: 0 });
    expect(out.stop).toBeUndefined();
  });

  it('stops without blaming anyone when the server refuses the sender or the login', async () => {
    for (const [e, re] of [
      [err('permanent', 553, 'MAIL FROM'), /refused the sender address/],
      [err('connection', 535, 'AUTH PLAIN'), /refused the login/],
    ] as const) {
      const t = setup(3, () => e);
      const out = await deliver(t.deps);
      expect(out.stop?.message).toMatch(re);
      expect(out.failed).toBe(0);
      expect(t.writer.log.some((x) => 'mark' in x && x.mark.bounceLimit !== undefined)).toBe(false);
    }
  });

  it('spaces messages by the rate limit', async () => {
    const t = setup(4, () => undefined, { rateLimit: 10 });
    await deliver(t.deps);
    expect(t.sleeps).toEqual([100, 100, 100]);
  });

  it('sends nothing to a subscriber whose claim is refused (unsubscribed since the list was read)', async () => {
    const t = setup(3, () => undefined);
    t.writer.inactive.add('u1@x.org');
    const out = await deliver(t.deps);
    expect(out).toMatchObject({ sent: 2, inactive: 1, pending: 0 });
    expect(t.mailer.sent.map((m) => m.to)).toEqual(['u0@x.org', 'u2@x.org']);
  });

  it('keeps one message per connection in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const t = setup(30, () => undefined, { connections: 4 });
    const send = t.mailer.send.bind(t.mailer);
    t.deps.mailer = {
      send: async (m) => {
        most = Math.max(most, ++inFlight);
        await new Promise((r) => setTimeout(r, 1));
        inFlight--;
        return send(m);
      },
      close: async () => undefined,
    };
    const claims: number[] = [];
    let claimedNotAnswered = 0;
    const claim = t.writer.claim.bind(t.writer);
    t.deps.writer = {
      claim: async (c) => (claims.push(++claimedNotAnswered), claim(c)),
      mark: (m) => (claimedNotAnswered--, t.writer.mark(m)),
    };
    await deliver(t.deps);
    expect(most).toBe(4);
    expect(Math.max(...claims)).toBeLessThanOrEqual(4);
  });
});
