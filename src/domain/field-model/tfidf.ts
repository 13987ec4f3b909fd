// Term counts → a sparse tf-idf vector: (1 + ln tf) × idf per term of the vocabulary, scaled to unit
// length so a long abstract and a short one weigh the same. Training and grouping both go through here.

export interface Vocabulary {
  /** Term → feature index. */
  index: ReadonlyMap<string, number>;
  /** Inverse document frequency per feature index. */
  idf: ArrayLike<number>;
}

export interface SparseVector {
  indices: number[];
  values: number[];
}

export function tfidfVector(counts: ReadonlyMap<string, number>, vocabulary: Vocabulary): SparseVector {
  const indices: number[] = [];
  const values: number[] = [];
  let norm = 0;
  for (const [term, tf] of counts) {
    const i = vocabulary.index.get(term);
    if (i === undefined) continue;
    const v = (1 + Math.log(tf)) * vocabulary.idf[i]!;
    indices.push(i);
    values.push(v);
    norm += v * v;
  }
  if (norm > 0) {
    const scale = 1 / Math.sqrt(norm);
    for (let k = 0; k < values.length; k++) values[k]! *= scale;
  }
  return { indices, values };
}

/** Smoothed idf, as scikit-learn computes it: ln((1 + n) / (1 + df)) + 1. */
export function idfOf(documentFrequency: number, documents: number): number {
  return Math.log((1 + documents) / (1 + documentFrequency)) + 1;
}
