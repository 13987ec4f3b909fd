// groupByTopic with the default taxonomy on the real digests in ../shared/data/digests.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDigestFile } from '../../src/adapters/digest-file.js';
import { loadTaxonomy } from '../../src/adapters/taxonomy-file.js';
import { groupByTopic } from '../../src/domain/group-by-topic.js';
import { OTHER_TOPIC_ID } from '../../src/domain/taxonomy.js';

const DIGESTS = '../shared/data/digests';
const NOW = new Date('2026-03-20T12:00:00Z');
const files = (await readdir(DIGESTS)).filter((f) => f.startsWith('hf-')).sort();

describe('grouping the real digests', () => {
  it('finds the trending page and the HF daily files', () => {
    expect(files).toContain('hf-trending-page-mar-14.txt');
    expect(files.filter((f) => f.startsWith('hf-daily-')).length).toBeGreaterThanOrEqual(4);
  });

  it.each(files)('%s: every paper once, Other at most 15 percent and last', async (file) => {
    const taxonomy = await loadTaxonomy('templates/topics.json');
    const digest = await readDigestFile(join(DIGESTS, file), NOW);
    const issue = groupByTopic(digest, taxonomy);

    const placed = issue.sections.flatMap((s) => s.papers.map((p) => p.id));
    expect(placed.length).toBe(digest.papers.length);
    expect(new Set(placed)).toEqual(new Set(digest.papers.map((p) => p.id)));

    const other = issue.sections.find((s) => s.topic.id === OTHER_TOPIC_ID);
    expect((other?.papers.length ?? 0) / digest.papers.length).toBeLessThanOrEqual(0.15);
    if (other) expect(issue.sections.at(-1)).toBe(other);
    // A taxonomy that sorted everything into one bucket would pass the Other check; it must not.
    expect(issue.sections.length).toBeGreaterThanOrEqual(Math.min(4, digest.papers.length));
    expect(Math.max(...issue.sections.map((s) => s.papers.length))).toBeLessThan(digest.papers.length * 0.6);

    expect(groupByTopic(await readDigestFile(join(DIGESTS, file), NOW), taxonomy)).toEqual(issue);
  });

  it('the trending page (62 papers, mostly ML) reads as a newsletter: many sections, none above 30 percent', async () => {
    const taxonomy = await loadTaxonomy('templates/topics.json');
    const digest = await readDigestFile(join(DIGESTS, 'hf-trending-page-mar-14.txt'), NOW);
    const sizes = groupByTopic(digest, taxonomy).sections.map((s) => s.papers.length);
    expect(sizes.length).toBeGreaterThanOrEqual(10);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(Math.floor(digest.papers.length * 0.3));
  });
});
