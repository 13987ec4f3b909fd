import { describe, expect, it } from 'vitest';
import { idfOf, tfidfVector } from './tfidf.js';

const vocabulary = { index: new Map([['a', 0], ['b', 1]]), idf: [1, 2] };

describe('tfidfVector', () => {
  it('weighs (1 + ln tf) x idf, scaled to unit length, and skips unknown terms', () => {
    const v = tfidfVector(new Map([['a', 1], ['b', Math.E], ['zzz', 5]]), vocabulary);
    expect(v.indices).toEqual([0, 1]);
    const raw = [1, 2 * 2];
    const norm = Math.hypot(...raw);
    expect(v.values[0]).toBeCloseTo(raw[0]! / norm, 12);
    expect(v.values[1]).toBeCloseTo(raw[1]! / norm, 12);
  });

  it('is empty for a paper with no known term', () => {
    expect(tfidfVector(new Map([['q', 2]]), vocabulary)).toEqual({ indices: [], values: [] });
  });

  it('smooths idf: rarer terms weigh more, a term in every document still counts', () => {
    expect(idfOf(1, 100)).toBeGreaterThan(idfOf(50, 100));
    expect(idfOf(100, 100)).toBeCloseTo(1, 12);
  });
});
