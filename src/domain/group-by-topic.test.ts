import { describe, expect, it } from 'vitest';
import type { Digest, Paper } from './digest.js';
import { groupByTopic, placePapers } from './group-by-topic.js';
import { issueIdFor } from './issue-id.js';
import { OTHER_TOPIC_ID, TaxonomySchema, type Taxonomy } from './taxonomy.js';
import { dropBoilerplate } from './boilerplate.js';
import { classifyPaper, compileTaxonomy } from './topic-scores.js';

const taxonomy: Taxonomy = TaxonomySchema.parse({
  topics: [
    { id: 'language', name: 'Language', description: 'Text', keywords: { 'language model': 2, translation: 2 }, categories: ['cs.CL'] },
    { id: 'vision', name: 'Vision', description: 'Images', keywords: { image: 1, 'object detection': 3 }, categories: ['cs.CV'] },
    { id: 'robotics', name: 'Robotics', description: 'Robots', keywords: { robot: 3, manipulation: 2 }, categories: ['cs.RO'] },
    { id: 'code', name: 'Code', description: 'Software', keywords: { 'source code': 3, 'unit test': 3 } },
    { id: 'bio', name: 'Biology', description: 'Life', keywords: { protein: 3 }, categories: ['q-bio.'] },
  ],
});

let n = 0;
function paper(title: string, abstract = '', extra: Partial<Paper> = {}): Paper {
  n += 1;
  return { id: `2603.${String(n).padStart(5, '0')}`, title, abstract, authors: [], keywords: [], categories: [], ...extra };
}
const digest = (papers: Paper[]): Digest => ({ date: '2026-03-14', source: 'paperboy-json', papers });

const sectionIds = (d: Digest) => groupByTopic(d, taxonomy).sections.map((s) => s.topic.id);
const idsIn = (d: Digest, topic: string) =>
  groupByTopic(d, taxonomy).sections.find((s) => s.topic.id === topic)?.papers.map((p) => p.id) ?? [];

describe('groupByTopic', () => {
  const papers = [
    paper('Robots that grasp', 'A robot learns manipulation.', { upvotes: 3 }),
    paper('Translation with language models', 'We study translation.', { upvotes: 10 }),
    paper('On the weather in Paris', 'Nothing here matches any topic.'),
    paper('Object detection in images', 'Image object detection.', { upvotes: 5 }),
    paper('Robot manipulation at scale', 'Robots again.', { upvotes: 30 }),
    paper('Protein folding', 'Protein structure.'),
  ];
  const d = digest(papers);
  const issue = groupByTopic(d, taxonomy);

  it('puts every paper in exactly one section', () => {
    const placed = issue.sections.flatMap((s) => s.papers.map((p) => p.id));
    expect(placed.sort()).toEqual(papers.map((p) => p.id).sort());
  });

  it('orders sections by taxonomy, leaves out empty ones, and puts Other last', () => {
    expect(issue.sections.map((s) => s.topic.id)).toEqual(['language', 'vision', 'robotics', 'bio', OTHER_TOPIC_ID]);
    expect(issue.sections.at(-1)!.topic).toMatchObject({ id: 'other', name: 'Other' });
  });

  it('sorts a section by upvotes (desc), then input order', () => {
    expect(idsIn(d, 'robotics')).toEqual([papers[4]!.id, papers[0]!.id]);
    const tied = digest([paper('robot one'), paper('robot two', '', { upvotes: 1 }), paper('robot three'), paper('robot four', '', { upvotes: 1 })]);
    const [one, two, three, four] = tied.papers;
    expect(idsIn(tied, 'robotics')).toEqual([two!.id, four!.id, one!.id, three!.id]);
  });

  it('marks each paper with its primary topic first in its topics', () => {
    for (const s of issue.sections) {
      for (const p of s.papers) {
        expect(p.primaryTopic).toBe(s.topic.id);
        expect(p.topics[0]).toBe(s.topic.id);
      }
    }
  });

  it('is deterministic: same input, same issue', () => {
    expect(groupByTopic(structuredClone(d), taxonomy)).toEqual(issue);
  });

  it('carries date, title, source and the content-addressed id', () => {
    const titled = { ...d, title: 'Trending' };
    expect(groupByTopic(titled, taxonomy)).toMatchObject({ id: issueIdFor(d), date: '2026-03-14', title: 'Trending', source: 'paperboy-json' });
    expect(issue).not.toHaveProperty('title');
  });

  it('breaks score ties by taxonomy order', () => {
    // "object detection" (3) and "robot" (3) in one title: equal scores, and vision comes first.
    const tie = paper('Object detection robot');
    const scores = classifyPaper(tie, compileTaxonomy(taxonomy)).scores;
    expect(scores[1]).toBe(scores[2]);
    expect(sectionIds(digest([tie]))).toEqual(['vision']);
    const reordered = TaxonomySchema.parse({ topics: [taxonomy.topics[2], taxonomy.topics[1]] });
    expect(groupByTopic(digest([tie]), reordered).sections.map((s) => s.topic.id)).toEqual(['robotics']);
  });

  it('adds secondary topics that score close to the best, for subscriber filtering', () => {
    const both = paper('Robots with language models', 'Language model plans for a robot.');
    const [section] = groupByTopic(digest([both]), taxonomy).sections;
    expect(section!.topic.id).toBe('robotics');
    expect(section!.papers[0]!.topics).toEqual(['robotics', 'language']);
    const weak = paper('Robot manipulation', 'A robot and a robot, with one image.');
    expect(groupByTopic(digest([weak]), taxonomy).sections[0]!.papers[0]!.topics).toEqual(['robotics']);
  });

  it('uses keywords and arXiv categories when the digest has them', () => {
    const plain = paper('A study', 'We study things.');
    expect(sectionIds(digest([plain]))).toEqual(['other']);
    expect(sectionIds(digest([{ ...plain, keywords: ['protein'] }]))).toEqual(['bio']);
    expect(sectionIds(digest([{ ...plain, categories: ['q-bio.BM'] }]))).toEqual(['bio']);
    expect(sectionIds(digest([{ ...plain, categories: ['cs.RO', 'cs.CL'] }]))).toEqual(['robotics']);
    expect(sectionIds(digest([{ ...plain, categories: ['cs.LG'] }]))).toEqual(['other']);
  });

  it('weights the title above the abstract', () => {
    const p = paper('Object detection', 'We use a robot.');
    expect(sectionIds(digest([p]))).toEqual(['vision']);
  });

  it('ignores "code is available" sentences', () => {
    const p = paper('A study of images', 'We look at an image. Source code is available at https://github.com/x/y.');
    expect(sectionIds(digest([p]))).toEqual(['vision']);
    expect(dropBoilerplate('One. Our code will be publicly released. Two.')).toBe('One. Two.');
  });

  it('applies a topic weight (method topics yield to fields)', () => {
    const heavy = TaxonomySchema.parse({
      topics: taxonomy.topics.map((t) => (t.id === 'vision' ? { ...t, weight: 0.1 } : t)),
    });
    const p = paper('Object detection for a robot');
    expect(groupByTopic(digest([p]), heavy).sections[0]!.topic.id).toBe('robotics');
  });
});

describe('balancing sections (maxSectionShare of a digest of balanceMinPapers or more)', () => {
  const mixed = (k: number) => paper(`Robots with language models ${k}`, 'Language model plans for a robot.');
  const robotOnly = (k: number) => paper(`Robot manipulation ${k}`, 'A robot.');
  const sizes = (d: Digest) => Object.fromEntries(groupByTopic(d, taxonomy).sections.map((s) => [s.topic.id, s.papers.length]));

  it('moves papers that fit a secondary topic out of a section above 40% of 30+ papers', () => {
    const d = digest([...Array.from({ length: 10 }, (_, k) => robotOnly(k)), ...Array.from({ length: 14 }, (_, k) => mixed(k)), ...Array.from({ length: 6 }, (_, k) => paper(`Protein folding ${k}`, 'Protein.'))]);
    expect(sizes(d)).toEqual({ robotics: 12, language: 12, bio: 6 });
    const moved = placePapers(d, taxonomy).filter((p) => p.movedFrom);
    expect(moved).toHaveLength(12);
    for (const p of moved) {
      expect(p).toMatchObject({ movedFrom: 'robotics', primary: 'language' });
      expect(p.topics).toEqual(['language', 'robotics']);
      expect(p.paper.title).toMatch(/^Robots with language models/);
    }
  });

  it('leaves a digest that really is one field in one section', () => {
    const d = digest(Array.from({ length: 30 }, (_, k) => robotOnly(k)));
    expect(sizes(d)).toEqual({ robotics: 30 });
  });

  it('leaves digests under 30 papers as classified', () => {
    const d = digest([...Array.from({ length: 5 }, (_, k) => robotOnly(k)), ...Array.from({ length: 20 }, (_, k) => mixed(k))]);
    expect(sizes(d)).toEqual({ robotics: 25 });
    const custom = TaxonomySchema.parse({ ...taxonomy, scoring: { balanceMinPapers: 10, maxSectionShare: 0.5 } });
    expect(Object.fromEntries(groupByTopic(d, custom).sections.map((s) => [s.topic.id, s.papers.length]))).toEqual({ language: 12, robotics: 13 });
  });
});

describe('issueIdFor', () => {
  const d = digest([paper('A', 'x'), paper('B', 'y')]);

  it('is the date plus 8 hex characters, stable across calls and abstracts', () => {
    expect(issueIdFor(d)).toMatch(/^2026-03-14-[0-9a-f]{8}$/);
    expect(issueIdFor(structuredClone(d))).toBe(issueIdFor(d));
    expect(issueIdFor({ ...d, papers: d.papers.map((p) => ({ ...p, abstract: 'changed', upvotes: 99 })) })).toBe(issueIdFor(d));
  });

  it('changes with paper ids, titles, order or date', () => {
    const id = issueIdFor(d);
    expect(issueIdFor({ ...d, date: '2026-03-15' })).not.toBe(id);
    expect(issueIdFor({ ...d, papers: [...d.papers].reverse() })).not.toBe(id);
    expect(issueIdFor({ ...d, papers: [{ ...d.papers[0]!, title: 'A!' }, d.papers[1]!] })).not.toBe(id);
    expect(issueIdFor({ ...d, papers: [d.papers[0]!] })).not.toBe(id);
  });
});
