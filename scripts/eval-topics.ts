// Measures topic grouping (`npm run eval:topics`):
//  1. pairwise precision / recall / F1 on labelled arXiv papers, grouped from titles and abstracts only
//     (categories withheld), against the coarse fields of ../shared/data/topics/FIELDS.md;
//  2. the share of papers in "Other" for every real digest in ../shared/data/digests.
// Usage: node bin/run-ts.js scripts/eval-topics.ts [labelled.jsonl] [--taxonomy file] [--verbose]
import { readFile, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { readDigestFile } from '../src/adapters/digest-file.js';
import { loadTaxonomy } from '../src/adapters/taxonomy-file.js';
import type { Digest } from '../src/domain/digest.js';
import { groupByTopic } from '../src/domain/group-by-topic.js';
import { fieldOfCategory } from '../src/domain/arxiv-fields.js';
import { pairwiseF1 } from '../src/domain/pairwise-f1.js';
import { OTHER_TOPIC_ID } from '../src/domain/taxonomy.js';

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1] : undefined;
};
const verbose = args.includes('--verbose');
const taxonomyPath = resolve(flag('--taxonomy') ?? 'templates/topics.json');
const positional = args.filter((a) => !a.startsWith('--'));
const labelledPath = resolve(positional[0] ?? '../shared/data/topics/arxiv-labelled-dev.jsonl');
const digestsDir = resolve('../shared/data/digests');

interface Labelled {
  id: string;
  title: string;
  abstract: string;
  primary_category: string;
}

const taxonomy = await loadTaxonomy(taxonomyPath);
const rows = (await readFile(labelledPath, 'utf8'))
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as Labelled);

// Categories withheld: only title and abstract are grouped.
const digest: Digest = {
  date: '2000-01-01',
  source: 'paperboy-json',
  papers: rows.map((r) => ({ id: r.id, title: r.title, abstract: r.abstract, authors: [], keywords: [], categories: [] })),
};
const issue = groupByTopic(digest, taxonomy);
const predicted = new Map<string, string>();
for (const s of issue.sections) for (const p of s.papers) predicted.set(p.id, s.topic.id);

const scored = rows.flatMap((r) => {
  const truth = fieldOfCategory(r.primary_category);
  return truth ? [{ id: r.id, title: r.title, truth, predicted: predicted.get(r.id)! }] : [];
});
const score = pairwiseF1(scored);
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

console.log(`Topic grouping on ${labelledPath}`);
console.log(`  taxonomy: ${taxonomyPath} (${taxonomy.topics.length} topics)`);
console.log(`  scored papers: ${score.n} of ${rows.length} (others have a category FIELDS.md leaves out)`);
console.log(`  pairwise precision ${score.precision.toFixed(3)}  recall ${score.recall.toFixed(3)}  F1 ${score.f1.toFixed(3)}`);
console.log(`  pairs: together in both ${score.pairsBoth}, in grouping ${score.pairsPredicted}, in truth ${score.pairsTrue}`);

// Field x topic table: where each field's papers went.
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

console.log(`\n"Other" share per digest (${digestsDir}):`);
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
    const sizes = g.sections.map((s) => `${s.topic.id}:${s.papers.length}`).join(' ');
    console.log(`  ${file.padEnd(42)} ${String(other.length).padStart(3)}/${String(d.papers.length).padEnd(3)} ${pct(other.length / d.papers.length).padStart(6)}   ${sizes}`);
    if (verbose) for (const p of other) console.log(`      other: ${p.title.replace(/\s+/g, ' ').slice(0, 100)}`);
  } catch (e) {
    console.log(`  ${file.padEnd(42)} not parsed: ${(e as Error).message.split('\n')[0]}`);
  }
}
