// K-fold cross-validation on the training file, the only place where the model, its options and the
// grouping rule are tuned: each fold's papers are grouped by a model fitted on the other folds,
// with the taxonomy, exactly as `paperboy group` would (categories withheld), and scored by pairwise F1.
import type { Digest } from '../../src/domain/digest.js';
import { fieldTerms } from '../../src/domain/field-model/terms.js';
import { fitFieldModel, type FieldModelOptions } from '../../src/domain/field-model/train.js';
import { BROAD_CLASS, fieldProbabilities, type FieldModel } from '../../src/domain/field-model/model.js';
import { groupByTopic } from '../../src/domain/group-by-topic.js';
import { pairwiseF1, type PairwiseScore } from '../../src/domain/pairwise-f1.js';
import { seeded } from '../../src/domain/seeded-random.js';
import type { Taxonomy } from '../../src/domain/taxonomy.js';
import { MODEL_CLASSES, scoredField, trainingClass, type LabelledPaper } from './training-set.js';

/** Training options of the shipped model (chosen by cross-validation, decision 011). */
export const TRAINING_OPTIONS: FieldModelOptions = { maxTerms: 10_000, minDocuments: 3, l2: 3e-5, maxIterations: 150, classWeightPower: 1 };

export interface FoldResult {
  fold: number;
  /** Scored papers in the fold (primary category names a field). */
  scored: number;
  /** The model's most likely class as the section. */
  model: PairwiseScore;
  /** groupByTopic with the taxonomy and the fold's model. */
  grouped: PairwiseScore;
  /** groupByTopic with the taxonomy's keywords alone (no model), for comparison. */
  keywords: PairwiseScore;
  /**
   * The same grouping scored on a field-balanced sample of the fold: every field (primary or
   * cross-listed, as trained) cut to the smallest field's count. The file's own mix is five large
   * fields; this weighs the thin ones (life sciences, economics, audio, ...) as much.
   */
  balanced: PairwiseScore;
}

/** Fold of each paper: a seeded shuffle, then round-robin, so folds differ by at most one paper. */
export function foldsOf(n: number, k: number, seed: number): number[] {
  const random = seeded(seed);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const fold = new Array<number>(n);
  order.forEach((paper, position) => (fold[paper] = position % k));
  return fold;
}

/** Papers as a digest, without their categories: only title and abstract are grouped (FIELDS.md). */
export function asDigest(papers: readonly LabelledPaper[]): Digest {
  return {
    date: '2000-01-01',
    source: 'paperboy-json',
    papers: papers.map((r) => ({ id: r.id, title: r.title, abstract: r.abstract, authors: [], keywords: [], categories: [] })),
  };
}

/** Pairwise F1 of a grouping against FIELDS.md fields, over the papers it scores. */
export function scoreGrouping(papers: readonly LabelledPaper[], sectionOf: (p: LabelledPaper) => string): PairwiseScore {
  return pairwiseF1(papers.flatMap((p) => {
    const truth = scoredField(p);
    return truth ? [{ truth, predicted: sectionOf(p) }] : [];
  }));
}

export function sectionsOf(papers: readonly LabelledPaper[], taxonomy: Taxonomy): Map<string, string> {
  const issue = groupByTopic(asDigest(papers), taxonomy);
  return new Map(issue.sections.flatMap((s) => s.papers.map((p) => [p.id, s.topic.id] as const)));
}

export function topClass(model: FieldModel, terms: ReadonlyMap<string, number>): string {
  const p = fieldProbabilities(model, terms);
  let best = 0;
  for (let c = 1; c < p.length; c++) if (p[c]! > p[best]!) best = c;
  return model.classes[best]!.id;
}

/** Papers of each field (by training class, broad left out) cut to the smallest field's count, seeded. */
export function fieldBalancedSample(papers: readonly LabelledPaper[], seed: number): { paper: LabelledPaper; field: string }[] {
  const byClass = new Map<number, LabelledPaper[]>();
  for (const p of papers) {
    const c = trainingClass(p);
    if (MODEL_CLASSES[c]!.id === BROAD_CLASS) continue;
    byClass.set(c, [...(byClass.get(c) ?? []), p]);
  }
  const n = Math.min(...[...byClass.values()].map((l) => l.length));
  const random = seeded(seed);
  return [...byClass.entries()]
    .sort((a, b) => a[0] - b[0])
    .flatMap(([c, list]) => {
      const shuffled = [...list];
      for (let i = shuffled.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
      }
      return shuffled.slice(0, n).map((paper) => ({ paper, field: MODEL_CLASSES[c]!.id }));
    });
}

export function crossValidate(
  papers: readonly LabelledPaper[],
  taxonomy: Taxonomy,
  opts: { folds: number; seed: number; training?: FieldModelOptions; onFold?: (r: FoldResult) => void },
): FoldResult[] {
  const terms = papers.map((p) => fieldTerms(p.title, p.abstract));
  const labels = papers.map(trainingClass);
  const fold = foldsOf(papers.length, opts.folds, opts.seed);
  const results: FoldResult[] = [];
  for (let k = 0; k < opts.folds; k++) {
    const train = papers.flatMap((_, i) => (fold[i] !== k ? [i] : []));
    const test = papers.flatMap((_, i) => (fold[i] === k ? [i] : []));
    const { model } = fitFieldModel(train.map((i) => terms[i]!), train.map((i) => labels[i]!), MODEL_CLASSES, opts.training ?? TRAINING_OPTIONS);
    const held = test.map((i) => papers[i]!);
    const topOf = new Map(test.map((i) => [papers[i]!.id, topClass(model, terms[i]!)]));
    const sections = sectionsOf(held, { ...taxonomy, fieldModel: model });
    const byKeywords = sectionsOf(held, { ...taxonomy, fieldModel: undefined });
    const result: FoldResult = {
      fold: k,
      scored: held.filter((p) => scoredField(p)).length,
      model: scoreGrouping(held, (p) => topOf.get(p.id)!),
      grouped: scoreGrouping(held, (p) => sections.get(p.id)!),
      keywords: scoreGrouping(held, (p) => byKeywords.get(p.id)!),
      balanced: pairwiseF1(fieldBalancedSample(held, opts.seed + k).map(({ paper, field }) => ({ truth: field, predicted: sections.get(paper.id)! }))),
    };
    opts.onFold?.(result);
    results.push(result);
  }
  return results;
}

export const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
export const sd = (xs: readonly number[]) => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));
