import { describe, expect, it } from 'vitest';
import { fieldProbabilities } from './model.js';
import { buildVocabulary, fitFieldModel, minimizeLbfgs, trainSoftmax } from './train.js';

const docs = (terms: string[][]) => terms.map((list) => new Map(list.map((t) => [t, 1])));
const classes = [
  { id: 'vision', categories: ['cs.CV'] },
  { id: 'language', categories: ['cs.CL'] },
  { id: 'broad', categories: [] },
];
// Each class has its own words; "model" is everywhere.
const training = docs([
  ['imag', 'pixel', 'model'],
  ['imag', 'segment'],
  ['pixel', 'segment', 'model'],
  ['token', 'translat', 'model'],
  ['token', 'parser'],
  ['translat', 'parser', 'model'],
  ['gradient', 'loss', 'model'],
  ['gradient', 'optim'],
  ['loss', 'optim', 'model'],
]);
const labels = [0, 0, 0, 1, 1, 1, 2, 2, 2];
const opts = { maxTerms: 100, minDocuments: 1, l2: 1e-3, maxIterations: 200, classWeightPower: 0 };

describe('minimizeLbfgs', () => {
  it('finds the minimum of a convex quadratic', () => {
    const target = [3, -1, 0.5, 10];
    const { x } = minimizeLbfgs((v, g) => {
      let f = 0;
      for (let i = 0; i < v.length; i++) {
        const d = v[i]! - target[i]!;
        f += (i + 1) * d * d;
        g[i] = 2 * (i + 1) * d;
      }
      return f;
    }, new Float64Array(4), 100, 1e-9);
    for (let i = 0; i < 4; i++) expect(x[i]).toBeCloseTo(target[i]!, 6);
  });
});

describe('buildVocabulary', () => {
  it('keeps the most frequent terms (ties alphabetical) seen in at least minDocuments', () => {
    const { terms } = buildVocabulary(docs([['b', 'a', 'c'], ['a', 'b'], ['a']]), { maxTerms: 2, minDocuments: 2 });
    expect(terms).toEqual(['a', 'b']);
  });
});

describe('fitFieldModel', () => {
  const { model } = fitFieldModel(training, labels, classes, opts);
  const best = (terms: string[]) => {
    const p = fieldProbabilities(model, new Map(terms.map((t) => [t, 1])));
    return classes[p.indexOf(Math.max(...p))]!.id;
  };

  it('learns each class from its words, and probabilities sum to 1', () => {
    expect(best(['pixel', 'segment'])).toBe('vision');
    expect(best(['parser', 'token', 'model'])).toBe('language');
    expect(best(['optim'])).toBe('broad');
    const p = fieldProbabilities(model, new Map([['imag', 1]]));
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('is deterministic: the same papers give the same weights', () => {
    expect(Array.from(fitFieldModel(training, labels, classes, opts).model.weights)).toEqual(Array.from(model.weights));
  });

  it('class weights favour a thin class', () => {
    // One vision paper against many language ones; a shared word leans to the majority unless weighted.
    const thin = docs([['imag', 'share'], ['token', 'share'], ['token', 'share'], ['token', 'share'], ['token', 'share'], ['token']]);
    const y = [0, 1, 1, 1, 1, 1];
    const pOf = (power: number) => fieldProbabilities(fitFieldModel(thin, y, classes.slice(0, 2), { ...opts, classWeightPower: power }).model, new Map([['share', 1]]))[0]!;
    expect(pOf(1)).toBeGreaterThan(pOf(0));
  });
});

describe('trainSoftmax', () => {
  it('reaches a lower loss with a weaker L2 penalty', () => {
    const { vocabulary, terms } = buildVocabulary(training, { maxTerms: 100, minDocuments: 1 });
    const rows = training.map((d) => ({ indices: [...d.keys()].map((t) => vocabulary.index.get(t)!), values: [...d.keys()].map(() => 0.5) }));
    const strong = trainSoftmax(rows, labels, terms.length, 3, { l2: 1e-1, maxIterations: 200 });
    const weak = trainSoftmax(rows, labels, terms.length, 3, { l2: 1e-4, maxIterations: 200 });
    expect(weak.loss).toBeLessThan(strong.loss);
  });
});
