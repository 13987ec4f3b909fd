// The digest worker that `paperboy start` and `paperboy serve` parse and group digests in: the
// same results as in the calling thread, the same DIGEST_INVALID errors, limits on time and memory
// that turn a runaway digest into an invalid one, a stop request that does not wait, and a calling
// thread that keeps running while a large digest is read.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDigestFile } from '../../src/adapters/digest-file.js';
import { digestWorker } from '../../src/adapters/digest-worker.js';
import { loadTaxonomy } from '../../src/adapters/taxonomy-file.js';
import { groupByTopic } from '../../src/domain/group-by-topic.js';
import type { Taxonomy } from '../../src/domain/taxonomy.js';
import { isPaperboyError } from '../../src/errors.js';
import { hostileDigests } from '../helpers/hostile-digests.js';
import { REPO_ROOT } from '../helpers/paperboy-process.js';

const REAL = resolve(REPO_ROOT, '../shared/data/digests/hf-trending-page-mar-14.txt');
const NOW = new Date('2026-03-15T08:00:00Z');

let dir: string;
let taxonomy: Taxonomy;

/** A valid digest of about `mb` megabytes: real abstracts, repeated, within every field limit. */
function largeDigest(mb: number): string {
  const abstract = 'We study diffusion models for robot manipulation with language-conditioned policies. '.repeat(200);
  const papers = [];
  for (let i = 0; papers.length * abstract.length < mb * 1024 * 1024; i++) {
    papers.push({ id: `2603.${String(i).padStart(5, '0')}`, title: `Paper ${i} on vision and language`, abstract });
  }
  return JSON.stringify({ date: '2026-03-14', papers });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'paperboy-digest-worker-'));
  taxonomy = await loadTaxonomy(resolve(REPO_ROOT, 'templates/topics.json'));
  for (const h of hostileDigests()) await writeFile(join(dir, h.name), h.text);
  await writeFile(join(dir, 'large.json'), largeDigest(8));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function failure(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => expect.unreachable('expected the digest to be refused'),
    (e: unknown) => e,
  );
}

describe('digestWorker', () => {
  it('reads and groups exactly as the calling thread does', async () => {
    const work = digestWorker();
    try {
      const digest = await work.read(REAL, NOW);
      expect(digest).toEqual(await readDigestFile(REAL, NOW));
      expect(await work.group(digest, taxonomy)).toEqual(groupByTopic(digest, taxonomy));
    } finally {
      await work.close();
    }
  });

  it('refuses every hostile digest with the DIGEST_INVALID error the file gets in the CLI', async () => {
    const work = digestWorker();
    try {
      for (const h of hostileDigests()) {
        const e = await failure(work.read(join(dir, h.name), NOW));
        expect(isPaperboyError(e) && e.code, h.name).toBe('DIGEST_INVALID');
        expect((e as Error).message, h.name).toContain(join(dir, h.name));
        expect((e as Error).message, h.name).toMatch(h.says);
      }
    } finally {
      await work.close();
    }
  });

  it('turns a digest over the time or memory limit into DIGEST_INVALID, and goes on with the next', async () => {
    const slow = digestWorker({ timeLimitMs: 50 });
    const small = digestWorker({ memoryLimitMb: 16 });
    try {
      const late = await failure(slow.read(join(dir, 'large.json'), NOW));
      expect(isPaperboyError(late) && late.code).toBe('DIGEST_INVALID');
      expect((late as Error).message).toMatch(/large\.json .*took more than 0\.05 s to read/);
      const big = await failure(small.read(join(dir, 'large.json'), NOW));
      expect(isPaperboyError(big) && big.code).toBe('DIGEST_INVALID');
      expect((big as Error).message).toMatch(/large\.json .*needs more than 16 MB of memory/);
      // A fresh worker takes the next digest.
      expect((await small.read(REAL, NOW)).papers).toHaveLength(62);
    } finally {
      await Promise.all([slow.close(), small.close()]);
    }
  });

  it('throws the work away at once when asked to stop', async () => {
    const work = digestWorker();
    try {
      const ac = new AbortController();
      const reading = work.read(join(dir, 'large.json'), NOW, ac.signal);
      setTimeout(() => ac.abort(), 20);
      const e = await failure(reading);
      expect((e as Error).name).toBe('AbortError');
      expect((await work.read(REAL, NOW)).papers).toHaveLength(62);
    } finally {
      await work.close();
    }
  });

  it('leaves the calling thread free while it reads and groups a large digest', async () => {
    // The longest pause between timer ticks of this thread during each job, against how long the
    // job took: in the calling thread the pause would be the whole parse, or the whole grouping.
    const work = digestWorker();
    const watch = async <T>(job: () => Promise<T>) => {
      let last = performance.now();
      let longestPause = 0;
      const ticker = setInterval(() => {
        const now = performance.now();
        longestPause = Math.max(longestPause, now - last);
        last = now;
      }, 2);
      const start = performance.now();
      const value = await job();
      const took = performance.now() - start;
      // One more tick, so a pause that lasted to the end of the job is counted too.
      await new Promise((r) => setTimeout(r, 10));
      clearInterval(ticker);
      return { value, took, longestPause };
    };
    try {
      await work.read(REAL, NOW); // the worker's start-up is not what is measured
      const read = await watch(() => work.read(join(dir, 'large.json'), NOW));
      const group = await watch(() => work.group(read.value, taxonomy));
      for (const job of [read, group]) {
        expect(job.took).toBeGreaterThan(100);
        expect(job.longestPause).toBeLessThan(job.took / 2);
      }
    } finally {
      await work.close();
    }
  }, 60_000);
});
