// The rule that joins the field model and the keywords (decision 011), with a hand-made model.
import { describe, expect, it } from 'vitest';
import type { Paper } from './digest.js';
import type { FieldModel } from './field-model/model.js';
import { TaxonomySchema, type Taxonomy } from './taxonomy.js';
import { classifyPaper, compileTaxonomy, DEFAULT_SCORING } from './topic-scores.js';

// Each class has one word that names it: a paper with only that word is that class at ~0.99.
const CLASS_WORDS: [string, string, string[]][] = [
  ['vision', 'pixel', ['cs.CV']],
  ['language', 'token', ['cs.CL']],
  ['life-sciences', 'protein', ['q-bio.']],
  ['broad', 'gradient', []],
];
const model: FieldModel = {
  classes: CLASS_WORDS.map(([id, , categories]) => ({ id, categories })),
  vocabulary: { index: new Map(CLASS_WORDS.map(([, word], i) => [word, i])), idf: CLASS_WORDS.map(() => 1) },
  weights: Float64Array.from(CLASS_WORDS.flatMap((_, f) => CLASS_WORDS.map((__, c) => (f === c ? 6 : 0)))),
  bias: CLASS_WORDS.map(() => 0),
  about: {},
};

const topics = [
  { id: 'vision', name: 'Vision', description: 'Images', keywords: { image: 1, 'object detection': 3 }, categories: ['cs.CV'] },
  { id: 'video', name: 'Video', description: 'Moving images', keywords: { video: 3 }, categories: ['cs.CV'] },
  { id: 'language', name: 'Language', description: 'Text', keywords: { 'language model': 2, translation: 2 }, categories: ['cs.CL'] },
  { id: 'optim', name: 'Optimisation', description: 'Training', keywords: { 'gradient descent': 3 } },
];
const withModel: Taxonomy = { ...TaxonomySchema.parse({ topics }), fieldModel: model };
const tax = compileTaxonomy(withModel);

let n = 0;
const paper = (title: string, abstract = '', extra: Partial<Paper> = {}): Paper => ({
  id: `p${++n}`, title, abstract, authors: [], keywords: [], categories: [], ...extra,
});
const classify = (p: Paper, t = tax) => classifyPaper(p, t);

describe('classifyPaper with a field model', () => {
  it('maps each topic to the fields its categories name; topics without one have none', () => {
    expect(tax.topicFields).toEqual([[0], [0], [1], []]);
    expect(tax.fieldTopics).toEqual([[0, 1], [2], [], []]);
  });

  it('a confident field wins over keywords of another field', () => {
    const c = classify(paper('Language model tricks', 'pixel pixel, one image.'));
    expect(c.scores[2]).toBeGreaterThan(c.scores[0]!);
    expect(c).toMatchObject({ primary: 'vision', decision: 'model', field: 'vision' });
    expect(c.fields[0]).toMatchObject({ id: 'vision' });
    expect(c.fields[0]!.probability).toBeGreaterThan(0.95);
    // The language keywords keep it for language subscribers.
    expect(c.topics).toEqual(['vision', 'language']);
  });

  it('the keywords choose among the topics of the field', () => {
    expect(classify(paper('Video of pixels', 'pixel video')).primary).toBe('video');
    expect(classify(paper('Pixels in an image', 'pixel')).primary).toBe('vision');
  });

  it('a confident field with no keyword hit still gets its first topic, not Other', () => {
    expect(classify(paper('Pixels', 'pixel pixel'))).toMatchObject({ primary: 'vision', decision: 'model' });
  });

  it('a topic without a field is served by its keywords when the model says broad', () => {
    expect(classify(paper('Gradient descent', 'gradient'))).toMatchObject({ primary: 'optim', decision: 'keywords' });
  });

  it('Other when no keyword reaches minScore and the model is sure of no field', () => {
    expect(classify(paper('Gradients', 'gradient gradient'))).toMatchObject({ primary: 'other', decision: 'other' });
    expect(classify(paper('Proteins', 'protein'))).toMatchObject({ primary: 'other' }); // its field has no topic here
  });

  it('adds the best topic of another field the model finds likely as a secondary topic', () => {
    const c = classify(paper('Pixels and tokens', 'pixel token'));
    expect(c.fields.slice(0, 2).map((f) => f.id).sort()).toEqual(['language', 'vision']);
    expect(c.topics).toHaveLength(2);
    expect(c.topics).toEqual(expect.arrayContaining(['vision', 'language']));
  });

  it('the primary arXiv category, when the digest has one, names the field', () => {
    const c = classify(paper('Video tokens', 'token token video', { categories: ['cs.CV', 'cs.CL'] }));
    expect(c).toMatchObject({ primary: 'video', decision: 'category', field: 'vision' });
  });

  it('a primary category that names no field (cs.LG) means broad ML: the keywords decide, whatever the model says', () => {
    const p = paper('Gradient descent on pixels', 'pixel pixel pixel', { categories: ['cs.LG', 'cs.CV'] });
    expect(classify({ ...p, categories: [] })).toMatchObject({ primary: 'vision', decision: 'model' });
    const c = classify(p);
    expect(c).toMatchObject({ primary: 'optim', decision: 'category', fields: [{ id: 'broad', probability: 1 }, expect.anything(), expect.anything(), expect.anything()] });
    expect(c.field).toBeUndefined();
  });

  it('fieldWeight 0 is keywords alone', () => {
    const keywordsOnly = compileTaxonomy({ ...withModel, scoring: { fieldWeight: 0 } });
    expect(classify(paper('Language model tricks', 'pixel pixel, one image.'), keywordsOnly).primary).toBe('language');
    expect(DEFAULT_SCORING.fieldWeight).toBeGreaterThan(0.5);
  });
});

describe('a taxonomy whose topics name no field', () => {
  const plain = TaxonomySchema.parse({ topics: topics.map(({ categories: _c, ...t }) => t) });
  const compiled = compileTaxonomy({ ...plain, fieldModel: model });

  it('ignores the model and groups by keywords, exactly as without one', () => {
    expect(compiled.model).toBeUndefined();
    const papers = [paper('Language model tricks', 'pixel pixel, one image.'), paper('Pixels', 'pixel'), paper('Video', 'a video')];
    for (const p of papers) expect(classifyPaper(p, compiled)).toEqual(classifyPaper(p, compileTaxonomy(plain)));
    expect(classifyPaper(papers[0]!, compiled)).toMatchObject({ primary: 'language', decision: 'keywords', fields: [] });
    expect(classifyPaper(papers[1]!, compiled).primary).toBe('other');
  });
});
