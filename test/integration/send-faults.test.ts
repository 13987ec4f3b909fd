// Sending against a real SMTP server that misbehaves: deferrals, rejections, dropped connections,
// an unreachable server, unsubscribes and a second sender during a run, aborts.
import { copyFile, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PaperboyError } from '../../src/errors.js';
import { makeSendFixture, manySubscribers, SAMPLE_DIGEST, subscriber, type SendFixture } from '../helpers/send-fixture.js';
import { freePort, startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';

let sink: SmtpSink | undefined;
let fx: SendFixture | undefined;
afterEach(async () => {
  await fx?.close();
  await sink?.close();
  fx = undefined;
  sink = undefined;
});

const emails = (n: number) => manySubscribers(n).map((s) => s.email);
/** Every address got exactly one accepted copy. */
function expectEachOnce(s: SmtpSink, list: string[]) {
  const counts = new Map<string, number>();
  for (const m of s.messages) for (const to of m.to) counts.set(to, (counts.get(to) ?? 0) + 1);
  expect(Object.fromEntries(list.map((e) => [e, counts.get(e) ?? 0]))).toEqual(Object.fromEntries(list.map((e) => [e, 1])));
  expect(s.messages).toHaveLength(list.length);
}

async function digestFile(dir: string, name: string, date: string, papers: { id: string; title: string }[]): Promise<string> {
  const path = join(dir, name);
  const full = papers.map((p) => ({ ...p, abstract: `About ${p.title}.`, authors: ['A. Author'], keywords: [], categories: ['cs.LG'] }));
  await writeFile(path, JSON.stringify({ date, papers: full }));
  return path;
}

/** A send fixture with one subscriber, the given "now", and its digests folder created. */
async function pendingFixture(smtpUrl: string, now: string): Promise<{ fx: SendFixture; dir: string }> {
  const f = await makeSendFixture({ smtpUrl, subscribers: [subscriber('ada@example.org')], overrides: { clock: () => new Date(now) } });
  await mkdir(f.config.digestsDir, { recursive: true });
  return { fx: f, dir: f.config.digestsDir };
}

describe('temporary failures', () => {
  it('retries 421/450/451 with backoff until every message is accepted, none twice', async () => {
    const codes = [421, 450, 451];
    const list = emails(24);
    sink = await startSmtpSink({
      hooks: { data: (to, attempt) => (attempt === 1 && list.indexOf(to) % 3 === 0 ? { code: codes[list.indexOf(to) % 9 / 3]!, message: 'try again later' } : 'accept') },
    });
    fx = await makeSendFixture({ smtpUrl: sink.url, subscribers: manySubscribers(24) });
    const report = await fx.app.sendIssue(SAMPLE_DIGEST);
    expect(report).toMatchObject({ outcome: 'completed', sent: 24, failed: 0, pending: 0 });
    expectEachOnce(sink, list);
    const deferred = list.filter((_, i) => i % 3 === 0);
    for (const e of deferred) expect(sink.attempts.get(e)).toBe(2);
    const [status] = await fx.app.status(report.issueId);
    expect(status!.counts).toEqual({ pending: 0, sending: 0, sent: 24, failed: 0, deferred: 0 });
    expect(status!.finishedAt).toBeDefined();
  });

  it('leaves a recipient the server keeps deferring for later runs, and fails it once the lifetime is over', async () => {
    sink = await startSmtpSink({ hooks: { data: (to) => (to === 'sub001@example.org' ? { code: 451, message: 'greylisted' } : 'accept') } });
    // Retries 20, 40, 80 ms apart are waited for in the run; the next (160 ms) is left for later.
    fx = await makeSendFixture({ smtpUrl: sink.url, subscribers: manySubscribers(3), env: { PAPERBOY_MAX_RETRY_WAIT_MS: '100' } });
    const report = await fx.app.sendIssue(SAMPLE_DIGEST);
    expect(report).toMatchObject({ outcome: 'completed', sent: 2, failed: 0, deferred: 1 });
    expect(report.nextAttemptAt).toMatch(/^\d{4}-/);
    expect(sink.attempts.get('sub001@example.org')).toBe(4);
    const [status] = await fx.app.status(report.issueId);
    expect(status!.finishedAt).toBeUndefined();
    expect(status!.deferred).toEqual([{ email: 'sub001@example.org', attempts: 4, response: '451 greylisted', since: expect.any(String), nextAttemptAt: report.nextAttemptAt }]);

    // A day later, still deferred: it fails for good, with the last reply, and the issue is finished.
    const later = await fx.newApp({ clock: () => new Date(Date.now() + 25 * 3_600_000) });
    try {
      const last = await later.sendIssue(SAMPLE_DIGEST);
      expect(last).toMatchObject({ outcome: 'completed', sent: 0, deferred: 0 });
      const [after] = await later.status(report.issueId);
      expect(after!.finishedAt).toBeDefined();
      expect(after!.failures).toEqual([expect.objectContaining({ email: 'sub001@example.org', response: expect.stringMatching(/^gave up: failing temporarily since \S+: 451 greylisted$/) })]);
      expect(sink.attempts.get('sub001@example.org')).toBe(4);
    } finally {
      await later.close();
    }
  });

  it('survives a relay outage of any length: everyone deferred, nobody failed, all sent once it is back', async () => {
    let down = true;
    sink = await startSmtpSink({ hooks: { data: () => (down ? { code: 421, message: 'service not available' } : 'accept') } });
    fx = await makeSendFixture({ smtpUrl: sink.url, subscribers: manySubscribers(10) });
    const err = await fx.app.sendIssue(SAMPLE_DIGEST).catch((e: unknown) => e);
    expect((err as PaperboyError).code).toBe('SMTP_UNREACHABLE');
    const report = (err as PaperboyError).details.report as { failed: number; deferred: number; pending: number };
    expect(report.failed).toBe(0);
    expect(report.deferred + report.pending).toBe(10);
    down = false;
    await new Promise((r) => setTimeout(r, 200)); // the deferred entries' first retry falls due
    const resumed = await fx.app.sendIssue(SAMPLE_DIGEST);
    expect(resumed).toMatchObject({ outcome: 'completed', sent: 10, failed: 0, deferred: 0 });
    expectEachOnce(sink, emails(10));
  });

  it('retries messages whose connection dropped in the middle of DATA', async () => {
    const list = emails(12);
    sink = await startSmtpSink({ hooks: { data: (to, attempt) => (attempt === 1 && list.indexOf(to) % 4 === 1 ? 'drop' : 'accept') } });
    fx = await makeSendFixture({ smtpUrl: sink.url, subscribers: manySubscribers(12), env: { PAPERBOY_MAX_FAILURES_IN_A_ROW: '20' } });
    const report = await fx.app.sendIssue(SAMPLE_DIGEST);
    expect(report).toMatchObject({ outcome: 'completed', sent: 12, failed: 0 });
    expectEachOnce(sink, list);
    for (const e of list.filter((_, i) => i % 4 === 1)) expect(sink.attempts.get(e)).toBe(2);
  });
});

describe('permanent failures', () => {
  it('fails 550 recipients without retrying, reports them, and marks them bounced at the limit', async () => {
    const bad = new Set(['sub001@example.org', 'sub004@example.org']);
    const rcptCalls = new Map<string, number>();
    sink = await startSmtpSink({
      hooks: {
        rcpt: (addr) => {
          rcptCalls.set(addr, (rcptCalls.get(addr) ?? 0) + 1);
          return bad.has(addr) ? { code: 550, message: '5.1.1 mailbox unavailable' } : undefined;
        },
      },
    });
    fx = await makeSendFixture({ smtpUrl: sink.url, subscribers: manySubscribers(6) });
    const first = await fx.app.sendIssue(SAMPLE_DIGEST);
    expect(first).toMatchObject({ outcome: 'completed', sent: 4, failed: 2 });
    expect(first.failures.map((f) => f.email).sort()).toEqual([...bad].sort());
    for (const f of first.failures) expect(f.response).toMatch(/550 5\.1\.1 mailbox unavailable/);
    for (const e of bad) expect(rcptCalls.get(e)).toBe(1);
    let subs = await fx.readSubscribers();
    for (const e of bad) expect(subs.find((s) => s.email === e)).toMatchObject({ hardBounces: 1, status: 'active' });

    const [status] = await fx.app.status(first.issueId);
    expect(status!.failures.map((f) => [f.email, f.responseCode])).toEqual(expect.arrayContaining([...bad].map((e) => [e, 550])));

    // Running the same issue again does not retry them.
    const again = await fx.app.sendIssue(SAMPLE_DIGEST);
    expect(again).toMatchObject({ sent: 0, failed: 0, skipped: { 'already-sent': 4, 'failed-before': 2 } });
    for (const e of bad) expect(rcptCalls.get(e)).toBe(1);

    // A second issue: the second hard bounce reaches the limit (2) and they are marked bounced.
    const second = await digestFile(fx.dir, 'second.json', '2026-03-15', [{ id: '2603.99901', title: 'A fresh paper on graph neural networks' }]);
    await fx.app.sendIssue(second);
    subs = await fx.readSubscribers();
    for (const e of bad) expect(subs.find((s) => s.email === e)).toMatchObject({ hardBounces: 2, status: 'bounced' });
    const third = await digestFile(fx.dir, 'third.json', '2026-03-16', [{ id: '2603.99902', title: 'Another fresh paper on diffusion models' }]);
    const r3 = await fx.app.sendIssue(third);
    expect(r3).toMatchObject({ sent: 4, failed: 0, skipped: { inactive: 2 } });
  });
});

describe('connection failures', () => {
  it('stops with a clear message when the server is down, and a later run completes', async () => {
    const port = await freePort();
    fx = await makeSendFixture({ smtpUrl: `smtp://127.0.0.1:${port}`, subscribers: manySubscribers(8) });
    const err = await fx.app.sendIssue(SAMPLE_DIGEST).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PaperboyError);
    expect((err as PaperboyError).code).toBe('SMTP_UNREACHABLE');
    expect((err as PaperboyError).message).toMatch(new RegExp(`^SMTP server at 127\\.0\\.0\\.1:${port} is not accepting mail: .+Nobody was marked failed; a later \`paperboy send\` \\(or the scheduler\\) resumes\\.$`));
    const report = (err as PaperboyError).details.report as { sent: number; failed: number; pending: number; deferred: number };
    expect(report).toMatchObject({ sent: 0, failed: 0 });
    expect(report.pending + report.deferred).toBe(8);
    const [before] = await fx.app.status();
    expect(before!.finishedAt).toBeUndefined();
    expect(before!.counts.sent).toBe(0);

    sink = await startSmtpSink({ port });
    await new Promise((r) => setTimeout(r, 200)); // the deferred entries' first retry falls due
    const resumed = await fx.app.sendIssue(SAMPLE_DIGEST);
    expect(resumed).toMatchObject({ outcome: 'completed', sent: 8, failed: 0 });
    expectEachOnce(sink, emails(8));
  });

  it('stops at once, failing nobody, when the outbox cannot be written; a later run completes', async () => {
    fx = await makeSendFixture({ subscribers: manySubscribers(4) });
    const outbox = join(fx.config.stateDir, 'outbox');
    await mkdir(fx.config.stateDir, { recursive: true });
    await writeFile(outbox, 'a file where the outbox folder should be');
    const err = await fx.app.sendIssue(SAMPLE_DIGEST).catch((e: unknown) => e);
    expect((err as PaperboyError).code).toBe('FOLDER_UNAVAILABLE');
    expect((err as PaperboyError).message).toBe(`Cannot create the folder ${outbox}: ${outbox} is a file, not a folder.`);
    const report = (err as PaperboyError).details.report as { sent: number; failed: number; pending: number; deferred: number };
    expect(report).toMatchObject({ sent: 0, failed: 0 });
    expect(report.pending + report.deferred).toBe(4);
    const [before] = await fx.app.status();
    expect(before!.counts).toMatchObject({ sent: 0, failed: 0 });

    await rm(outbox);
    await new Promise((r) => setTimeout(r, 200)); // the deferred entries' first retry falls due
    // The same app (a `paperboy start` process) tries the folder again.
    const resumed = await fx.app.sendIssue(SAMPLE_DIGEST);
    expect(resumed).toMatchObject({ outcome: 'completed', sent: 4, failed: 0 });
    expect(await readdir(outbox)).toHaveLength(4);
  });
});

describe('during a run', () => {
  it('sends nothing more to somebody who unsubscribes while the run is going', async () => {
    const list = emails(16);
    let fixture: SendFixture | undefined;
    sink = await startSmtpSink({
      hooks: {
        onMessage: async (_to, count) => {
          if (count !== 3) return;
          const later = list.slice(8);
          await fixture!.app.store.changeSubscribers(later, (cur) => ({
            next: new Map(later.map((e) => [e, { ...cur.get(e)!, status: 'unsubscribed' as const, unsubscribedAt: new Date().toISOString() }])),
            result: undefined,
          }));
        },
      },
    });
    // One connection: the next message starts only after the server acknowledged the previous one.
    fx = fixture = await makeSendFixture({ smtpUrl: sink.url, subscribers: manySubscribers(16), env: { PAPERBOY_SMTP_CONNECTIONS: '1' } });
    const report = await fx.app.sendIssue(SAMPLE_DIGEST);
    expect(report).toMatchObject({ outcome: 'completed', sent: 8, skipped: { inactive: 8 } });
    expectEachOnce(sink, list.slice(0, 8));
  });

  it('two sends of the same issue at once never double-send; --wait waits for the first', async () => {
    const list = emails(10);
    // The server holds every message until the gate opens, so the first send is surely still running.
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    sink = await startSmtpSink({ hooks: { onMessage: () => gate } });
    fx = await makeSendFixture({ smtpUrl: sink.url, subscribers: manySubscribers(10) });
    const other = await fx.newApp();
    const waiter = await fx.newApp();
    try {
      const first = fx.app.sendIssue(SAMPLE_DIGEST);
      await sink.waitFor(1);
      const err = await other.sendIssue(SAMPLE_DIGEST).catch((e: unknown) => e);
      expect((err as PaperboyError).code).toBe('SEND_IN_PROGRESS');
      expect((err as PaperboyError).message).toMatch(new RegExp(`^A send of issue 2026-03-14-[0-9a-f]{8} is in progress \\(\\S+ pid ${process.pid}\\)`));
      const waited = waiter.sendIssue(SAMPLE_DIGEST, { wait: true });
      open();
      expect((await first).sent).toBe(10);
      expect(await waited).toMatchObject({ outcome: 'completed', sent: 0, skipped: { 'already-sent': 10 } });
      expectEachOnce(sink, list);
    } finally {
      await other.close();
      await waiter.close();
    }
  });

  it('on abort stops taking messages, finishes those in flight, and a later run sends the rest', async () => {
    const ac = new AbortController();
    sink = await startSmtpSink({ hooks: { delayMs: 10, onMessage: (_to, count) => void (count === 4 && ac.abort()) } });
    fx = await makeSendFixture({ smtpUrl: sink.url, subscribers: manySubscribers(20), env: { PAPERBOY_SMTP_CONNECTIONS: '2' } });
    const report = await fx.app.sendIssue(SAMPLE_DIGEST, { signal: ac.signal });
    expect(report.outcome).toBe('aborted');
    expect(report.sent).toBe(sink.messages.length);
    expect(report.pending).toBe(20 - report.sent);
    expect(report.sent).toBeLessThan(20);
    const [status] = await fx.app.status(report.issueId);
    expect(status!.counts.sending).toBe(0); // nothing left uncertain: in-flight messages finished
    const rest = await fx.app.sendIssue(SAMPLE_DIGEST);
    expect(rest).toMatchObject({ outcome: 'completed', sent: 20 - report.sent });
    expectEachOnce(sink, emails(20));
  });
});

describe('across issues and test sends', () => {
  it('leaves out papers sent in an earlier issue, and skips an issue with nothing new', async () => {
    sink = await startSmtpSink();
    fx = await makeSendFixture({ smtpUrl: sink.url, subscribers: [subscriber('ada@example.org')] });
    await fx.app.sendIssue(SAMPLE_DIGEST);
    const next = await digestFile(fx.dir, 'next.json', '2026-03-15', [
      { id: '1706.03762', title: 'Attention Is All You Need' },
      { id: '2304.02643', title: 'Segment Anything' },
      { id: '2603.12345', title: 'Brand New Results on Sparse Mixture of Experts' },
    ]);
    const r = await fx.app.sendIssue(next);
    expect(r).toMatchObject({ sent: 1, excludedPapers: 2 });
    const m = sink.messages[1]!;
    expect(m.parsed.text).toContain('Brand New Results on Sparse Mixture of Experts');
    expect(m.parsed.text).not.toContain('Attention Is All You Need');
    expect(m.parsed.html).not.toContain('Segment Anything');

    const stale = await digestFile(fx.dir, 'stale.json', '2026-03-16', [{ id: '1706.03762', title: 'Attention Is All You Need' }]);
    const skipped = await fx.app.sendIssue(stale);
    expect(skipped.outcome).toBe('skipped');
    expect(skipped.message).toMatch(/already sent in earlier issues \(2026-03-14-[0-9a-f]{8}\)/);
    expect(sink.messages).toHaveLength(2);
  });

  it('a test send (--to) goes to that address only, is recorded separately, and marks nobody sent', async () => {
    sink = await startSmtpSink();
    fx = await makeSendFixture({ smtpUrl: sink.url, subscribers: [subscriber('ada@example.org', { topics: ['vision'] })] });
    const t1 = await fx.app.sendIssue(SAMPLE_DIGEST, { to: 'Editor@Example.org' });
    const t2 = await fx.app.sendIssue(SAMPLE_DIGEST, { to: 'ada@example.org' });
    expect([t1.outcome, t1.sent, t2.sent]).toEqual(['test', 1, 1]);
    expect(sink.received('editor@example.org')).toHaveLength(1);
    // A known subscriber's test copy is their own variant.
    expect(sink.received('ada@example.org')[0]!.parsed.text).not.toContain('Proximal Policy Optimization');
    expect(sink.messages[0]!.messageId).not.toBe(sink.messages[1]!.messageId);
    expect(await fx.app.status()).toEqual([]); // no issue started
    const real = await fx.app.sendIssue(SAMPLE_DIGEST);
    expect(real).toMatchObject({ sent: 1, skipped: {} });
    const [status] = await fx.app.status(real.issueId);
    expect(status!.testSends).toEqual({ sent: 2, failed: 0 });
    expect(status!.counts.sent).toBe(1);
  });

  it('sendPending sends every unsent digest oldest first, reports invalid files, and is idempotent', async () => {
    sink = await startSmtpSink();
    // A week after the older digest's date: inside the default maxDigestAgeDays (7).
    const p = await pendingFixture(sink.url, '2026-03-08T08:00:00Z');
    fx = p.fx;
    const dir = p.dir;
    await copyFile(SAMPLE_DIGEST, join(dir, 'a-sample.json'));
    await digestFile(dir, 'b-older.json', '2026-03-01', [{ id: '1706.03762', title: 'Attention Is All You Need' }]);
    await writeFile(join(dir, 'c-broken.json'), '{"date": "2026-03-20", "papers": [');
    const first = await fx.app.sendPending();
    expect(first.results.map((r) => [r.file.split('/').pop(), r.outcome])).toEqual([
      ['c-broken.json', 'invalid'],
      ['b-older.json', 'completed'],
      ['a-sample.json', 'completed'],
    ]);
    // The older digest went first, so the sample's issue leaves out the paper it carried.
    expect(first.results[2]!.report!.excludedPapers).toBe(1);
    const second = await fx.app.sendPending();
    expect(second.results.map((r) => r.outcome)).toEqual(['invalid', 'done', 'done']);
    expect(sink.messages).toHaveLength(2);
  });

  it('sendPending leaves a never-started digest older than maxDigestAgeDays for an explicit send', async () => {
    sink = await startSmtpSink();
    const p = await pendingFixture(sink.url, '2026-03-20T08:00:00Z');
    fx = p.fx;
    const dir = p.dir;
    const old = await digestFile(dir, 'a-old.json', '2026-03-12', [{ id: '1706.03762', title: 'Attention Is All You Need' }]);
    await digestFile(dir, 'b-recent.json', '2026-03-13', [{ id: '2304.02643', title: 'Segment Anything' }]);
    const first = await fx.app.sendPending();
    expect(first.results.map((r) => [r.file.split('/').pop(), r.outcome])).toEqual([
      ['a-old.json', 'too-old'],
      ['b-recent.json', 'completed'],
    ]);
    expect(first.results[0]!.message).toBe(
      `dated 2026-03-12, 8 days ago: older than maxDigestAgeDays (7), so it is not sent automatically. Send it with \`paperboy send ${old}\`, or raise PAPERBOY_MAX_DIGEST_AGE_DAYS (0 = no limit).`,
    );
    expect(sink.messages).toHaveLength(1);
    // An explicit send ignores the rule; afterwards the folder check sees it done.
    expect(await fx.app.sendIssue(old)).toMatchObject({ outcome: 'completed', sent: 1 });
    expect((await fx.app.sendPending()).results.map((r) => r.outcome)).toEqual(['done', 'done']);
    expect(sink.messages).toHaveLength(2);
  });
});
