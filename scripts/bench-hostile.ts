// Hostile-input benchmark (`npm run bench:hostile`): what the digests built to hurt cost, and what
// the web app's visitors notice while `paperboy start` works through them.
//
//   1. In this process: parsing each hostile digest (test/helpers/hostile-digests.ts) into its
//      DIGEST_INVALID error, and grouping a 1 MB one-word title (median of --repeat runs).
//   2. `paperboy start` over a folder with those digests, the largest valid digest the limits allow
//      (~20 MB: 1,500 papers with 19,000-character abstracts) and the sample digest, two subscribers
//      and a probe address: sign-up (POST /subscribe) and one-click unsubscribe (POST
//      /unsubscribe/<token>) are timed back to back during the start-up check, then again while
//      idle. Latency while working is what decides whether the web app stalls.
//
//   npm run bench:hostile
//   npm run bench:hostile -- --repeat 9
//
// Installs nothing, sends nothing (no SMTP: the outbox), and removes its temp folder.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadTaxonomy } from '../src/adapters/taxonomy-file.js';
import { DIGEST_LIMITS, type Digest } from '../src/domain/digest.js';
import { groupByTopic } from '../src/domain/group-by-topic.js';
import { parseDigest } from '../src/domain/parse/index.js';
import { hostileDigests } from '../test/helpers/hostile-digests.js';
import { startPaperboy } from '../test/helpers/paperboy-process.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values: args } = parseArgs({ options: { repeat: { type: 'string', default: '5' } } });
const REPEAT = Math.max(1, Number(args.repeat));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))] ?? NaN;
const ms = (x: number) => `${x.toFixed(x < 10 ? 1 : 0)} ms`;

function timed(fn: () => void): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

async function inProcess(): Promise<void> {
  console.log(`1. In this process (median of ${REPEAT}):`);
  const now = new Date('2026-03-15T00:00:00Z');
  for (const h of hostileDigests()) {
    const runs = Array.from({ length: REPEAT }, () =>
      timed(() => {
        try {
          parseDigest(h.text, { fileName: h.name, now });
        } catch {
          // The DIGEST_INVALID is the expected outcome; its cost is what is measured.
        }
      }),
    );
    console.log(`   parse ${h.name.padEnd(28)} ${(h.text.length / 1024 / 1024).toFixed(1).padStart(5)} MB  ${ms(median(runs)).padStart(8)}`);
  }
  const taxonomyPath = join(ROOT, 'templates/topics.json');
  const taxonomy = await loadTaxonomy(taxonomyPath);
  const digest: Digest = { date: '2026-03-14', source: 'paperboy-json', papers: [{ id: 'x', title: 'a'.repeat(1024 * 1024), abstract: '', authors: [], keywords: [], categories: [] }] };
  const runs = Array.from({ length: REPEAT }, () => timed(() => groupByTopic(digest, taxonomy)));
  console.log(`   group a 1 MB one-word title               ${ms(median(runs)).padStart(8)}`);
  // What the worker keeps off the web server's thread for the largest digest the limits allow.
  const big = largestValidDigest();
  let parsed: Digest | undefined;
  const parse = Array.from({ length: REPEAT }, () => timed(() => (parsed = parseDigest(big, { fileName: 'largest-valid.json', now }))));
  const group = Array.from({ length: REPEAT }, () => timed(() => groupByTopic(parsed!, taxonomy)));
  console.log(`   parse the largest valid digest (${(big.length / 1024 / 1024).toFixed(1)} MB)    ${ms(median(parse)).padStart(8)}`);
  console.log(`   group it                                  ${ms(median(group)).padStart(8)}`);
}

/** The largest digest the limits let through, in the ~20 MB a file may have. */
function largestValidDigest(): string {
  const real = readFileSync(resolve(ROOT, '../shared/data/topics/arxiv-labelled-dev.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { title: string; abstract: string });
  const papers = [];
  let bytes = 0;
  for (let i = 0; bytes < 19.5 * 1024 * 1024 && papers.length < DIGEST_LIMITS.papers; i++) {
    const src = real[i % real.length]!;
    const p = { id: `2603.${String(i).padStart(5, '0')}`, title: src.title, abstract: `${src.abstract} `.repeat(20).slice(0, DIGEST_LIMITS.abstract - 1000), authors: Array.from({ length: 20 }, (_, k) => `Author ${k}`) };
    bytes += JSON.stringify(p).length;
    papers.push(p);
  }
  return JSON.stringify({ date: '2026-03-14', papers });
}

interface Probe {
  signup: number[];
  unsubscribe: number[];
}

async function probeWhile(base: string, unsubscribeUrl: string, busy: () => boolean, minSamples: number): Promise<Probe> {
  const out: Probe = { signup: [], unsubscribe: [] };
  for (let i = 0; busy() || out.signup.length < minSamples; i++) {
    let t = performance.now();
    const s = await fetch(`${base}/subscribe`, {
      method: 'POST',
      // A new address and client IP each time: the caps are not what is measured.
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': `198.51.100.${i % 250}` },
      body: `email=probe${i}-${Date.now()}%40example.org&name=`,
    });
    await s.arrayBuffer();
    out.signup.push(performance.now() - t);
    t = performance.now();
    const u = await fetch(unsubscribeUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    await u.arrayBuffer();
    out.unsubscribe.push(performance.now() - t);
    if (s.status >= 500 || u.status !== 200) throw new Error(`probe answered ${s.status} / ${u.status}`);
  }
  return out;
}

const line = (label: string, xs: number[]) => `   ${label.padEnd(34)} n=${String(xs.length).padStart(4)}  median ${ms(median(xs)).padStart(8)}  p99 ${ms(pct(xs, 99)).padStart(8)}  max ${ms(Math.max(...xs)).padStart(8)}`;

async function underStart(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'paperboy-bench-hostile-'));
  try {
    const env: Record<string, string> = {
      PAPERBOY_DIGESTS_DIR: join(dir, 'digests'),
      PAPERBOY_MAX_DIGEST_AGE_DAYS: '0',
      PAPERBOY_SUBSCRIBERS: join(dir, 'subscribers.json'),
      PAPERBOY_STATE_DIR: join(dir, 'state'),
      PAPERBOY_SECRET: 'bench-hostile-secret-0123456789',
      PAPERBOY_BASE_URL: 'http://127.0.0.1:1',
      PAPERBOY_TRUST_PROXY: 'true',
      PAPERBOY_PORT: '0',
      PAPERBOY_LOG_FORMAT: 'json',
    };
    const cli = (...a: string[]) => execFileSync(process.execPath, [join(ROOT, 'bin/paperboy.js'), ...a], { cwd: dir, env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8' });
    await mkdir(join(dir, 'digests'));
    for (const email of ['ann@example.org', 'bob@example.org', 'probe@example.org']) cli('subscribers', 'add', email);
    // One send first, for a real one-click unsubscribe link (the probe's) from the outbox.
    cli('send', join(ROOT, 'docs/examples/sample-digest.json'));
    const eml = readdirSync(join(dir, 'state/outbox')).map((f) => readFileSync(join(dir, 'state/outbox', f), 'utf8')).find((m) => /^To: .*probe@example\.org/m.test(m))!;
    const unsubscribePath = /^List-Unsubscribe: <http:\/\/127\.0\.0\.1:1(\/unsubscribe\/[^>]+)>/m.exec(eml)![1]!;

    for (const h of hostileDigests()) await writeFile(join(dir, 'digests', h.name), h.text);
    const big = largestValidDigest();
    await writeFile(join(dir, 'digests', 'largest-valid.json'), big);
    console.log(`2. paperboy start over ${hostileDigests().length} hostile digests and the largest valid one (${(big.length / 1024 / 1024).toFixed(1)} MB):`);

    const pb = startPaperboy(['start'], env, dir);
    try {
      const web = await pb.waitFor((e) => e.event === 'web.started', 'the web app');
      const base = String(web.url);
      let checking = true;
      const checked = pb.waitFor((e) => e.event === 'pending.checked', 'the start-up check').then((e) => ((checking = false), e));
      const t0 = performance.now();
      const busy = await probeWhile(base, base + unsubscribePath, () => checking, 1);
      const checkMs = performance.now() - t0;
      const done = await checked;
      const idle = await probeWhile(base, base + unsubscribePath, () => false, Math.max(50, busy.signup.length));
      const invalid = pb.events.filter((e) => e.event === 'digest.invalid').length;
      console.log(`   start-up check: ${(checkMs / 1000).toFixed(1)} s, ${invalid} digests reported invalid, ${String(done.sent)} messages written`);
      console.log(line('sign-up during the check', busy.signup));
      console.log(line('one-click unsubscribe during it', busy.unsubscribe));
      console.log(line('sign-up idle', idle.signup));
      console.log(line('one-click unsubscribe idle', idle.unsubscribe));
    } finally {
      await pb.stop('SIGTERM');
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await inProcess();
await underStart();
