// Trains the field model (`npm run train:topics`) on ../shared/data/topics/arxiv-train.jsonl and
// writes templates/field-model.json.gz. First cross-validates on the same file (the dev set is never
// read here) and prints the F1 reached; the model written is then fitted on every training paper.
// Deterministic: the same file and options give the same bytes (the seed only picks the folds).
//
//   npm run train:topics                      5-fold cross-validation, then the model
//   npm run train:topics -- --folds 0         the model only (no cross-validation figures in it)
//   npm run train:topics -- --seed 7 --out /tmp/model.json.gz
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadTaxonomy } from '../src/adapters/taxonomy-file.js';
import { fieldTerms } from '../src/domain/field-model/terms.js';
import { fitFieldModel } from '../src/domain/field-model/train.js';
import { modelToFile } from '../src/domain/field-model/model-file.js';
import { TRAINING_OPTIONS, crossValidate, mean, sd } from './topics/cross-validate.js';
import { MODEL_CLASSES, TRAIN_FILE, readLabelled, trainingClass } from './topics/training-set.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : fallback;
};
const seed = Number(option('--seed', '16'));
const folds = Number(option('--folds', '5'));
const out = resolve(option('--out', 'templates/field-model.json.gz'));
const trainPath = resolve(option('--train', TRAIN_FILE));
if (!Number.isInteger(seed) || !Number.isInteger(folds) || folds === 1 || folds < 0) {
  console.error('usage: npm run train:topics -- [--seed N] [--folds K (0, or 2 and more)] [--out file] [--train file.jsonl]');
  process.exit(2);
}

const started = Date.now();
const papers = await readLabelled(trainPath);
// The shipped taxonomy's keywords, without any model: each fold brings its own.
const taxonomy = await loadTaxonomy('templates/topics.json', { fieldModel: false });
console.log(`Training the field model on ${trainPath}: ${papers.length} papers, seed ${seed}`);
const counts = MODEL_CLASSES.map((c, k) => `${c.id} ${papers.filter((p) => trainingClass(p) === k).length}`);
console.log(`  classes: ${counts.join(', ')}`);

const f3 = (x: number) => x.toFixed(3);
let cv: Record<string, unknown> | undefined;
if (folds > 0) {
  console.log(`\n${folds}-fold cross-validation (pairwise F1 on each held-out fold, fields as FIELDS.md scores them):`);
  const results = crossValidate(papers, taxonomy, {
    folds,
    seed,
    onFold: (r) => console.log(`  fold ${r.fold + 1}: ${r.scored} scored papers   model alone F1 ${f3(r.model.f1)}   grouped with the taxonomy P ${f3(r.grouped.precision)} R ${f3(r.grouped.recall)} F1 ${f3(r.grouped.f1)}   field-balanced F1 ${f3(r.balanced.f1)}   keywords alone F1 ${f3(r.keywords.f1)}`),
  });
  const grouped = results.map((r) => r.grouped.f1);
  const alone = results.map((r) => r.model.f1);
  const balanced = results.map((r) => r.balanced.f1);
  const keywords = results.map((r) => r.keywords.f1);
  console.log(`  cross-validated F1: grouped ${f3(mean(grouped))} ± ${f3(sd(grouped))}   model alone ${f3(mean(alone))} ± ${f3(sd(alone))}   field-balanced ${f3(mean(balanced))} ± ${f3(sd(balanced))}   keywords alone ${f3(mean(keywords))} ± ${f3(sd(keywords))}`);
  cv = {
    folds,
    groupedF1: Number(f3(mean(grouped))),
    modelAloneF1: Number(f3(mean(alone))),
    fieldBalancedF1: Number(f3(mean(balanced))),
    keywordsAloneF1: Number(f3(mean(keywords))),
  };
}

const terms = papers.map((p) => fieldTerms(p.title, p.abstract));
const fit = fitFieldModel(terms, papers.map(trainingClass), MODEL_CLASSES, TRAINING_OPTIONS);
fit.model.about = {
  trainedOn: 'arxiv-train.jsonl',
  papers: papers.length,
  seed,
  options: TRAINING_OPTIONS,
  iterations: fit.iterations,
  ...(cv ? { crossValidation: cv } : {}),
};
const bytes = gzipSync(JSON.stringify(modelToFile(fit.model, fit.terms)), { level: 9 });
await writeFile(out, bytes);
console.log(`\nWrote ${out}: ${fit.terms.length} terms × ${MODEL_CLASSES.length} classes, ${(bytes.length / 1024).toFixed(0)} KB, in ${((Date.now() - started) / 1000).toFixed(0)} s`);
