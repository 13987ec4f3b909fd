// The real digest files in ../shared/data/digests, read through the file adapter, plus bad files
// written to a temp dir, plus the `validate` command run through main() with captured output.
import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDigestFile } from '../../src/adapters/digest-file.js';
import { runCli } from '../helpers/run-cli.js';
import type { Digest } from '../../src/domain/digest.js';
import { parseDigest } from '../../src/domain/parse/index.js';
import { isPaperboyError, type PaperboyError } from '../../src/errors.js';

const DIGESTS = fileURLToPath(new URL('../../../shared/data/digests/', import.meta.url));
const REPO = fileURLToPath(new URL('../../', import.meta.url));
const NOW = new Date('2026-11-26T12:00:00Z');
const real = (name: string, now = NOW) => readDigestFile(join(DIGESTS, name), now);

async function failure(path: string): Promise<PaperboyError> {
  try {
    await readDigestFile(path, NOW);
  } catch (e) {
    if (isPaperboyError(e)) return e;
    throw e;
  }
  throw new Error(`expected ${path} to be refused`);
}

function expectCleanText(d: Digest) {
  for (const p of d.papers) {
    expect(typeof p.id).toBe('string');
    for (const s of [p.title, p.abstract, ...p.authors]) {
      expect(s).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
      expect(s).not.toMatch(/\s{2}/);
      expect(s).toBe(s.trim());
    }
  }
}

describe('real digest files', () => {
  it('reads every file with the expected format, date and paper count', async () => {
    const expected: [string, Digest['source'], string, number][] = [
      ['hf-daily-2024-06-28.json', 'hf-daily', '2024-06-28', 17],
      ['hf-daily-2025-10-03.json', 'hf-daily', '2025-10-03', 39],
      ['hf-daily-2026-08-14.json', 'hf-daily', '2026-08-14', 23],
      ['hf-daily-2026-08-20.json', 'hf-daily', '2026-08-20', 15],
      ['hf-trending-page-mar-14.txt', 'hf-trending-text', '2026-03-14', 62],
      ['arxiv-query-einstein-2018-02-05.atom.xml', 'arxiv-atom', '2018-02-05', 10],
      ['arxiv-query-cs-ro-2025-10-17.atom.xml', 'arxiv-atom', '2025-10-17', 2],
    ];
    for (const [name, source, date, count] of expected) {
      const d = await real(name);
      expect({ name, source: d.source, date: d.date, count: d.papers.length }).toEqual({ name, source, date, count });
      expect(new Set(d.papers.map((p) => p.id)).size).toBe(count);
      expectCleanText(d);
    }
  });

  describe('Hugging Face daily papers', () => {
    it('unwraps hard-wrapped titles and keeps ids as strings', async () => {
      const d = await real('hf-daily-2024-06-28.json');
      expect(d.papers.slice(0, 2).map((p) => p.title)).toEqual([
        'OMG-LLaVA: Bridging Image-level, Object-level, Pixel-level Reasoning and Understanding',
        'Step-DPO: Step-wise Preference Optimization for Long-chain Reasoning of LLMs',
      ]);
      for (const p of d.papers) expect(p.id).toMatch(/^\d{4}\.\d{5}$/);
    });

    it('maps the newer fields', async () => {
      const d = await real('hf-daily-2025-10-03.json');
      expect(d.papers.find((p) => p.id === '2510.02283')).toMatchObject({
        title: 'Self-Forcing++: Towards Minute-Scale High-Quality Video Generation',
        url: 'https://huggingface.co/papers/2510.02283',
        pdfUrl: 'https://arxiv.org/pdf/2510.02283',
        codeUrl: 'https://github.com/justincui03/Self-Forcing-Plus-Plus',
        projectUrl: 'https://self-forcing-plus-plus.github.io/',
        upvotes: 43,
        comments: 2,
        organization: 'ByteDance Seed',
      });
      expect(d.papers.find((p) => p.id === '2510.02283')?.keywords.slice(0, 2)).toEqual(['diffusion models', 'transformer architectures']);
    });

    it('gives paper 2608.13558, listed on two days, the same id', async () => {
      const a = (await real('hf-daily-2026-08-14.json')).papers.find((p) => p.id === '2608.13558');
      const b = (await real('hf-daily-2026-08-20.json')).papers.find((p) => p.id === '2608.13558');
      expect(a?.title).toBe('OmniScientist: An Omni-Modal Omni-Discipline AI Scientist');
      expect(b?.title).toBe(a?.title);
      expect(b?.codeUrl).toBe('https://github.com/Omni-Scientist/OmniScientist');
    });

    it('finds the same day from the items when the file name has none', async () => {
      for (const day of ['2024-06-28', '2025-10-03', '2026-08-14', '2026-08-20']) {
        const text = await readFile(join(DIGESTS, `hf-daily-${day}.json`), 'utf8');
        expect(parseDigest(text, { fileName: 'daily.json', now: NOW }).date).toBe(day);
      }
    });
  });

  describe('trending page', () => {
    it('pairs 62 titles with their abstracts, in page order', async () => {
      const d = await real('hf-trending-page-mar-14.txt');
      expect(d.title).toBe('Trending papers');
      expect(d.papers[0]?.title).toBe('What Can Be Learnt With Wide Convolutional Neural Networks?');
      expect(d.papers[0]?.abstract).toMatch(/^Understanding how convolutional neural networks \(CNNs\)/);
      expect(d.papers[61]?.title).toBe('Deep neural networks as nested dynamical systems');
      expect(d.papers.map((p) => p.title)).toContain('Multi-marginal Schrödinger Bridges with Iterative Reference Refinement');
      for (const p of d.papers) {
        expect(p.id).toMatch(/^t-[0-9a-f]{10}$/);
        expect(p.title.length).toBeLessThan(160);
        expect(p.abstract.length).toBeGreaterThan(1000);
      }
    });

    it('pulls code links out of abstracts without trailing punctuation', async () => {
      const d = await real('hf-trending-page-mar-14.txt');
      const byTitle = (t: string) => d.papers.find((p) => p.title.startsWith(t));
      expect(byTitle('Generative Causal Representation Learning')?.codeUrl).toBe('https://github.com/sshirahmad/GCRL');
      expect(byTitle('PFGM++')?.codeUrl).toBe('https://github.com/Newbeeer/pfgmpp');
      expect(byTitle('Weather2K')?.codeUrl).toBe('https://github.com/bycnfz/weather2k/');
      expect(byTitle('Hierarchical State Space Models')).toMatchObject({ projectUrl: 'https://hiss-csp.github.io' });
      expect(byTitle('Hierarchical State Space Models')).not.toHaveProperty('codeUrl');
      const code = d.papers.flatMap((p) => (p.codeUrl ? [p.codeUrl] : []));
      expect(code).toHaveLength(12);
      for (const u of code) expect(u).toMatch(/^https:\/\/github\.com\/[\w.-]+\/[\w.-]*[\w/]$/);
    });

    it('keeps LaTeX as written', async () => {
      const d = await real('hf-trending-page-mar-14.txt');
      expect(d.papers.find((p) => p.title.startsWith('Causal de Finetti'))?.abstract).toContain('(i.\\,i.\\,d)');
    });

    it('puts "Mar 14" in the previous year when this year\'s would be in the future', async () => {
      expect((await real('hf-trending-page-mar-14.txt', new Date('2026-03-01T00:00:00Z'))).date).toBe('2025-03-14');
    });
  });

  describe('arXiv Atom', () => {
    it('strips versions, keeps old-style ids, and links the pdf', async () => {
      const d = await real('arxiv-query-einstein-2018-02-05.atom.xml');
      expect(d.papers[0]).toMatchObject({
        id: '1801.05533',
        title: 'Einstein-Weyl structures on almost cosymplectic manifolds',
        authors: ['Xiaomin Chen'],
        url: 'https://arxiv.org/abs/1801.05533',
        pdfUrl: 'https://arxiv.org/pdf/1801.05533v1',
        categories: ['math.DG'],
        publishedAt: '2018-01-17T03:05:51Z',
      });
      expect(d.papers.map((p) => p.id)).toEqual(
        expect.arrayContaining(['0802.2137', 'math/0502287', 'math/0507289']),
      );
      expect(d.papers.find((p) => p.id === 'math/0502287')?.pdfUrl).toBe('https://arxiv.org/pdf/math/0502287v1');
    });

    it('lists the primary category first and drops MSC codes', async () => {
      const d = await real('arxiv-query-einstein-2018-02-05.atom.xml');
      expect(d.papers.find((p) => p.id === '0808.2097')?.categories).toEqual(['math.DG', 'math-ph', 'math.MP']);
      const ro = await real('arxiv-query-cs-ro-2025-10-17.atom.xml');
      expect(ro.papers[0]).toMatchObject({
        id: '2510.14968',
        title: 'RDD: Retrieval-Based Demonstration Decomposer for Planner Alignment in Long-Horizon Tasks',
        categories: ['cs.RO', 'cs.AI', 'cs.CV', 'cs.LG', 'cs.SY', 'eess.SY'],
        authors: ['Mingxuan Yan', 'Yuping Wang', 'Zechun Liu', 'Jiachen Li'],
      });
    });
  });

  it('the shipped sample digest is valid paperboy JSON', async () => {
    const d = await readDigestFile(join(REPO, 'docs/examples/sample-digest.json'), NOW);
    expect(d).toMatchObject({ source: 'paperboy-json', date: '2026-03-14', title: 'Trending papers' });
    expect(d.papers.length).toBeGreaterThanOrEqual(12);
  });
});

describe('bad files', () => {
  let dir: string;
  const file = async (name: string, content: string | Uint8Array) => {
    const path = join(dir, name);
    await writeFile(path, content);
    return path;
  };
  const paper = (i: number) => ({ id: `2501.0000${i}`, title: `Paper ${i}`, abstract: 'A.' });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'paperboy-digests-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('an empty file', async () => {
    const path = await file('empty.json', '');
    const e = await failure(path);
    expect(e.code).toBe('DIGEST_INVALID');
    expect(e.message).toBe(`${path} (no content): the file is empty. Write or download the digest again; paperboy reads paperboy JSON, Hugging Face daily papers JSON, the trending-page text and arXiv Atom feeds (see docs/digest-formats.md)`);
  });

  it('a Python repr', async () => {
    const path = await file('repr.json', "[{'paper': {'id': '2406.19389', 'title': 'T'}, 'isAuthorParticipating': False}]");
    const e = await failure(path);
    expect(e.message).toContain(`${path} (read as JSON): line 1: this looks like a Python repr`);
    expect(e.message).toContain('json.dump');
  });

  it('a wrapper object, and paperboy JSON without a date', async () => {
    const wrapped = await file('wrapped.json', JSON.stringify({ data: [{ paper: { id: '1', title: 'T' } }] }));
    expect((await failure(wrapped)).message).toContain(`${wrapped} (JSON of no known digest shape): data: an object wrapping a list in "data"`);
    const undated = await file('undated.json', JSON.stringify({ papers: [paper(1)] }));
    expect((await failure(undated)).message).toContain(`${undated} (read as paperboy JSON): date: is missing`);
  });

  it('a paper without a title, a numeric id, and duplicated ids', async () => {
    const noTitle = await file('no-title.json', JSON.stringify({ date: '2026-03-14', papers: [paper(1), paper(2), paper(3), { id: '4', abstract: 'A.' }] }));
    expect((await failure(noTitle)).message).toContain(`${noTitle} (read as paperboy JSON): papers[3].title: is missing`);

    const hf = JSON.parse(await readFile(join(DIGESTS, 'hf-daily-2026-08-20.json'), 'utf8')) as { paper: { id: unknown } }[];
    (hf[5] as { paper: { id: unknown } }).paper.id = 2608.1919;
    const numeric = await file('hf-daily-2026-08-20.json', JSON.stringify(hf));
    const e = await failure(numeric);
    expect(e.message).toContain(`${numeric} (read as Hugging Face daily papers JSON): [5].paper.id: is the number 2608.1919`);
    expect(e.message).toContain('quote it');

    const dup = await file('dup.json', JSON.stringify({ date: '2026-03-14', papers: [paper(1), { ...paper(2), id: paper(1).id }] }));
    expect((await failure(dup)).message).toContain(`${dup} (read as paperboy JSON): papers[1].id: the id "2501.00001" is also used by papers[0]`);
  });

  it('a file over 20 MB is refused before it is read', async () => {
    const path = await file('huge.json', '{}');
    await truncate(path, 21 * 1024 * 1024);
    const e = await failure(path);
    expect(e.code).toBe('DIGEST_INVALID');
    expect(e.message).toBe(`${path} (not read): the file is 21.0 MB; digests are limited to 20 MB. Check that this is the right file, or split it into one file per day`);
  });

  it('a byte-order mark is stripped', async () => {
    const path = await file('bom.json', '\uFEFF' + JSON.stringify({ date: '2026-03-14', papers: [paper(1)] }));
    expect((await readDigestFile(path, NOW)).papers).toHaveLength(1);
  });

  it('a missing file or a directory', async () => {
    const missing = await failure(join(dir, 'nope.json'));
    expect(missing.code).toBe('DIGEST_NOT_FOUND');
    expect(missing.message).toBe(`${join(dir, 'nope.json')}: no such digest file. Check the path and try again.`);
    const folder = await failure(dir);
    expect(folder.code).toBe('DIGEST_INVALID');
    expect(folder.message).toContain('this is a directory, not a digest file');
  });
});

describe('paperboy validate', () => {
  const run = (args: string[]) => runCli(['validate', ...args], { cwd: REPO });

  it('prints one ok line per good file and exits 0', async () => {
    const r = await run(['../shared/data/digests/hf-daily-2024-06-28.json', '../shared/data/digests/hf-trending-page-mar-14.txt', '--now', '2026-11-26']);
    expect(r).toEqual({
      code: 0,
      stdout:
        'ok   ../shared/data/digests/hf-daily-2024-06-28.json     hf-daily, 2024-06-28, 17 papers\n' +
        'ok   ../shared/data/digests/hf-trending-page-mar-14.txt  hf-trending-text, 2026-03-14, 62 papers\n',
      stderr: '',
    });
  });

  it('prints a bad line with the reason, exits 2, and shows no stack trace', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'paperboy-validate-'));
    try {
      const bad = join(dir, 'bad.json');
      await writeFile(bad, "{'date': '2026-03-14', 'papers': []}");
      const r = await run(['docs/examples/sample-digest.json', bad, 'missing.json']);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe('');
      const lines = r.stdout.trimEnd().split('\n');
      expect(lines).toHaveLength(4);
      expect(lines[0]).toMatch(/^ok {3}docs\/examples\/sample-digest\.json +paperboy-json, 2026-03-14, \d+ papers$/);
      expect(lines[1]).toBe(
        `bad  ${bad} (read as JSON): line 1: this looks like a Python repr (single quotes, True/False/None), not JSON. Write the file with json.dump(data, f) instead of str(data) or print(data)`,
      );
      expect(lines[2]).toBe('bad  missing.json: no such digest file. Check the path and try again.');
      expect(lines[3]).toBe('2 of 3 files are bad');
      expect(r.stdout).not.toMatch(/\n\s+at /);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a --now that is not a date', async () => {
    const r = await run(['docs/examples/sample-digest.json', '--now', 'soon']);
    expect(r).toEqual({ code: 2, stdout: '', stderr: 'paperboy: --now soon: not a date. Write it like 2026-03-14.\n' });
  });
});
