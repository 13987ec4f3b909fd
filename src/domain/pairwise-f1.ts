// Pairwise precision/recall/F1 of a clustering against labels: how we measure topic grouping.
// Counted from contingency tables (n choose 2 per cell), so it is O(n) rather than O(n^2) pairs.

export interface PairwiseScore {
  precision: number;
  recall: number;
  f1: number;
  /** Number of items scored. */
  n: number;
  /** Pairs together in both / in the prediction / in the truth. */
  pairsBoth: number;
  pairsPredicted: number;
  pairsTrue: number;
}

const pairs = (k: number) => (k * (k - 1)) / 2;

function countBy<T>(items: readonly T[], key: (x: T) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const x of items) m.set(key(x), (m.get(key(x)) ?? 0) + 1);
  return m;
}

/**
 * `items` pair each item's predicted cluster with its true label. Precision = pairs together in both /
 * pairs together in the prediction; recall = pairs together in both / pairs together in the truth.
 * A ratio with no pairs underneath is 0 (so is F1 when both are 0).
 */
export function pairwiseF1(items: readonly { predicted: string; truth: string }[]): PairwiseScore {
  const sum = (m: Map<string, number>) => [...m.values()].reduce((acc, k) => acc + pairs(k), 0);
  const pairsPredicted = sum(countBy(items, (x) => x.predicted));
  const pairsTrue = sum(countBy(items, (x) => x.truth));
  // JSON of the tuple: no separator can make two different (predicted, truth) keys equal.
  const pairsBoth = sum(countBy(items, (x) => JSON.stringify([x.predicted, x.truth])));
  const precision = pairsPredicted ? pairsBoth / pairsPredicted : 0;
  const recall = pairsTrue ? pairsBoth / pairsTrue : 0;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1, n: items.length, pairsBoth, pairsPredicted, pairsTrue };
}
