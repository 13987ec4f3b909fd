// Grouping input nobody would write but anyone can drop in the digests folder: one huge word used
// to cost minutes (the stemmer backtracks quadratically in the length of a word). The figures are
// printed by scripts/bench-hostile.ts; here it must simply finish, within the test's time limit.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Digest } from './digest.js';
import { groupByTopic } from './group-by-topic.js';
import { TaxonomySchema } from './taxonomy.js';

const taxonomy = TaxonomySchema.parse(JSON.parse(readFileSync(new URL('../../templates/topics.json', import.meta.url), 'utf8')));
const MB = 1024 * 1024;

const digest = (title: string, abstract = ''): Digest => ({
  date: '2026-03-14',
  source: 'paperboy-json',
  papers: [
    { id: 'huge', title, abstract, authors: [], keywords: [], categories: [] },
    { id: 'plain', title: 'Robot grasping with tactile sensing', abstract: '', authors: [], keywords: [], categories: [] },
  ],
});

describe('groupByTopic on hostile text', () => {
  it.each([
    ['a one-megabyte one-word title', digest('a'.repeat(MB))],
    ['a one-megabyte word with a suffix the stemmer strips', digest(`${'ab'.repeat(MB / 2)}izations`)],
    ['a one-megabyte abbreviation', digest('a.'.repeat(MB / 2))],
    ['a one-megabyte word of accented letters', digest('é'.repeat(MB))],
  ])('groups %s, and the other papers as usual', (_, d) => {
    const issue = groupByTopic(d, taxonomy);
    const plain = issue.sections.find((s) => s.papers.some((p) => p.id === 'plain'));
    expect(plain?.topic.id).toBe(groupByTopic({ ...d, papers: [d.papers[1]!] }, taxonomy).sections[0]?.topic.id);
    expect(issue.sections.flatMap((s) => s.papers).map((p) => p.id).sort()).toEqual(['huge', 'plain']);
  });
});
