// The SMTP sink the benchmark sends to, always a separate process on 127.0.0.1: postfix's
// smtp-sink when installed (C, event-driven, discards everything), else our smtp-server fallback.
// The ceiling is measured with postfix's smtp-source against the same sink.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { measureShare, runMeasured, track, type CpuShare } from './proc.js';

export const SMTP_SINK = '/usr/sbin/smtp-sink';
export const SMTP_SOURCE = '/usr/sbin/smtp-source';

export interface Sink {
  kind: 'postfix smtp-sink' | 'smtp-server (node, fallback)';
  port: number;
  /** The sink's process, to measure its CPU time. */
  pid: number | undefined;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const sock = connect(port, '127.0.0.1');
      sock.once('connect', () => {
        sock.destroy();
        resolve(true);
      });
      sock.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`SMTP sink did not start listening on 127.0.0.1:${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** `countsFile` (node sink only): where it writes messages per recipient when stopped. */
export async function startSink(prefer: 'postfix' | 'node' = 'postfix', opts: { countsFile?: string } = {}): Promise<Sink> {
  if (prefer === 'postfix' && existsSync(SMTP_SINK)) {
    const port = await freePort();
    // smtp-sink refuses to run as root without -u; "nobody" only needs to accept connections.
    const args = [...(process.getuid?.() === 0 ? ['-u', 'nobody'] : []), '-4', '-m', '1024', `127.0.0.1:${port}`, '1024'];
    const child = track(spawn(SMTP_SINK, args, { stdio: ['ignore', 'ignore', 'pipe'] }));
    let err = '';
    child.stderr!.on('data', (d: Buffer) => (err += d));
    await waitForPort(port, 5000).catch((e: Error) => {
      child.kill('SIGKILL');
      throw new Error(`${e.message}: ${err.trim()}`);
    });
    return { kind: 'postfix smtp-sink', port, pid: child.pid, stop: async () => void child.kill('SIGTERM') };
  }
  const script = fileURLToPath(new URL('./sink-server.ts', import.meta.url));
  const runTs = fileURLToPath(new URL('../../bin/run-ts.js', import.meta.url));
  const child = track(spawn(process.execPath, [runTs, script, '0', ...(opts.countsFile ? [opts.countsFile] : [])], { stdio: ['ignore', 'pipe', 'inherit'] }));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d;
      const m = /PORT (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', () => reject(new Error('the fallback SMTP sink exited before listening')));
  });
  return {
    kind: 'smtp-server (node, fallback)',
    port,
    pid: child.pid,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export interface Ceiling {
  ms: number;
  perSecond: number;
  /** smtp-source's own CPU time (ms). */
  cpuMs: number;
  share: CpuShare | undefined;
}

/**
 * postfix's smtp-source sending `messages` messages of `bytes` body bytes over `sessions` parallel
 * connections, each reused for many messages (-d), like our pool. Undefined when not installed.
 */
export async function measureCeiling(port: number, messages: number, bytes: number, sessions: number, sinkPid?: number): Promise<Ceiling | undefined> {
  if (!existsSync(SMTP_SOURCE)) return undefined;
  const args = ['-d', '-s', String(sessions), '-m', String(messages), '-l', String(Math.max(1, Math.round(bytes))), '-f', 'bench@example.org', '-t', 'sink@example.org', `127.0.0.1:${port}`];
  const share = measureShare(sinkPid);
  const r = await runMeasured(SMTP_SOURCE, args, { timeoutMs: 30 * 60_000 });
  if (r.code !== 0) throw new Error(`smtp-source failed (exit ${r.code}): ${r.stderr.trim()}`);
  return { ms: r.wallMs, perSecond: (messages * 1000) / r.wallMs, cpuMs: r.cpuMs, share: share() };
}
