// Web benchmark (`npm run bench:web`): a running `paperboy serve` over a database that already holds
// a large list, measured as readers meet it. Latency (p50/p99) of a sign-up, a confirmation and a
// one-click unsubscribe, each one request at a time; then sign-ups per second from many concurrent
// clients (autocannon), every request a new address.
//
//   npm run bench:web                                   1,000,000 subscribers, SQLite
//   npm run bench:web -- --subscribers 100000
//   npm run bench:web -- --database postgres://user@127.0.0.1:5432/bench   (emptied first)
//   npm run bench:web -- --clients 50 --seconds 10 --requests 500
//
// The sign-up caps are raised for the run (one client IP sends everything); everything else is as
// configured by default: WAL + synchronous=FULL on SQLite, confirmation mails written to the outbox.
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { compiledIsFresh } from '../bin/compiled.js';
import { signToken } from '../src/domain/tokens.js';
import { killAll, runMeasured } from './bench/proc.js';
import { percentile, postSignup, startServe } from './bench/signup-load.js';
import { writeBenchSubscribers } from './bench/subscribers.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin/paperboy.js');
const SECRET = 'bench-secret-0123456789abcdef';

const { values: opts } = parseArgs({
  options: {
    subscribers: { type: 'string', default: '1000000' },
    database: { type: 'string' },
    requests: { type: 'string', default: '500' },
    clients: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '10' },
    keep: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opts.help) {
  console.log('usage: npm run bench:web -- [--subscribers N] [--database postgres://…] [--requests N] [--clients N] [--seconds N] [--keep]');
  process.exit(0);
}
const n = Number(opts.subscribers);
const requests = Number(opts.requests);
const clients = Number(opts.clients);
const seconds = Number(opts.seconds);
const fmt = (x: number, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const topicIds = (JSON.parse(readFileSync(join(ROOT, 'templates/topics.json'), 'utf8')) as { topics: { id: string }[] }).topics.map((t) => t.id);

async function emptyDatabase(url: string): Promise<void> {
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
  } finally {
    await client.end();
  }
}

/** p50/p99 of `count` requests made one after the other. */
async function sequential(count: number, one: (i: number) => Promise<{ ms: number; ok: boolean }>): Promise<{ p50: number; p99: number; failed: number }> {
  const ms: number[] = [];
  let failed = 0;
  for (let i = 0; i < count; i++) {
    const r = await one(i);
    ms.push(r.ms);
    if (!r.ok) failed++;
  }
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 50), p99: percentile(ms, 99), failed };
}

async function post(url: string, body = 'List-Unsubscribe=One-Click'): Promise<{ ms: number; ok: boolean }> {
  const start = performance.now();
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: new URL(url).origin }, body });
  await r.arrayBuffer();
  return { ms: performance.now() - start, ok: r.status === 200 };
}

const tmp = await mkdtemp(join(tmpdir(), 'paperboy-bench-web-'));
let serve: Awaited<ReturnType<typeof startServe>> | undefined;
try {
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    PAPERBOY_STATE_DIR: join(tmp, 'state'),
    PAPERBOY_DIGESTS_DIR: join(tmp, 'digests'),
    PAPERBOY_SECRET: SECRET,
    PAPERBOY_LOG_FORMAT: 'json',
    ...(opts.database ? { PAPERBOY_DATABASE_URL: opts.database } : {}),
  };
  console.log(`machine             ${cpus().length} × ${cpus()[0]?.model ?? '?'}, node ${process.version}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`code                ${compiledIsFresh() ? 'compiled dist/ (fresh)' : 'TypeScript through tsx (`npm run build` for the compiled figures)'}`);
  console.log(`database            ${opts.database ? `PostgreSQL (${new URL(opts.database).host})` : 'SQLite file in the state folder'}`);
  if (opts.database) await emptyDatabase(opts.database);
  const list = join(tmp, 'subscribers.json');
  writeBenchSubscribers(list, n, topicIds);
  const imp = await runMeasured(process.execPath, [BIN, 'subscribers', 'import', list], { cwd: ROOT, env, timeoutMs: 60 * 60_000, echo: false });
  if (imp.code !== 0) throw new Error(`import failed:\n${imp.stderr.slice(-2000)}`);
  console.log(`import              ${fmt(n)} subscribers with \`paperboy subscribers import\`: ${fmt(imp.wallMs / 1000, 1)} s, peak RSS ${fmt(imp.peakRssKb / 1024)} MB`);

  serve = await startServe({ env, cwd: ROOT, bin: BIN, configDir: tmp });
  const url = serve.url;
  // One request to warm up the connection and the server's code paths.
  await postSignup(url, 'warmup@example.net');

  const signups = await sequential(requests, (i) => postSignup(url, `newcomer${i}@example.net`));
  const exp = Math.floor(Date.now() / 1000) + 86_400;
  const confirms = await sequential(requests, (i) => post(`${url}/confirm/${signToken(SECRET, { kind: 'confirm', email: `newcomer${i}@example.net`, v: 0, exp })}`, ''));
  // Existing readers spread over the whole list.
  const stride = Math.max(1, Math.floor(n / requests));
  const unsubscribes = await sequential(Math.min(requests, n), (i) =>
    post(`${url}/unsubscribe/${signToken(SECRET, { kind: 'unsubscribe', email: `reader${String((i * stride) % n).padStart(7, '0')}@example.org`, v: 0 })}`),
  );
  const line = (what: string, r: { p50: number; p99: number; failed: number }) =>
    `${what.padEnd(20)}p50 ${fmt(r.p50, 1)} ms, p99 ${fmt(r.p99, 1)} ms over ${fmt(requests)} requests one at a time${r.failed ? `, ${r.failed} not answered 200` : ''}`;
  console.log(line('sign-up', signups));
  console.log(line('confirm', confirms));
  console.log(line('one-click unsub.', unsubscribes));

  let counter = 0;
  const result = await autocannon({
    url: `${url}/subscribe`,
    connections: clients,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: url },
        setupRequest: (req) => ({ ...req, body: `email=crowd${counter++}%40example.net&topics=language` }),
      },
    ],
  });
  const non2xx = result.non2xx + result.errors + result.timeouts;
  console.log(
    `sign-ups, ${clients} clients  ${fmt(result.requests.average)} per second over ${seconds} s (${fmt(result.requests.total)} in all), latency p50 ${fmt(result.latency.p50, 1)} ms, p99 ${fmt(result.latency.p99, 1)} ms${non2xx ? `, ${fmt(non2xx)} failed or not 2xx` : ', all answered 200'}`,
  );
  console.log(`load average now    ${loadavg().map((l) => l.toFixed(2)).join(' ')} (the client runs on the same ${cpus().length} cores)`);
} catch (e) {
  console.error(`bench:web failed: ${(e as Error).message}`);
  process.exitCode = 1;
} finally {
  await serve?.stop();
  killAll();
  if (!opts.keep) await rm(tmp, { recursive: true, force: true });
  else console.log(`kept ${tmp}`);
}
