// Sign-up timing benchmark (`npm run bench:signup-timing`): does the answer to POST /subscribe take
// longer or shorter depending on whether the address is new, pending, active or unsubscribed?
// A real `paperboy serve` in its own process (test/helpers/signup-timing.ts), a fresh address per
// request. Prints per state the median and spread, and against new addresses: the chance a random
// answer is faster (0.50 = timing tells nothing) and how often one answer classifies the address
// correctly with the best threshold (fitted on half the answers, scored on the other half).
//
//   npm run bench:signup-timing
//   npm run bench:signup-timing -- --per-state 300 --pause 10 --repeat 3
//   npm run bench:signup-timing -- --pause 0            # the next request as soon as an answer is read
//   npm run bench:signup-timing -- --next               # time a new address's request sent right after
//                                                       # each answer (the work done after answering)
//   npm run bench:signup-timing -- --postgres           # a throwaway PostgreSQL server (Debian's postgresql)
//
// Sends nothing (no SMTP: the outbox of a temp folder, removed afterwards).
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startCluster, type Cluster } from '../test/helpers/postgres-cluster.js';
import { ADDRESS_STATES, measureSignupTiming, median, percentile, probabilityFaster, singleProbeAccuracy, type Timings } from '../test/helpers/signup-timing.js';

const { values: args } = parseArgs({
  options: {
    'per-state': { type: 'string', default: '200' },
    pause: { type: 'string', default: '20' },
    repeat: { type: 'string', default: '1' },
    postgres: { type: 'boolean', default: false },
    next: { type: 'boolean', default: false },
  },
});
const perState = Math.max(10, Number(args['per-state']));
const pauseMs = Math.max(0, Number(args.pause));
const repeat = Math.max(1, Number(args.repeat));

const ms = (x: number) => `${x.toFixed(1)} ms`;

function report(t: Timings): void {
  console.log(`   ${'state'.padEnd(13)} ${'median'.padStart(9)} ${'p10'.padStart(9)} ${'p90'.padStart(9)}   vs new: Δ median  P(faster)  1-probe accuracy`);
  for (const state of ADDRESS_STATES) {
    const xs = t[state];
    const vsNew =
      state === 'new'
        ? ''
        : `${ms(median(xs) - median(t.new)).padStart(10)}  ${probabilityFaster(xs, t.new).toFixed(2).padStart(9)}  ${singleProbeAccuracy(xs, t.new).toFixed(2).padStart(16)}`;
    console.log(`   ${state.padEnd(13)} ${ms(median(xs)).padStart(9)} ${ms(percentile(xs, 10)).padStart(9)} ${ms(percentile(xs, 90)).padStart(9)}   ${vsNew}`);
  }
}

/** A new database on the throwaway server, one per run. */
async function postgresDatabase(cluster: Cluster, run: number): Promise<string> {
  const client = new pg.Client({ connectionString: cluster.adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE signup_timing_${run}`);
  } finally {
    await client.end();
  }
  const url = new URL(cluster.adminUrl);
  url.pathname = `/signup_timing_${run}`;
  return url.toString();
}

const cluster = args.postgres ? await startCluster() : undefined;
try {
  const what = args.next ? 'the request for a new address sent right after the answer for' : 'POST /subscribe for';
  console.log(`${what} ${perState} addresses per state, ${pauseMs} ms pause after each answer, ${cluster ? 'PostgreSQL' : 'SQLite'}:`);
  for (let run = 1; run <= repeat; run++) {
    const databaseUrl = cluster ? await postgresDatabase(cluster, run) : undefined;
    const t = await measureSignupTiming({ perState, pauseMs, seed: run, measure: args.next ? 'next-answer' : 'answer', ...(databaseUrl ? { databaseUrl } : {}) });
    console.log(`run ${run}:`);
    report(t);
  }
} finally {
  cluster?.stop();
}
