// Measures topic grouping (`npm run eval:topics`):
//  1. pairwise precision / recall / F1 on labelled arXiv papers (the dev set by default), grouped from
//     titles and abstracts only (categories withheld), against the coarse fields of
//     ../shared/data/topics/FIELDS.md. Nothing is fitted to these papers; they are only measured;
//  2. per real digest in ../shared/data/digests: the share of "Other" and of the largest section;
//  3. the time to read the taxonomy, load its field model and group the 62-paper trending page, each
//     in a fresh process (median of 7);
//  4. with --cv: K-fold cross-validation on the training file instead of 1 (scripts/topics/cross-validate.ts).
// Usage: npm run eval:topics -- [labelled.jsonl] [--taxonomy file] [--verbose] [--cv] [--folds K] [--seed N]
import { execFileSync } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { readDigestFile } from '../src/adapters/digest-file.js';
import { loadTaxonomy } from '../src/adapters/taxonomy-file.js';
import { groupByTopic } from '../src/domain/group-by-topic.js';
import { OTHER_TOPIC_ID } from '../src/domain/taxonomy.js';
import { fieldTerms } from '../src/domain/field-model/terms.js';
import { crossValidate, mean, scoreGrouping, sd, sectionsOf, topClass } from './topics/cross-validate.js';
import { DEV_FILE, TRAIN_FILE, readLabelled, scoredField } from './topics/training-set.js';

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1] : undefined;
};
const verbose = args.includes('--verbose');
const cv = args.includes('--cv');
const folds = Number(flag('--folds') ?? '5');
const seed = Number(flag('--seed') ?? '16');
const taxonomyPath = resolve(flag('--taxonomy') ?? 'templates/topics.json');
const positional = args.filter((a) => !a.startsWith('--'));
const digestsDir = resolve('../shared/data/digests');
const f3 = (x: number) => x.toFixed(3);
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

const taxonomy = await loadTaxonomy(taxonomyPath);
console.log(`taxonomy: ${taxonomyPath} (${taxonomy.topics.length} topics), field model: ${taxonomy.fieldModel ? 'yes' : 'none (keywords alone)'}`);

if (cv) {
  const trainPath = resolve(positional[0] ?? TRAIN_FILE);
  const papers = await readLabelled(trainPath);
  console.log(`\n${folds}-fold cross-validation on ${trainPath} (${papers.length} papers, seed ${seed}); each fold grouped by a model fitted on the others:`);
  const results = crossValidate(papers, await loadTaxonomy(taxonomyPath, { fieldModel: false }), {
    folds,
    seed,
    onFold: (r) =>
      console.log(`  fold ${r.fold + 1}: ${r.scored} scored   P ${f3(r.grouped.precision)} R ${f3(r.grouped.recall)} F1 ${f3(r.grouped.f1)}   model alone ${f3(r.model.f1)}   keywords alone ${f3(r.keywords.f1)}   field-balanced ${f3(r.balanced.f1)}`),
  });
  const of = (pick: (r: (typeof results)[number]) => number) => `${f3(mean(results.map(pick)))} ± ${f3(sd(results.map(pick)))}`;
  console.log(`  cross-validated pairwise F1 ${of((r) => r.grouped.f1)} (model alone ${of((r) => r.model.f1)}; keywords alone ${of((r) => r.keywords.f1)}; field-balanced ${of((r) => r.balanced.f1)})`);
} else {
  const labelledPath = resolve(positional[0] ?? DEV_FILE);
  const rows = await readLabelled(labelledPath);
  const sections = sectionsOf(rows, taxonomy);
  const score = scoreGrouping(rows, (r) => sections.get(r.id)!);
  console.log(`\nTopic grouping on ${labelledPath}`);
  console.log(`  scored papers: ${score.n} of ${rows.length} (others have a category FIELDS.md leaves out)`);
  console.log(`  pairwise precision ${f3(score.precision)}  recall ${f3(score.recall)}  F1 ${f3(score.f1)}`);
  console.log(`  pairs: together in both ${score.pairsBoth}, in grouping ${score.pairsPredicted}, in truth ${score.pairsTrue}`);
  if (taxonomy.fieldModel) {
    const model = taxonomy.fieldModel;
    const keywords = sectionsOf(rows, { ...taxonomy, fieldModel: undefined });
    const alone = scoreGrouping(rows, (r) => topClass(model, fieldTerms(r.title, r.abstract)));
    console.log(`  for comparison: keywords alone F1 ${f3(scoreGrouping(rows, (r) => keywords.get(r.id)!).f1)}, the model's most likely class alone F1 ${f3(alone.f1)}`);
  }

  // Field x topic table: where each field's papers went.
  const scored = rows.flatMap((r) => {
    const truth = scoredField(r);
    return truth ? [{ title: r.title, truth, predicted: sections.get(r.id)! }] : [];
  });
  const fields = [...new Set(scored.map((s) => s.truth))].sort();
  const topics = [...taxonomy.topics.map((t) => t.id), OTHER_TOPIC_ID].filter((t) => scored.some((s) => s.predicted === t));
  console.log(`\n  ${'field'.padEnd(18)}${topics.map((t) => t.slice(0, 7).padStart(8)).join('')}`);
  for (const f of fields) {
    const cells = topics.map((t) => String(scored.filter((s) => s.truth === f && s.predicted === t).length || '.').padStart(8));
    console.log(`  ${f.padEnd(18)}${cells.join('')}`);
  }
  if (verbose) {
    console.log('\n  misplaced (field -> topic):');
    for (const f of fields) {
      const counts = new Map<string, number>();
      for (const s of scored.filter((x) => x.truth === f)) counts.set(s.predicted, (counts.get(s.predicted) ?? 0) + 1);
      const majority = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
      for (const s of scored.filter((x) => x.truth === f && x.predicted !== majority)) {
        console.log(`    ${f} -> ${s.predicted}: ${s.title.replace(/\s+/g, ' ').slice(0, 100)}`);
      }
    }
  }
}

console.log(`\nPer digest (${digestsDir}): "Other", the largest section, and every section`);
let files: string[] = [];
try {
  files = (await readdir(digestsDir)).filter((f) => !f.startsWith('.')).sort();
} catch {
  console.log('  (no digests folder)');
}
for (const file of files) {
  try {
    const d = await readDigestFile(join(digestsDir, file), new Date('2026-03-20T00:00:00Z'));
    const g = groupByTopic(d, taxonomy);
    const other = g.sections.find((s) => s.topic.id === OTHER_TOPIC_ID)?.papers ?? [];
    const largest = Math.max(...g.sections.map((s) => s.papers.length));
    const sizes = g.sections.map((s) => `${s.topic.id}:${s.papers.length}`).join(' ');
    const n = d.papers.length;
    console.log(`  ${file.padEnd(42)} ${String(n).padStart(3)} papers  Other ${pct(other.length / n).padStart(6)}  largest ${pct(largest / n).padStart(6)}   ${sizes}`);
    if (verbose) for (const p of other) console.log(`      other: ${p.title.replace(/\s+/g, ' ').slice(0, 100)}`);
  } catch (e) {
    console.log(`  ${file.padEnd(42)} not parsed: ${(e as Error).message.split('\n')[0]}`);
  }
}

const trending = join(digestsDir, 'hf-trending-page-mar-14.txt');
if (files.includes('hf-trending-page-mar-14.txt')) {
  type Run = { taxonomyMs: number; modelMs: number; groupMs: number; papers: number };
  const once = (...extra: string[]) =>
    JSON.parse(execFileSync(process.execPath, ['bin/run-ts.js', 'scripts/topics/group-timing.ts', taxonomyPath, trending, ...extra], { encoding: 'utf8' })) as Run;
  // In turn, so both see the machine's speed of the moment.
  const pairs = Array.from({ length: 7 }, () => [once(), once('--no-model')] as const);
  const runs = pairs.map(([a]) => a);
  const bare = pairs.map(([, b]) => b);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const ms = (xs: number[]) => `${median(xs).toFixed(0)} ms (${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)})`;
  console.log(`\nThe ${runs[0]!.papers}-paper trending page, each time in a fresh process (median of 7, range):`);
  console.log(`  reading the taxonomy file     ${ms(runs.map((r) => r.taxonomyMs))}`);
  console.log(`  loading the field model       ${ms(runs.map((r) => r.modelMs))}`);
  console.log(`  grouping                      ${ms(runs.map((r) => r.groupMs))}`);
  console.log(`  model load + grouping         ${ms(runs.map((r) => r.modelMs + r.groupMs))}`);
  console.log(`  all three                     ${ms(runs.map((r) => r.taxonomyMs + r.modelMs + r.groupMs))}`);
  console.log(`  grouping without the model    ${ms(bare.map((r) => r.groupMs))}`);
}
