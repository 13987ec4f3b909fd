// groupByTopic with the default taxonomy and its field model on the real digests in
// ../shared/data/digests, and with a taxonomy whose topics name no field (keywords alone).
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readDigestFile } from '../../src/adapters/digest-file.js';
import { loadTaxonomy } from '../../src/adapters/taxonomy-file.js';
import { groupByTopic } from '../../src/domain/group-by-topic.js';
import { OTHER_TOPIC_ID, TaxonomySchema } from '../../src/domain/taxonomy.js';
import type { Issue } from '../../src/domain/issue.js';

const DIGESTS = '../shared/data/digests';
const NOW = new Date('2026-03-20T12:00:00Z');
const files = (await readdir(DIGESTS)).filter((f) => !f.startsWith('.')).sort();
const taxonomy = await loadTaxonomy('templates/topics.json');
const read = (file: string) => readDigestFile(join(DIGESTS, file), NOW);
const otherShare = (issue: Issue, n: number) => (issue.sections.find((s) => s.topic.id === OTHER_TOPIC_ID)?.papers.length ?? 0) / n;

describe('grouping the real digests', () => {
  it('finds the trending page, the HF daily files and the arXiv feeds, and loads the shipped field model', () => {
    expect(files).toContain('hf-trending-page-mar-14.txt');
    expect(files.filter((f) => f.startsWith('hf-daily-')).length).toBeGreaterThanOrEqual(4);
    expect(files.filter((f) => f.endsWith('.atom.xml')).length).toBeGreaterThanOrEqual(2);
    expect(taxonomy.fieldModel?.classes.map((c) => c.id)).toContain('broad');
  });

  it.each(files)('%s: every paper once, Other at most 10 percent and last, no section above 40 percent of 30+ papers', async (file) => {
    const digest = await read(file);
    const issue = groupByTopic(digest, taxonomy);
    const n = digest.papers.length;

    const placed = issue.sections.flatMap((s) => s.papers.map((p) => p.id));
    expect(placed.length).toBe(n);
    expect(new Set(placed)).toEqual(new Set(digest.papers.map((p) => p.id)));

    expect(otherShare(issue, n)).toBeLessThanOrEqual(0.1);
    const other = issue.sections.find((s) => s.topic.id === OTHER_TOPIC_ID);
    if (other) expect(issue.sections.at(-1)).toBe(other);
    if (n >= 30) {
      expect(Math.max(...issue.sections.map((s) => s.papers.length))).toBeLessThanOrEqual(Math.floor(n * 0.4));
      expect(issue.sections.length).toBeGreaterThanOrEqual(8);
    }
    for (const s of issue.sections) for (const p of s.papers) expect(p.topics[0]).toBe(s.topic.id);

    expect(groupByTopic(await read(file), taxonomy)).toEqual(issue);
  });

  it('the trending page (62 papers, mostly ML) reads as a newsletter: at least 10 sections, the method topics kept', async () => {
    const issue = groupByTopic(await read('hf-trending-page-mar-14.txt'), taxonomy);
    expect(issue.sections.length).toBeGreaterThanOrEqual(10);
    const ids = issue.sections.map((s) => s.topic.id);
    expect(ids).toEqual(expect.arrayContaining(['foundations', 'generative', 'graphs']));
  });

  it('an arXiv feed of one field stays in its section (the primary category names the field)', async () => {
    const issue = groupByTopic(await read('arxiv-query-cs-ro-2025-10-17.atom.xml'), taxonomy);
    expect(issue.sections.map((s) => s.topic.id)).toEqual(['robotics']);
  });
});

// The shipped topics with their categories taken out, as a user's own file might be.
const plainDir = await mkdtemp(join(tmpdir(), 'paperboy-plain-'));
afterAll(() => rm(plainDir, { recursive: true, force: true }));
const shipped = JSON.parse(await readFile('templates/topics.json', 'utf8')) as { topics: Record<string, unknown>[] };
await writeFile(join(plainDir, 'topics.json'), JSON.stringify({ topics: shipped.topics.map(({ categories: _c, ...t }) => t) }));
const plain = await loadTaxonomy(join(plainDir, 'topics.json'));

describe('a user taxonomy whose topics name no field (keywords alone)', () => {
  it('still loads the model, which then sits out', () => {
    expect(plain.fieldModel).toBeDefined();
    expect(plain.topics.every((t) => t.categories.length === 0)).toBe(true);
  });

  it.each(files.filter((f) => f.startsWith('hf-')))('%s: groups every paper by keywords, as a taxonomy without a model does', async (file) => {
    const digest = await read(file);
    const issue = groupByTopic(digest, plain);
    expect(issue.sections.flatMap((s) => s.papers).length).toBe(digest.papers.length);
    expect(otherShare(issue, digest.papers.length)).toBeLessThanOrEqual(0.15);
    const withoutModel = TaxonomySchema.parse({ topics: plain.topics });
    expect(groupByTopic(digest, withoutModel)).toEqual(issue);
  });
});
