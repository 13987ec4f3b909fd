// Send benchmark (`npm run bench`): the real `paperboy send` path — parse, group, render every
// variant, plan against the ledger, splice each message, SMTP pool — against an SMTP sink in its own
// process on 127.0.0.1, and in the same run the ceiling: postfix's smtp-source sending as many
// messages of the same mean size to the same sink.
//
//   npm run bench                               10,000 subscribers
//   npm run bench -- --subscribers 100000
//   npm run bench -- --scale                    1k, 10k and 100k: how time and memory grow
//   npm run bench -- --profile                  also CPU-profile the send process (top functions)
//   npm run bench -- --sink node                use the node smtp-server sink even if postfix is installed
//   npm run bench -- --crash                    kill -9 the send mid-run, run it again, count deliveries
//                                               per recipient (node sink): once / twice / missing / uncertain
//   npm run bench -- --cold                     send with an empty template-check cache (see below)
//   npm run bench -- --repeat 3                 send and ceiling 3 times in turn, then the median ratio
//                                               (the machine's speed drifts; pairs made together compare best)
//   npm run bench -- --signups 20               while the send runs, 20 sign-ups a second arrive at a
//                                               `paperboy serve` on the same database (their latency is printed)
//   npm run bench -- --database postgres://…/db the database to use (default: a SQLite file in the run's
//                                               state folder); it is emptied first
//
// The subscribers are written as an export file and brought in with `paperboy subscribers import`
// (timed, with its peak memory), as an operator would.
//
// Before the measured send, `paperboy preview` renders the digest once in the same state dir: it
// checks the templates through MJML and caches those compiles there, as any earlier send or preview
// with these templates does in a deployment. The send then needs no MJML. --cold skips that step,
// for the first send after a template change.
//
// Installs nothing. Without postfix (`apt-get install postfix` gives smtp-sink and smtp-source) the
// sink is a node smtp-server child and no ceiling is measured.
import { compiledIsFresh } from '../bin/compiled.js';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { topFunctions } from './bench/cpuprofile.js';
import { killAll, measureShare, runMeasured, speedProbeMs, type CpuShare } from './bench/proc.js';
import { SMTP_SOURCE, measureCeiling, startSink, type Ceiling, type Sink } from './bench/sink.js';
import { crashRun } from './bench/crash.js';
import { parseConfig } from '../src/config.js';
import { benchSubscribers, writeBenchSubscribers } from './bench/subscribers.js';
import { startSignupLoad, type SignupLoad } from './bench/signup-load.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const { values: opts } = parseArgs({
  options: {
    subscribers: { type: 'string', default: '10000' },
    scale: { type: 'boolean', default: false },
    digest: { type: 'string' },
    // Both our pool and smtp-source get this many; the default is the config's (smtp.connections).
    connections: { type: 'string', default: String(parseConfig({}, {}).smtp.connections) },
    profile: { type: 'boolean', default: false },
    'no-ceiling': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    seed: { type: 'string', default: '42' },
    sink: { type: 'string', default: 'postfix' },
    crash: { type: 'boolean', default: false },
    cold: { type: 'boolean', default: false },
    repeat: { type: 'string', default: '1' },
    signups: { type: 'string', default: '0' },
    database: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opts.help) {
  console.log('usage: npm run bench -- [--subscribers N] [--scale] [--digest file] [--connections N] [--sink postfix|node] [--profile] [--no-ceiling] [--keep] [--seed N] [--crash] [--cold] [--repeat N] [--signups N] [--database URL]');
  process.exit(0);
}

const trending = resolve(ROOT, '../shared/data/digests/hf-trending-page-mar-14.txt');
const digest = resolve(opts.digest ?? (existsSync(trending) ? trending : join(ROOT, 'docs/examples/sample-digest.json')));
const connections = Number(opts.connections);
const sizes = opts.scale ? [1_000, 10_000, 100_000] : [Number(opts.subscribers)];
const repeat = Number(opts.repeat);
if (!Number.isInteger(repeat) || repeat < 1 || (repeat > 1 && (opts.scale || opts.crash))) {
  console.error('bench: --repeat takes a whole number ≥ 1, for one size (not with --scale or --crash)');
  process.exit(2);
}
if (opts.crash && opts.scale) {
  console.error('bench: --crash runs one size (--subscribers N), not --scale');
  process.exit(2);
}
if (sizes.some((n) => !Number.isInteger(n) || n <= 0) || !Number.isInteger(connections) || connections <= 0) {
  console.error('bench: --subscribers and --connections must be positive integers');
  process.exit(2);
}
const topicIds = (JSON.parse(readFileSync(join(ROOT, 'templates/topics.json'), 'utf8')) as { topics: { id: string }[] }).topics.map((t) => t.id);

/** What `paperboy send --stats-json <file>` writes at the end of a run (fields optional: older builds). */
interface SendStats {
  sent?: number;
  failed?: number;
  variants?: number;
  renderMs?: number;
  bytes?: number;
  deliverMs?: number;
  maxRssKb?: number;
  /** Heavy packages the sending thread loaded (should be none: MJML runs in its own worker thread). */
  heavyModules?: string[];
  /** When each phase ended, ms since the send process started. */
  timeline?: { prepared: number; firstRendered: number; planned: number; delivered: number };
}

interface Row {
  subscribers: number;
  /** `paperboy subscribers import` of the generated list: wall time and peak RSS. */
  importMs?: number;
  importRssKb?: number;
  /** Sign-ups that arrived during the send (--signups). */
  load?: ReturnType<SignupLoad['stop']> extends Promise<infer T> ? T : never;
  /** Wall time of the preview that cached the template checks; undefined with --cold. */
  warmMs?: number;
  sent: number;
  totalMs: number;
  cpuMs: number;
  sysMs: number;
  perSecond: number;
  peakRssKb: number;
  stats: SendStats;
  meanBytes?: number;
  ceiling?: Ceiling;
  /** The machine's and the sink's CPU during our run. */
  share?: CpuShare;
  /** speedProbeMs() just before the run. */
  probeMs?: number;
  /** A --crash run: its own report was printed, no figures. */
  crashed?: boolean;
}

const supportsStats = sendHelp().includes('--stats-json');

function sendHelp(): string {
  try {
    return execFileSync(process.execPath, [join(ROOT, 'bin/paperboy.js'), 'send', '--help'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  } catch (e) {
    return String((e as { stdout?: string }).stdout ?? '');
  }
}

const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;
const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

async function runOnce(n: number, sink: Sink, tmp: string, round = 1): Promise<Row> {
  const dir = join(tmp, `n${n}-${round}`);
  mkdirSync(join(dir, 'state'), { recursive: true });
  const listPath = join(dir, 'bench-subscribers.json');
  writeBenchSubscribers(listPath, n, topicIds, Number(opts.seed));
  const statsPath = join(dir, 'stats.json');
  const profDir = join(dir, 'cpu-profile');
  const nodeArgs = opts.profile ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : [];
  const args = [...nodeArgs, join(ROOT, 'bin/paperboy.js'), 'send', digest, ...(supportsStats ? ['--stats-json', statsPath] : [])];
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    PAPERBOY_SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
    PAPERBOY_STATE_DIR: join(dir, 'state'),
    ...(opts.database ? { PAPERBOY_DATABASE_URL: opts.database } : {}),
    PAPERBOY_TEMPLATES_DIR: join(ROOT, 'templates'),
    PAPERBOY_DIGESTS_DIR: join(dir, 'digests'),
    PAPERBOY_BASE_URL: 'https://papers.example.org',
    PAPERBOY_FROM: 'Trending Papers <papers@example.org>',
    PAPERBOY_SECRET: 'bench-secret-0123456789abcdef',
    PAPERBOY_SMTP_CONNECTIONS: String(connections),
    PAPERBOY_SKIP_SENT_PAPERS: 'false',
  };
  if (opts.database) await emptyDatabase(opts.database);
  console.error(`\n▶ ${fmt(n)} subscribers: paperboy subscribers import`);
  const imp = await runMeasured(process.execPath, [join(ROOT, 'bin/paperboy.js'), 'subscribers', 'import', listPath], { cwd: ROOT, env, timeoutMs: 60 * 60_000, echo: false });
  if (imp.code !== 0) throw new Error(`paperboy subscribers import exited with ${imp.code ?? imp.signal}:\n${imp.stdout.slice(-2000)}\n${imp.stderr.slice(-2000)}`);
  const warmMs = opts.cold ? undefined : warmTemplateChecks(env, dir);
  console.error(`\n▶ ${fmt(n)} subscribers: paperboy send ${digest.replace(ROOT, '')} (${connections} SMTP connections)`);
  if (opts.crash) {
    const emails = benchSubscribers(n, topicIds, Number(opts.seed)).map((s) => s.email);
    const c = await crashRun({ args, env, cwd: ROOT, stateDir: join(dir, 'state'), emails, stopSink: async () => {
      await sink.stop();
      return JSON.parse(readFileSync(countsFile, 'utf8')) as Record<string, number>;
    } });
    console.log(
      [
        '',
        `crash test          ${fmt(n)} subscribers, SIGKILL after ${fmt(c.killedAfterLines)} delivery records, then the same command again`,
        `second run          ${c.secondRun}`,
        `delivered once      ${fmt(c.once)}`,
        `delivered twice+    ${fmt(c.twiceOrMore)}${c.twiceOrMore === 0 ? ' (no duplicates)' : ' DUPLICATES'}`,
        `missing             ${fmt(c.missing)} (${fmt(c.missing - c.missingNotUncertain)} of them reported uncertain${c.missingNotUncertain ? `; ${fmt(c.missingNotUncertain)} NOT reported` : ''})`,
        `uncertain reported  ${fmt(c.uncertain)} (left in "sending" by the kill; not resent without --resend-uncertain)`,
      ].join('\n'),
    );
    if (c.twiceOrMore > 0 || c.missingNotUncertain > 0) process.exitCode = 1;
    return { subscribers: n, sent: c.once, totalMs: 0, cpuMs: 0, sysMs: 0, perSecond: 0, peakRssKb: 0, stats: {}, crashed: true };
  }
  const probeMs = speedProbeMs();
  const load = Number(opts.signups) > 0 ? await startSignupLoad({ env, cwd: ROOT, bin: join(ROOT, 'bin/paperboy.js'), perSecond: Number(opts.signups) }) : undefined;
  const share = measureShare(sink.pid);
  const r = await runMeasured(process.execPath, args, { cwd: ROOT, env, timeoutMs: Math.max(10 * 60_000, n * 20), echo: false });
  const cpuShare = share();
  const loadResult = await load?.stop();
  if (r.code !== 0) {
    throw new Error(`paperboy send exited with ${r.code ?? r.signal}:\n${r.stdout.slice(-2000)}\n${r.stderr.slice(-2000)}`);
  }
  const stats: SendStats = existsSync(statsPath) ? (JSON.parse(readFileSync(statsPath, 'utf8')) as SendStats) : {};
  const sent = stats.sent ?? Number(/sent (\d+)/.exec(r.stdout)?.[1]?.replace(/,/g, '') ?? n);
  if (opts.profile && existsSync(profDir)) {
    for (const f of readdirSync(profDir)) console.error(topFunctions(join(profDir, f), 25));
  }
  const peakRssKb = Math.max(r.peakRssKb, stats.maxRssKb ?? 0);
  const row: Row = { subscribers: n, importMs: imp.wallMs, importRssKb: imp.peakRssKb, ...(loadResult ? { load: loadResult } : {}), warmMs, sent, totalMs: r.wallMs, cpuMs: r.cpuMs, sysMs: r.sysMs, perSecond: (sent * 1000) / r.wallMs, peakRssKb, stats, probeMs, ...(cpuShare ? { share: cpuShare } : {}) };
  if (stats.bytes !== undefined && sent > 0) row.meanBytes = stats.bytes / sent;
  return row;
}

/** `paperboy preview` of the digest in the bench's state dir (see the top of this file); its wall time, ms. */
function warmTemplateChecks(env: Record<string, string | undefined>, dir: string): number {
  const start = performance.now();
  execFileSync(process.execPath, [join(ROOT, 'bin/paperboy.js'), 'preview', digest, '--out', join(dir, 'preview.html')], { cwd: ROOT, env, stdio: 'ignore', timeout: 120_000 });
  return performance.now() - start;
}

function printRow(row: Row, sinkKind: string): void {
  const s = row.stats;
  const lines = [
    ...(row.importMs !== undefined ? [`import              \`paperboy subscribers import\` of the list: ${fmt(row.importMs / 1000, 1)} s, peak RSS ${mb(row.importRssKb ?? 0)}`] : []),
    ...(row.load
      ? [
          `sign-ups meanwhile  ${fmt(row.load.sent)} sent at ${fmt(row.load.perSecond)}/s to \`paperboy serve\` on the same database: ${fmt(row.load.ok)} answered 200, ${fmt(row.load.failed)} not; latency p50 ${fmt(row.load.p50Ms, 1)} ms, p99 ${fmt(row.load.p99Ms, 1)} ms`,
        ]
      : []),
    row.warmMs === undefined
      ? 'template checks     not cached before (--cold): the send compiles them through MJML'
      : `template checks     cached by \`paperboy preview\` in the same state dir first (${fmt(row.warmMs / 1000, 2)} s), as after any earlier send with these templates`,
    `subscribers         ${fmt(row.subscribers)} (sent ${fmt(row.sent)}${s.failed ? `, failed ${fmt(s.failed)}` : ''})`,
    `variants rendered   ${s.variants !== undefined ? fmt(s.variants) : 'n/a'}${s.renderMs !== undefined ? ` in ${fmt(s.renderMs / 1000, 2)} s (HTML, text and MIME message, once per variant)` : ''}`,
    `total time          ${fmt(row.totalMs / 1000, 2)} s (whole command: start-up, parse, render, ledger, SMTP)`,
    `messages per second ${fmt(row.perSecond)}${s.deliverMs ? ` end to end; ${fmt((row.sent * 1000) / s.deliverMs)} while delivering` : ''}`,
    `mean message size   ${row.meanBytes !== undefined ? `${fmt(row.meanBytes / 1024, 1)} KiB` : 'n/a (send reported no byte count)'}`,
    `CPU (send process)  ${fmt(row.cpuMs / 1000, 2)} s (${fmt(row.sysMs / 1000, 2)} s of it system), ${fmt((row.cpuMs * 1000) / Math.max(row.sent, 1))} µs per message`,
    ...(s.timeline
      ? [
          `timeline            from the process's start: digest parsed and grouped ${fmt(s.timeline.prepared / 1000, 2)} s · all-topics variant rendered ${fmt(s.timeline.firstRendered / 1000, 2)} s · subscribers planned ${fmt(s.timeline.planned / 1000, 2)} s · delivered ${fmt(s.timeline.delivered / 1000, 2)} s`,
        ]
      : []),
    `peak RSS (send)     ${mb(row.peakRssKb)}`,
    `heavy modules       ${s.heavyModules === undefined ? 'n/a' : s.heavyModules.length === 0 ? 'none loaded in the sending thread' : `loaded in the sending thread: ${s.heavyModules.join(', ')}`}`,
    `sink                ${sinkKind}`,
  ];
  if (row.probeMs !== undefined) lines.push(`speed probe         ${fmt(row.probeMs)} ms for a fixed CPU task just before the run (20,000 rounds of JSON, a 37 KB join and an HMAC; higher = slower machine at that moment)`);
  // Who used the two cores: when the machine is ~100% busy, the sender's CPU per message is the limit.
  const cores = (ms: number, wallMs: number) => `${fmt(ms / wallMs, 2)} cores`;
  if (row.share) {
    lines.push(
      `CPU share           machine ${fmt(row.share.machineBusy * 100)}% busy during the send: send process ${cores(row.cpuMs, row.totalMs)}${row.share.sinkMs !== undefined ? `, sink ${cores(row.share.sinkMs, row.totalMs)}` : ''}`,
    );
  }
  if (row.ceiling) {
    lines.push(`ceiling             smtp-source: ${fmt(row.ceiling.perSecond)} msgs/s (${connections} sessions, same count and mean size, same sink)`);
    const c = row.ceiling;
    if (c.share) {
      lines.push(
        `                    machine ${fmt(c.share.machineBusy * 100)}% busy during smtp-source: smtp-source ${cores(c.cpuMs, c.ms)}${c.share.sinkMs !== undefined ? `, sink ${cores(c.share.sinkMs, c.ms)}` : ''}`,
      );
    }
    lines.push(`ratio               ${fmt(row.perSecond / row.ceiling.perSecond, 2)} (ours / smtp-source)`);
  }
  console.log(lines.join('\n'));
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** The rounds of --repeat side by side, with medians. */
function printRepeats(rows: Row[]): void {
  const list = (xs: number[], d = 0) => `${xs.map((x) => fmt(x, d)).join(' / ')} (median ${fmt(median(xs), d)})`;
  const lines = ['', `${`${rows.length} rounds`.padEnd(20)}send, then smtp-source, in turn`, `ours                ${list(rows.map((r) => r.perSecond))} msgs/s end to end`];
  const paired = rows.filter((r) => r.ceiling);
  if (paired.length > 0) {
    lines.push(`smtp-source         ${list(paired.map((r) => r.ceiling!.perSecond))} msgs/s`);
    lines.push(`ratio               ${list(paired.map((r) => r.perSecond / r.ceiling!.perSecond), 2)}`);
  }
  console.log(lines.join('\n'));
}

function printScale(rows: Row[]): void {
  const head = ['subscribers', 'variants', 'render s', 'total s', 'msgs/s', 'CPU s', 'CPU µs/msg', 'peak RSS', 'ceiling/s', 'ratio'];
  const body = rows.map((r) => [
    fmt(r.subscribers),
    r.stats.variants !== undefined ? fmt(r.stats.variants) : 'n/a',
    r.stats.renderMs !== undefined ? fmt(r.stats.renderMs / 1000, 2) : 'n/a',
    fmt(r.totalMs / 1000, 2),
    fmt(r.perSecond),
    fmt(r.cpuMs / 1000, 1),
    fmt((r.cpuMs * 1000) / Math.max(r.sent, 1)),
    mb(r.peakRssKb),
    r.ceiling ? fmt(r.ceiling.perSecond) : 'n/a',
    r.ceiling ? fmt(r.perSecond / r.ceiling.perSecond, 2) : 'n/a',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  console.log(['', line(head), ...body.map(line)].join('\n'));
  const first = rows[0]!;
  for (const r of rows.slice(1)) {
    console.log(
      `${fmt(first.subscribers)} → ${fmt(r.subscribers)} (×${fmt(r.subscribers / first.subscribers)}): time ×${fmt(r.totalMs / first.totalMs, 1)}, CPU ×${fmt(r.cpuMs / first.cpuMs, 1)}, peak RSS ×${fmt(r.peakRssKb / first.peakRssKb, 1)}`,
    );
  }
}

/** A PostgreSQL database given with --database is reused: drop what an earlier run left. */
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

const tmp = await mkdtemp(join(tmpdir(), 'paperboy-bench-'));
const countsFile = join(tmp, 'sink-counts.json');
let sink: Sink | undefined;
const cleanup = async () => {
  await sink?.stop().catch(() => {});
  killAll();
  if (!opts.keep) await rm(tmp, { recursive: true, force: true });
};
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    void cleanup().finally(() => process.exit(130));
  });
}

try {
  sink = await startSink(opts.sink === 'node' || opts.crash ? 'node' : 'postfix', opts.crash ? { countsFile } : {});
  console.log(`machine             ${cpus().length} × ${cpus()[0]?.model ?? '?'}, node ${process.version}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`code                ${compiledIsFresh() ? 'compiled dist/ (fresh)' : 'TypeScript through tsx (dist/ missing or older than src/: `npm run build`)'}`);
  console.log(`digest              ${digest.replace(resolve(ROOT, '..') + '/', '../')}`);
  console.log(`sink                ${sink.kind} on 127.0.0.1:${sink.port}`);
  if (!supportsStats) console.log('note                `paperboy send` has no --stats-json: variants, render time and sizes not reported');
  const rows: Row[] = [];
  for (const n of sizes) {
    const repeats: Row[] = [];
    for (let round = 1; round <= repeat; round++) {
      const row = await runOnce(n, sink, tmp, round);
      if (row.crashed) break;
      if (!opts['no-ceiling']) {
        if (!existsSync(SMTP_SOURCE)) console.log('ceiling             not measured: `apt-get install postfix` provides smtp-source (and smtp-sink)');
        else row.ceiling = await measureCeiling(sink.port, row.sent, row.meanBytes ?? 50_000, connections, sink.pid);
        if (row.ceiling && row.meanBytes === undefined) console.log('note                ceiling measured with 50,000-byte messages (send reported no sizes)');
      }
      console.log('');
      if (repeat > 1) console.log(`round               ${round} of ${repeat}`);
      printRow(row, sink.kind);
      console.log(`load average now    ${loadavg().map((l) => l.toFixed(2)).join(' ')} (other processes on ${cpus().length} cores skew the figures)`);
      repeats.push(row);
    }
    if (repeats.length > 1) printRepeats(repeats);
    rows.push(...repeats.slice(0, 1));
  }
  if (rows.length > 1) printScale(rows);
  if (opts.keep) console.log(`\nkept ${tmp}`);
} catch (e) {
  console.error(`bench failed: ${(e as Error).message}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}
