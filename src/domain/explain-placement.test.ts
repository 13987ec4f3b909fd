import { describe, expect, it } from 'vitest';
import type { Digest } from './digest.js';
import { explainPlacement, explanationLines } from './explain-placement.js';
import type { FieldModel } from './field-model/model.js';
import { placePapers } from './group-by-topic.js';
import { TaxonomySchema, type Taxonomy } from './taxonomy.js';

const model: FieldModel = {
  classes: [{ id: 'vision', categories: ['cs.CV'] }, { id: 'broad', categories: [] }],
  vocabulary: { index: new Map([['pixel', 0], ['gradient', 1]]), idf: [1, 1] },
  weights: [5, 0, 0, 5],
  bias: [0, 0],
  about: {},
};
const taxonomy: Taxonomy = {
  ...TaxonomySchema.parse({
    topics: [
      { id: 'vision', name: 'Vision', description: 'Images', keywords: { image: 2, 'object detection': 3 }, categories: ['cs.CV'] },
      { id: 'optim', name: 'Optimisation', description: 'Training', keywords: { 'gradient descent': 3 } },
    ],
  }),
  fieldModel: model,
};
const digest = (title: string, abstract: string): Digest => ({
  date: '2026-03-14',
  source: 'paperboy-json',
  papers: [{ id: 'p1', title, abstract, authors: [], keywords: [], categories: [] }],
});
const explain = (title: string, abstract: string) => {
  const [p] = placePapers(digest(title, abstract), taxonomy, { hits: true });
  return explainPlacement(p!, taxonomy);
};

describe('explainPlacement', () => {
  it('gives the model\'s fields, the deciding field and each topic\'s phrases with their points', () => {
    const e = explain('Object detection', 'pixel pixel image');
    expect(e).toMatchObject({ decision: 'model', field: 'vision' });
    expect(e.fields[0]!.id).toBe('vision');
    expect(e.topics[0]).toMatchObject({ topic: 'vision', keywords: 8, hits: [{ phrase: 'object detection', points: 6 }, { phrase: 'image', points: 2 }] });
    const lines = explanationLines(e, taxonomy);
    expect(lines[0]).toMatch(/^model: vision 0\.\d\d, broad 0\.\d\d$/);
    expect(lines[1]).toMatch(/^why: the model gives vision 0\.\d\d \(≥ 0\.3\); the keywords chose among its topics$/);
    expect(lines[2]).toMatch(/^ {2}Vision: combined 0\.\d\d, keywords 8\.0 \(object detection 6\.0, image 2\.0\)$/);
    expect(lines.at(-1)).toBe("  (combined = 0.3 × keyword share + 0.7 × probability of the topic's field)");
  });

  it('says when the model sat out because it saw broad ML', () => {
    const e = explain('Gradient descent', 'gradient');
    expect(e).toMatchObject({ decision: 'keywords', topics: [{ topic: 'optim' }] });
    const lines = explanationLines(e, taxonomy);
    expect(lines[1]).toMatch(/^why: the model's best guess is broad ML \(0\.\d\d\), so the keywords decided$/);
    expect(lines.at(-1)).toBe("  (combined = the topic's share of the keyword score)");
  });
});
