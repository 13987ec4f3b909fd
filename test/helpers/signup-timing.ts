// Times POST /subscribe against a real `paperboy serve` (its own process, the SQLite database or a
// given PostgreSQL one, the outbox) for addresses in each state: new, pending, active, unsubscribed.
// Shared by the timing test (few requests, a loose bound) and `npm run bench:signup-timing` (many,
// the figures). The client is this process, so the server's work after answering cannot delay the
// client's own reading of the answer, as it would on one event loop.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createApp } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { SubscriberSchema } from '../../src/domain/subscriber.js';
import { seeded } from '../../src/domain/seeded-random.js';
import { startPaperboy } from './paperboy-process.js';

export const ADDRESS_STATES = ['new', 'pending', 'active', 'unsubscribed'] as const;
export type AddressState = (typeof ADDRESS_STATES)[number];

export interface TimingOptions {
  /** Requests per state (each to an address of its own, so no per-address cap is involved). */
  perState: number;
  /** Pause after each answer; 0 sends the next request as soon as the answer is read. */
  pauseMs: number;
  /**
   * answer (default): time the answer for the address itself. next-answer: time instead a request
   * for a new address sent the moment that answer is read, which meets whatever work the server
   * still does for the first one.
   */
  measure?: 'answer' | 'next-answer';
  /** Requests before the measured ones, not counted (start-up, first template use). */
  warmup?: number;
  seed?: number;
  /** PostgreSQL instead of the SQLite file in the temp folder. */
  databaseUrl?: string;
}

/** Milliseconds per answer, by the state the address was in. */
export type Timings = Record<AddressState, number[]>;

const CONFIG = {
  baseUrl: 'http://127.0.0.1:1',
  secret: 'signup-timing-secret-0123456789',
  stateDir: 'state',
  digestsDir: 'digests',
  subscribersPath: 'subscribers.json',
  port: 0,
  // Every request comes from 127.0.0.1 and goes to example.org: the IP's and the hourly caps are not what is measured.
  signup: { perIpPerHour: 1_000_000, perDomainPerHour: 1_000_000, totalPerHour: 1_000_000 },
};

const address = (state: AddressState, i: number) => `${state}-${i}@example.org`;

async function seed(dir: string, perState: number, databaseUrl: string | undefined): Promise<void> {
  const app = await createApp(parseConfig({ ...CONFIG, ...(databaseUrl ? { databaseUrl } : {}) }, {}), { cwd: dir, log: () => {} });
  try {
    const at = '2026-01-01T00:00:00.000Z';
    for (const state of ['pending', 'active', 'unsubscribed'] as const) {
      for (let i = 0; i < perState; i++) {
        const sub = SubscriberSchema.parse({ email: address(state, i), status: state, topics: ['language'], createdAt: at, consent: { method: 'web', requestedAt: at } });
        await app.store.changeSubscriber(sub.email, () => ({ next: sub, result: undefined }));
      }
    }
  } finally {
    await app.close();
  }
}

async function listeningUrl(output: () => string, exited: Promise<unknown>): Promise<string> {
  let done = false;
  void exited.then(() => (done = true));
  for (let waited = 0; waited < 30_000; waited += 50) {
    const m = /listening on (http:\/\/\S+)/.exec(output());
    if (m) return m[1]!;
    if (done) break;
    await sleep(50);
  }
  throw new Error(`paperboy serve did not start:\n${output()}`);
}

export async function measureSignupTiming(opts: TimingOptions): Promise<Timings> {
  const dir = await mkdtemp(join(tmpdir(), 'pb-signup-timing-'));
  const random = seeded(opts.seed ?? 14);
  try {
    await seed(dir, opts.perState, opts.databaseUrl);
    await writeFile(join(dir, 'config.json'), JSON.stringify({ ...CONFIG, ...(opts.databaseUrl ? { databaseUrl: opts.databaseUrl } : {}) }));
    const pb = startPaperboy(['--config', 'config.json', 'serve'], {}, dir);
    try {
      const url = await listeningUrl(pb.otherOutput, pb.exited);
      const post = async (email: string, pause = true): Promise<number> => {
        const t = performance.now();
        const r = await fetch(`${url}/subscribe`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ email, name: 'Probe', topics: 'vision' }) });
        await r.arrayBuffer();
        const took = performance.now() - t;
        if (r.status !== 200) throw new Error(`POST /subscribe for ${email} answered ${r.status}`);
        if (pause && opts.pauseMs > 0) await sleep(opts.pauseMs);
        return took;
      };
      const probe = async (email: string): Promise<number> => {
        if (opts.measure !== 'next-answer') return post(email);
        await post(email, false);
        return post(`next-after-${email}`);
      };
      for (let i = 0; i < (opts.warmup ?? 20); i++) await post(`warmup-${i}@example.org`);
      const timings: Timings = { new: [], pending: [], active: [], unsubscribed: [] };
      // Rounds of one address per state in a shuffled order: a slow patch of the machine hits every state alike.
      for (let i = 0; i < opts.perState; i++) {
        const order = [...ADDRESS_STATES].sort(() => random() - 0.5);
        for (const state of order) timings[state].push(await probe(address(state, i)));
      }
      return timings;
    } finally {
      await pb.stop('SIGTERM');
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

export const percentile = (xs: readonly number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;

/** P(a random answer of `a` is faster than one of `b`), ties counted half: 0.5 when timing tells nothing. */
export function probabilityFaster(a: readonly number[], b: readonly number[]): number {
  let wins = 0;
  for (const x of a) for (const y of b) wins += x < y ? 1 : x === y ? 0.5 : 0;
  return wins / (a.length * b.length);
}

/**
 * How often one answer tells `a` from `b`: the best threshold on the first half of each sample,
 * scored on the second half (scoring on the same half would flatter it). 0.5 = a coin toss.
 */
export function singleProbeAccuracy(a: readonly number[], b: readonly number[]): number {
  const half = (xs: readonly number[]) => [xs.filter((_, i) => i % 2 === 0), xs.filter((_, i) => i % 2 === 1)] as const;
  const [aFit, aTest] = half(a);
  const [bFit, bTest] = half(b);
  // "a when faster than t" or, if a is the slower one, the other way round.
  const score = (t: number, aFaster: boolean, as: readonly number[], bs: readonly number[]) => {
    const aRight = as.filter((x) => (x < t) === aFaster).length / as.length;
    const bRight = bs.filter((x) => (x < t) !== aFaster).length / bs.length;
    return (aRight + bRight) / 2;
  };
  let best = { t: 0, aFaster: true, s: 0 };
  for (const t of [...aFit, ...bFit]) {
    for (const aFaster of [true, false]) {
      const s = score(t, aFaster, aFit, bFit);
      if (s > best.s) best = { t, aFaster, s };
    }
  }
  return score(best.t, best.aFaster, aTest, bTest);
}
