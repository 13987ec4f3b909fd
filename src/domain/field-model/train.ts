// Fitting the field model: a vocabulary of the most frequent terms, then an L2-regularised
// multinomial logistic regression fitted by L-BFGS. Deterministic: no randomness, so the same
// training papers always give the same weights (the seed only chooses cross-validation folds).
import type { FieldClass, FieldModel } from './model.js';
import { idfOf, tfidfVector, type SparseVector, type Vocabulary } from './tfidf.js';

export interface VocabularyOptions {
  /** Keep at most this many terms, the most frequent by document frequency (ties: alphabetical). */
  maxTerms: number;
  /** Drop terms found in fewer documents. */
  minDocuments: number;
}

export function buildVocabulary(documents: readonly ReadonlyMap<string, number>[], opts: VocabularyOptions): { terms: string[]; vocabulary: Vocabulary } {
  const df = new Map<string, number>();
  for (const doc of documents) for (const term of doc.keys()) df.set(term, (df.get(term) ?? 0) + 1);
  const terms = [...df.entries()]
    .filter(([, n]) => n >= opts.minDocuments)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, opts.maxTerms)
    .map(([term]) => term);
  const index = new Map(terms.map((t, i) => [t, i]));
  const idf = Float64Array.from(terms, (t) => idfOf(df.get(t)!, documents.length));
  return { terms, vocabulary: { index, idf } };
}

export interface SoftmaxOptions {
  /** L2 penalty on the weights (not the biases), per example: λ/2 ‖W‖². */
  l2: number;
  /** Weight of each class's examples in the loss (default 1 each). */
  classWeights?: readonly number[];
  maxIterations: number;
  /** Stop when the gradient's largest component falls below this. */
  tolerance?: number;
}

export interface SoftmaxFit {
  /** Feature-major: weights[feature * classes + class]. */
  weights: Float64Array;
  bias: Float64Array;
  iterations: number;
  loss: number;
}

/**
 * Fits softmax regression to sparse rows. Parameters are one flat vector: features × classes weights,
 * then one bias per class.
 */
export function trainSoftmax(rows: readonly SparseVector[], labels: readonly number[], features: number, classes: number, opts: SoftmaxOptions): SoftmaxFit {
  const nw = features * classes;
  const exampleWeight = labels.map((y) => opts.classWeights?.[y] ?? 1);
  const total = exampleWeight.reduce((a, b) => a + b, 0);
  const z = new Float64Array(classes);

  const lossAndGradient = (theta: Float64Array, grad: Float64Array): number => {
    grad.fill(0);
    let loss = 0;
    for (let i = 0; i < rows.length; i++) {
      const { indices, values } = rows[i]!;
      for (let c = 0; c < classes; c++) z[c] = theta[nw + c]!;
      for (let n = 0; n < indices.length; n++) {
        const base = indices[n]! * classes;
        const v = values[n]!;
        for (let c = 0; c < classes; c++) z[c]! += v * theta[base + c]!;
      }
      let max = -Infinity;
      for (let c = 0; c < classes; c++) if (z[c]! > max) max = z[c]!;
      let sum = 0;
      for (let c = 0; c < classes; c++) {
        z[c] = Math.exp(z[c]! - max);
        sum += z[c]!;
      }
      const w = exampleWeight[i]! / total;
      const y = labels[i]!;
      loss -= w * Math.log(z[y]! / sum);
      // z becomes this example's gradient on its scores: w (p - onehot).
      for (let c = 0; c < classes; c++) {
        z[c] = w * (z[c]! / sum - (c === y ? 1 : 0));
        grad[nw + c]! += z[c]!;
      }
      for (let n = 0; n < indices.length; n++) {
        const base = indices[n]! * classes;
        const v = values[n]!;
        for (let c = 0; c < classes; c++) grad[base + c]! += z[c]! * v;
      }
    }
    for (let j = 0; j < nw; j++) {
      loss += 0.5 * opts.l2 * theta[j]! * theta[j]!;
      grad[j]! += opts.l2 * theta[j]!;
    }
    return loss;
  };

  const { x, iterations, value } = minimizeLbfgs(lossAndGradient, new Float64Array(nw + classes), opts.maxIterations, opts.tolerance ?? 1e-5);
  return { weights: x.slice(0, nw), bias: x.slice(nw), iterations, loss: value };
}

/** Tf-idf rows of term-count documents over a vocabulary. */
export function tfidfRows(documents: readonly ReadonlyMap<string, number>[], vocabulary: Vocabulary): SparseVector[] {
  return documents.map((d) => tfidfVector(d, vocabulary));
}

type Objective = (x: Float64Array, grad: Float64Array) => number;

const dot = (a: Float64Array, b: Float64Array) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};

/** Limited-memory BFGS (10 corrections) with a backtracking Armijo line search; for convex, smooth objectives. */
export function minimizeLbfgs(f: Objective, x0: Float64Array, maxIterations: number, tolerance: number): { x: Float64Array; value: number; iterations: number } {
  const m = 10;
  const n = x0.length;
  let x = x0.slice();
  let g = new Float64Array(n);
  let value = f(x, g);
  const s: Float64Array[] = [];
  const y: Float64Array[] = [];
  const rho: number[] = [];
  const d = new Float64Array(n);
  const alpha = new Array<number>(m);
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    let gmax = 0;
    for (const v of g) gmax = Math.max(gmax, Math.abs(v));
    if (gmax < tolerance) break;
    // Two-loop recursion: d = -H g.
    for (let i = 0; i < n; i++) d[i] = -g[i]!;
    for (let k = s.length - 1; k >= 0; k--) {
      alpha[k] = rho[k]! * dot(s[k]!, d);
      const yk = y[k]!;
      for (let i = 0; i < n; i++) d[i]! -= alpha[k]! * yk[i]!;
    }
    if (s.length > 0) {
      const last = s.length - 1;
      const gamma = dot(s[last]!, y[last]!) / dot(y[last]!, y[last]!);
      for (let i = 0; i < n; i++) d[i]! *= gamma;
    } else {
      const gnorm = Math.sqrt(dot(g, g));
      for (let i = 0; i < n; i++) d[i]! /= gnorm;
    }
    for (let k = 0; k < s.length; k++) {
      const beta = rho[k]! * dot(y[k]!, d);
      const sk = s[k]!;
      for (let i = 0; i < n; i++) d[i]! += (alpha[k]! - beta) * sk[i]!;
    }
    let slope = dot(g, d);
    if (slope >= 0) {
      // Not a descent direction (curvature pairs gone stale): restart from steepest descent.
      s.length = y.length = rho.length = 0;
      for (let i = 0; i < n; i++) d[i] = -g[i]!;
      slope = dot(g, d);
    }
    let step = 1;
    const xNew = new Float64Array(n);
    const gNew = new Float64Array(n);
    let valueNew = Infinity;
    for (let tries = 0; tries < 40; tries++) {
      for (let i = 0; i < n; i++) xNew[i] = x[i]! + step * d[i]!;
      valueNew = f(xNew, gNew);
      if (valueNew <= value + 1e-4 * step * slope) break;
      step /= 2;
    }
    if (!(valueNew < value)) break;
    const sk = new Float64Array(n);
    const yk = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      sk[i] = xNew[i]! - x[i]!;
      yk[i] = gNew[i]! - g[i]!;
    }
    const sy = dot(sk, yk);
    if (sy > 1e-12) {
      if (s.length === m) {
        s.shift();
        y.shift();
        rho.shift();
      }
      s.push(sk);
      y.push(yk);
      rho.push(1 / sy);
    }
    const converged = Math.abs(value - valueNew) <= 1e-10 * Math.max(1, Math.abs(value));
    x = xNew;
    g = gNew;
    value = valueNew;
    if (converged) {
      iterations++;
      break;
    }
  }
  return { x, value, iterations };
}

export interface FieldModelOptions extends VocabularyOptions {
  l2: number;
  maxIterations: number;
  /**
   * Class weights are (papers / (classes × papers of the class)) ^ power: 0 keeps the training
   * file's mix of fields, 1 weighs every field the same.
   */
  classWeightPower: number;
}

/** Vocabulary, tf-idf and softmax regression in one: term counts and class labels → a FieldModel. */
export function fitFieldModel(
  documents: readonly ReadonlyMap<string, number>[],
  labels: readonly number[],
  classes: FieldClass[],
  opts: FieldModelOptions,
): { model: FieldModel; terms: string[]; iterations: number } {
  const { terms, vocabulary } = buildVocabulary(documents, opts);
  const perClass = classes.map((_, c) => labels.filter((y) => y === c).length);
  const classWeights = perClass.map((n) => (n === 0 ? 0 : Math.pow(labels.length / (classes.length * n), opts.classWeightPower)));
  const fit = trainSoftmax(tfidfRows(documents, vocabulary), labels, terms.length, classes.length, {
    l2: opts.l2,
    classWeights,
    maxIterations: opts.maxIterations,
  });
  return { model: { classes, vocabulary, weights: fit.weights, bias: fit.bias, about: {} }, terms, iterations: fit.iterations };
}
