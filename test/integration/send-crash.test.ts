// A send killed with SIGKILL in the middle of a run, then started again: every subscriber gets the
// issue exactly once. The kill lands while the server holds a complete message it has not yet
// acknowledged, so at least one entry is certainly "uncertain" (the server has it, the ledger
// cannot know): it must be reported and not resent.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeSendFixture, manySubscribers, REPO, SAMPLE_DIGEST, type SendFixture } from '../helpers/send-fixture.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';

let sink: SmtpSink | undefined;
let fx: SendFixture | undefined;
let child: ChildProcess | undefined;
afterEach(async () => {
  child?.kill('SIGKILL');
  await fx?.close();
  await sink?.close();
});

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function runCli(args: string[], env: Record<string, string>, cwd: string): { proc: ChildProcess; done: Promise<Run> } {
  const proc = spawn(process.execPath, [join(REPO, 'bin/paperboy.js'), ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? cwd, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  proc.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<Run>((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { proc, done };
}

describe('crash and restart', () => {
  it('after SIGKILL mid-run a restart delivers to everyone exactly once and reports what is uncertain', { timeout: 180_000 }, async () => {
    const N = 40;
    const KILL_AT = 12;
    let killed: Promise<Run> | undefined;
    let killedTo = '';
    sink = await startSmtpSink({
      hooks: {
        onMessage: async (to, count) => {
          if (count !== KILL_AT || !child) return;
          // The message is complete on the server; the sender dies before it hears "250".
          killedTo = to;
          child.kill('SIGKILL');
          await killed;
        },
      },
    });
    fx = await makeSendFixture({ smtpUrl: sink.url, subscribers: manySubscribers(N), env: { PAPERBOY_RATE_LIMIT: '40', PAPERBOY_SMTP_CONNECTIONS: '3' } });
    const everyone = manySubscribers(N).map((s) => s.email);

    const first = runCli(['send', SAMPLE_DIGEST], fx.env, fx.dir);
    child = first.proc;
    killed = first.done;
    const dead = await first.done;
    expect(dead.signal, dead.stderr).toBe('SIGKILL');
    child = undefined;
    expect(killedTo).not.toBe('');
    const before = sink.messages.length;
    expect(before).toBeGreaterThanOrEqual(KILL_AT);
    expect(before).toBeLessThan(N);

    // --wait: the dead process's lock may look fresh for a moment.
    const second = runCli(['send', SAMPLE_DIGEST, '--wait'], fx.env, fx.dir);
    child = second.proc;
    const resumed = await second.done;
    child = undefined;
    expect(resumed.code, resumed.stderr + resumed.stdout).toBe(0);

    const [status] = await fx.app.status();
    const uncertain = new Set(status!.uncertain);
    expect(uncertain.has(killedTo)).toBe(true);
    const m = /uncertain (\d+)/.exec(resumed.stdout);
    expect(Number(m?.[1])).toBe(uncertain.size);
    for (const e of uncertain) expect(resumed.stdout).toContain(e);

    const counts = new Map<string, number>();
    for (const msg of sink.messages) for (const to of msg.to) counts.set(to, (counts.get(to) ?? 0) + 1);
    for (const e of everyone) {
      const n = counts.get(e) ?? 0;
      if (uncertain.has(e)) expect(n, e).toBeLessThanOrEqual(1);
      else expect(n, e).toBe(1);
    }
    expect(counts.get(killedTo)).toBe(1);
    expect(status!.counts.sent + status!.counts.sending).toBe(N);

    // Asked explicitly, the uncertain ones (and only they) are sent again.
    const before2 = sink.messages.length;
    const resend = await fx.app.sendIssue(SAMPLE_DIGEST, { resendUncertain: true });
    expect(resend).toMatchObject({ sent: uncertain.size, skipped: { 'already-sent': N - uncertain.size } });
    expect(sink.messages.slice(before2).map((m) => m.to[0]).sort()).toEqual([...uncertain].sort());
  });
});
