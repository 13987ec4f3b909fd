import { describe, expect, it } from 'vitest';
import type { Issue } from './issue.js';
import { effectiveTopics, planVariants } from './plan-sends.js';
import { variantKey } from './render/index.js';

function paper(id: string, primary: string, secondary: string[] = []) {
  return { id, title: `Paper ${id}`, abstract: '', authors: [], keywords: [], categories: [], primaryTopic: primary, topics: [primary, ...secondary] };
}
const topic = (id: string) => ({ id, name: id, description: id });

const issue: Issue = {
  id: '2026-03-14-abcdef12',
  date: '2026-03-14',
  source: 'paperboy-json',
  sections: [
    { topic: topic('nlp'), papers: [paper('1', 'nlp', ['vision'])] },
    { topic: topic('robotics'), papers: [paper('2', 'robotics')] },
  ],
};

const describeAll = (topics: string[] | null) => ({ subject: `Papers for ${topics ? topics.join('+') : 'all'}`, paperCount: 1 });

describe('planVariants', () => {
  it('gives each topic set the variant of its topics that occur in the issue', () => {
    const plan = planVariants(
      issue,
      [
        { topics: [], count: 4 },
        { topics: ['astro', 'nlp'], count: 2 },
        { topics: ['nlp'], count: 3 },
        { topics: ['vision'], count: 1 },
      ],
      describeAll,
    );
    // "astro" is in no paper of this issue, so both nlp sets share one rendering; a secondary topic counts.
    expect(plan.variants.map((v) => [v.key, v.recipients, v.topicSets])).toEqual([
      [variantKey(null), 4, [[]]],
      [variantKey(['nlp']), 5, [['astro', 'nlp'], ['nlp']]],
      [variantKey(['vision']), 1, [['vision']]],
    ]);
    expect(plan.variants[1]).toMatchObject({ topics: ['nlp'], subject: 'Papers for nlp', paperCount: 1 });
    expect(plan.recipients).toBe(10);
    expect(plan.noPapers).toBe(0);
  });

  it('counts topic sets with nothing in the issue, or whose variant would be empty, as no-papers', () => {
    const plan = planVariants(
      issue,
      [
        { topics: ['astro'], count: 2 },
        { topics: ['robotics'], count: 3 },
        { topics: ['nlp'], count: 1 },
      ],
      (t) => (t?.includes('robotics') ? null : describeAll(t)),
    );
    expect(plan.variants.map((v) => v.key)).toEqual([variantKey(['nlp'])]);
    expect(plan.noPapers).toBe(5);
    expect(plan.recipients).toBe(1);
  });

  it('effectiveTopics: null for everything, sorted and de-duplicated otherwise', () => {
    const present = new Set(['a', 'b', 'c']);
    expect(effectiveTopics({ topics: [] }, present)).toBeNull();
    expect(effectiveTopics({ topics: ['c', 'a', 'c', 'z'] }, present)).toEqual(['a', 'c']);
    expect(effectiveTopics({ topics: ['z'] }, present)).toEqual([]);
  });
});
