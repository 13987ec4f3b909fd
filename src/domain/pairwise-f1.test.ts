import { describe, expect, it } from 'vitest';
import { pairwiseF1 } from './pairwise-f1.js';

/** Reference: look at every pair (O(n²)). */
function bruteForce(items: { predicted: string; truth: string }[]) {
  let both = 0;
  let pred = 0;
  let truth = 0;
  for (let i = 0; i < items.length; i++) {
    for (let j = i + 1; j < items.length; j++) {
      const p = items[i]!.predicted === items[j]!.predicted;
      const t = items[i]!.truth === items[j]!.truth;
      if (p) pred++;
      if (t) truth++;
      if (p && t) both++;
    }
  }
  return { both, pred, truth };
}

const items = (pairs: string) => pairs.split(' ').map((x) => ({ predicted: x[0]!, truth: x[1]! }));

describe('pairwiseF1', () => {
  it('scores a perfect grouping 1 whatever the cluster names', () => {
    expect(pairwiseF1(items('xa xa yb yb yb')).f1).toBe(1);
  });

  it('computes precision and recall from pair counts (hand-checked example)', () => {
    // truth a={1,2,3}, b={4,5}; predicted x={1,2}, y={3,4,5}.
    // truth pairs 3+1=4; predicted pairs 1+3=4; together in both: (1,2),(4,5) = 2.
    const s = pairwiseF1(items('xa xa ya yb yb'));
    expect(s).toMatchObject({ pairsTrue: 4, pairsPredicted: 4, pairsBoth: 2, n: 5 });
    expect(s.precision).toBeCloseTo(0.5);
    expect(s.recall).toBeCloseTo(0.5);
    expect(s.f1).toBeCloseTo(0.5);
  });

  it('one big section has full recall and low precision', () => {
    const s = pairwiseF1(items('za za zb zb zc zc'));
    expect(s.recall).toBe(1);
    expect(s.precision).toBeCloseTo(3 / 15);
  });

  it('all singletons score 0 without dividing by zero', () => {
    const s = pairwiseF1(items('xa yb zc'));
    expect(s).toMatchObject({ precision: 0, recall: 0, f1: 0, n: 3 });
  });

  it('agrees with counting every pair', () => {
    let seed = 7;
    const rnd = (k: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return 'pqrstu'[seed % k]!;
    };
    const data = Array.from({ length: 200 }, () => ({ predicted: rnd(6), truth: rnd(4) }));
    const s = pairwiseF1(data);
    const ref = bruteForce(data);
    expect([s.pairsBoth, s.pairsPredicted, s.pairsTrue]).toEqual([ref.both, ref.pred, ref.truth]);
  });

  it('does not confuse cluster names that could collide when joined', () => {
    const s = pairwiseF1([
      { predicted: 'a|b', truth: 'c' },
      { predicted: 'a', truth: 'b|c' },
    ]);
    expect(s.pairsBoth).toBe(0);
  });
});
