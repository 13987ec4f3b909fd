// The field model at grouping time: a multinomial logistic regression over tf-idf terms of a paper's
// title and abstract, giving a probability per class (the coarse fields of arXiv, plus "broad" for
// papers of categories too general to name a field, such as cs.LG). Trained offline by
// scripts/train-topics.ts; loaded from templates/field-model.json.gz by the taxonomy adapter.
import { tfidfVector, type Vocabulary } from './tfidf.js';

export interface FieldClass {
  /** "language", "vision", ..., or BROAD_CLASS. */
  id: string;
  /** arXiv categories (exact, or a prefix ending in "." or "-") that belong to this field. */
  categories: string[];
}

/** The class of papers that belong to no field (cs.LG, cs.AI, stat.ML, ...). */
export const BROAD_CLASS = 'broad';

export interface FieldModel {
  classes: FieldClass[];
  vocabulary: Vocabulary;
  /** Feature-major: weights[feature * classes.length + class], times weightScale. */
  weights: ArrayLike<number>;
  /** Unit of `weights` (1 when they are plain numbers; 0.001 as stored in the file). */
  weightScale?: number;
  bias: ArrayLike<number>;
  /** How it was trained (seed, sizes, cross-validated F1): shown by --explain and the eval script. */
  about: Record<string, unknown>;
}

/** Class probabilities for one paper's term counts (softmax of the linear scores). */
export function fieldProbabilities(model: FieldModel, counts: ReadonlyMap<string, number>): Float64Array {
  const k = model.classes.length;
  const z = new Float64Array(k);
  const { indices, values } = tfidfVector(counts, model.vocabulary);
  for (let n = 0; n < indices.length; n++) {
    const base = indices[n]! * k;
    const v = values[n]!;
    for (let c = 0; c < k; c++) z[c]! += v * model.weights[base + c]!;
  }
  const scale = model.weightScale ?? 1;
  for (let c = 0; c < k; c++) z[c] = z[c]! * scale + model.bias[c]!;
  return softmax(z);
}

export function softmax(z: Float64Array): Float64Array {
  let max = -Infinity;
  for (const v of z) if (v > max) max = v;
  let sum = 0;
  for (let c = 0; c < z.length; c++) {
    z[c] = Math.exp(z[c]! - max);
    sum += z[c]!;
  }
  for (let c = 0; c < z.length; c++) z[c]! /= sum;
  return z;
}
