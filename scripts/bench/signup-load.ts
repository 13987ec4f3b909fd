// Sign-ups arriving while something else runs (`npm run bench -- --signups 20`): a `paperboy serve`
// on the same database as the send, and a steady stream of form posts to it at a fixed rate, each
// with a new address. Reports how many were answered and how fast.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { track } from './proc.js';

export interface SignupLoadResult {
  sent: number;
  ok: number;
  failed: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}

export interface SignupLoad {
  stop(): Promise<SignupLoadResult>;
}

export const percentile = (sorted: readonly number[], p: number) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!);

/** Starts `paperboy serve` with sign-up caps out of the way (only the server's work is measured). */
export async function startServe(o: { env: NodeJS.ProcessEnv; cwd: string; bin: string; configDir: string }): Promise<{ url: string; stop(): Promise<void> }> {
  const config = join(o.configDir, 'serve-config.json');
  writeFileSync(config, JSON.stringify({ signup: { perIpPerHour: 1_000_000_000, perAddressPer10Min: 1_000, perAddressPerDay: 1_000, perDomainPerHour: 1_000_000_000, totalPerHour: 1_000_000_000 } }));
  const child = track(spawn(process.execPath, [o.bin, '--config', config, 'serve', '--port', '0'], { cwd: o.cwd, env: o.env, stdio: ['ignore', 'pipe', 'pipe'] }));
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const look = (b: Buffer) => {
      out += b.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) resolve(m[1]!);
    };
    child.stdout!.on('data', look);
    child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
    child.once('exit', (code) => reject(new Error(`paperboy serve exited (${code}):\n${out}`)));
  });
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** POSTs one sign-up; resolves with the latency in ms and whether it was answered 200. */
export async function postSignup(url: string, email: string): Promise<{ ms: number; ok: boolean }> {
  const start = performance.now();
  try {
    const r = await fetch(`${url}/subscribe`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: url },
      body: new URLSearchParams({ email, topics: 'language' }).toString(),
    });
    await r.arrayBuffer();
    return { ms: performance.now() - start, ok: r.status === 200 };
  } catch {
    return { ms: performance.now() - start, ok: false };
  }
}

export async function startSignupLoad(o: { env: NodeJS.ProcessEnv; cwd: string; bin: string; perSecond: number }): Promise<SignupLoad> {
  const serve = await startServe({ ...o, configDir: String(o.env.PAPERBOY_STATE_DIR) });
  const latencies: number[] = [];
  let sent = 0;
  let ok = 0;
  const inFlight = new Set<Promise<void>>();
  const started = performance.now();
  const timer = setInterval(() => {
    const email = `arrival${sent++}@example.net`;
    const p = postSignup(serve.url, email).then((r) => {
      latencies.push(r.ms);
      if (r.ok) ok++;
    });
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  }, 1000 / o.perSecond);
  return {
    async stop() {
      clearInterval(timer);
      const seconds = (performance.now() - started) / 1000;
      await Promise.all(inFlight);
      await serve.stop();
      const sorted = [...latencies].sort((a, b) => a - b);
      return { sent, ok, failed: sent - ok, perSecond: sent / seconds, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99) };
    },
  };
}
