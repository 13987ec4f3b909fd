// Digests built to hurt, through `paperboy validate` and `paperboy group` as a person runs them:
// every one is a DIGEST_INVALID line naming the file, where in it, what is wrong and what to do,
// never a stack trace or a hang; each format's field limits name the paper and the file's own field.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIGEST_LIMITS } from '../../src/domain/digest.js';
import { hostileDigests } from '../helpers/hostile-digests.js';
import { REPO_ROOT } from '../helpers/paperboy-process.js';
import { runCli } from '../helpers/run-cli.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'paperboy-hostile-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function validate(name: string, text: string) {
  await writeFile(join(dir, name), text);
  return runCli(['validate', name, '--now', '2026-03-15'], { cwd: dir });
}

/** 0 → a, 25 → z, 26 → ba: category-like names without digits. */
const letters = (i: number): string => (i >= 26 ? letters(Math.floor(i / 26)) : '') + String.fromCharCode(97 + (i % 26));
const paperboy = (paper: Record<string, unknown>) => JSON.stringify({ date: '2026-03-14', papers: [{ id: '2603.00007', title: 'T', abstract: 'A.', ...paper }] });
const hf = (paper: Record<string, unknown>) => JSON.stringify([{ paper: { id: '2603.00008', title: 'T', summary: 'A.', publishedAt: '2026-03-14T00:00:00Z', ...paper } }]);

describe('hostile digests', () => {
  it('each is one "bad" line from validate: file, location, problem, what to do; exit 2, no stack trace', { timeout: 60_000 }, async () => {
    for (const h of hostileDigests()) {
      const r = await validate(h.name, h.text);
      expect(r.code, h.name).toBe(2);
      expect(r.stderr, h.name).toBe('');
      expect(r.stdout, h.name).toMatch(new RegExp(`^bad  ${h.name.replace(/\./g, '\\.')} \\(read as [^)]+\\): (line \\d+|[\\w.[\\]]+): .+\\. [A-Z].+\\n$`));
      expect(r.stdout, h.name).toMatch(h.says);
      expect(r.stdout, h.name).not.toMatch(/\n\s+at /);
    }
  });

  it('XML: an entity declaration never reads a file or expands, and the error has its line and column', async () => {
    const xxe = hostileDigests().find((h) => h.name === 'xxe.atom.xml')!;
    const r = await validate(xxe.name, xxe.text);
    expect(r.stdout).not.toContain('root:');
    expect(r.stdout).toMatch(/: line 2: the file declares a DOCTYPE; .* \(column 1\)\. Remove the <!DOCTYPE …> declaration/);
    const deep = await validate('deep.atom.xml', hostileDigests().find((h) => h.name === 'deep-nesting.atom.xml')!.text);
    expect(deep.stdout).toMatch(/: line 9: elements are nested more than 64 deep \(an Atom feed needs 4\) \(column \d+\)/);
  });

  it('JSON nested a million deep and cut off still gets its line', async () => {
    const r = await validate('deep-cut.json', `{"papers": ${'['.repeat(1_000_000)}`);
    expect(r.stdout).toMatch(/^bad  deep-cut\.json \(read as JSON\): line 1: not valid JSON: .*\(column 1000012\)/);
  });

  it('limits name the paper, in the field names of its own format', async () => {
    const over = (n: number) => n + 1;
    const cases: [string, string, RegExp][] = [
      ['title.json', paperboy({ title: 'x'.repeat(over(DIGEST_LIMITS.title)) }), /papers\[0\]\.title: the title of paper "2603\.00007" is 1,001 characters long, over the limit of 1,000\. Shorten it or leave the paper out/],
      ['authors.json', paperboy({ authors: Array.from({ length: over(DIGEST_LIMITS.authors) }, (_, i) => `A${i}`) }), /papers\[0\]\.authors: paper "2603\.00007" lists 5,001 authors, over the limit of 5,000\. Keep the first 5,000/],
      ['author.json', paperboy({ authors: ['Ann', 'y'.repeat(over(DIGEST_LIMITS.author))] }), /papers\[0\]\.authors\[1\]: an author name of paper "2603\.00007" is 301 characters long/],
      [
        'count.json',
        JSON.stringify({ date: '2026-03-14', papers: Array.from({ length: over(DIGEST_LIMITS.papers) }, (_, i) => ({ id: `p${i}`, title: `T${i}`, abstract: '' })) }),
        /\(read as paperboy JSON\): 5,001 papers, over the limit of 5,000 per digest\. Split it into several digest files/,
      ],
      ['hf-daily-2026-03-14.json', hf({ summary: 'z '.repeat(DIGEST_LIMITS.abstract) }), /\[0\]\.paper\.summary: the abstract of paper "2603\.00008" is 39,999 characters long, over the limit of 20,000/],
      ['hf-kw.json', hf({ ai_keywords: Array.from({ length: over(DIGEST_LIMITS.keywords) }, (_, i) => `k${i}`) }), /\[0\]\.paper\.ai_keywords: paper "2603\.00008" lists 201 keywords/],
      [
        'trend.txt',
        `Trending papers\n\nMar 14, 2026\n\nA title\n\n${'word '.repeat(5000)}\n`,
        /\(read as trending-page text\): line 5: the abstract of paper "t-[0-9a-f]+" is 24,999 characters long, over the limit of 20,000/,
      ],
      [
        'feed.atom.xml',
        `<feed xmlns="http://www.w3.org/2005/Atom"><updated>2026-03-14T00:00:00Z</updated><entry><id>http://arxiv.org/abs/2603.00009v1</id><title>T</title><summary>S</summary>${'<category term="cs.AI"/>'.repeat(1)}${Array.from({ length: over(DIGEST_LIMITS.categories) }, (_, i) => `<category term="cs.${letters(i)}"/>`).join('')}</entry></feed>`,
        /feed\.entry\[0\]\.category: paper "2603\.00009" lists 102 categories, over the limit of 100/,
      ],
    ];
    for (const [name, text, expected] of cases) {
      const r = await validate(name, text);
      expect(r.code, name).toBe(2);
      expect(r.stdout, name).toMatch(expected);
    }
  });

  it('paperboy group takes a 1 MB one-word abstract (within no limit of grouping) and a long real abstract', { timeout: 30_000 }, async () => {
    // Under the abstract limit but one word: grouping never stems words this long (nlp.ts).
    await writeFile(join(dir, 'one-word.json'), paperboy({ title: 'Robot grasping', abstract: 'q'.repeat(DIGEST_LIMITS.abstract) }));
    const r = await runCli(['group', 'one-word.json', '--json', '--taxonomy', join(REPO_ROOT, 'templates/topics.json')], { cwd: dir });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { topics: { id: string; papers: { id: string }[] }[] };
    expect(out.topics.flatMap((t) => t.papers.map((p) => p.id))).toEqual(['2603.00007']);
  });
});
