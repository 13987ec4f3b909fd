// One cold grouping in a fresh process, for `npm run eval:topics`: reads the taxonomy file, loads its
// field model, groups a digest, and prints {"taxonomyMs", "modelMs", "groupMs", "papers"} as JSON
// (the same steps loadTaxonomy and groupByTopic take, timed apart).
// Usage: node bin/run-ts.js scripts/topics/group-timing.ts <taxonomy.json> <digest> [--no-model]
import { performance } from 'node:perf_hooks';
import { readDigestFile } from '../../src/adapters/digest-file.js';
import { SHIPPED_FIELD_MODEL, loadFieldModel } from '../../src/adapters/field-model-file.js';
import { loadTaxonomy } from '../../src/adapters/taxonomy-file.js';
import { groupByTopic } from '../../src/domain/group-by-topic.js';

const [taxonomyPath, digestPath, noModel] = process.argv.slice(2);
if (!taxonomyPath || !digestPath) {
  console.error('usage: group-timing.ts <taxonomy.json> <digest>');
  process.exit(2);
}
const digest = await readDigestFile(digestPath, new Date('2026-03-20T00:00:00Z'));
const t0 = performance.now();
const keywords = await loadTaxonomy(taxonomyPath, { fieldModel: false });
const t1 = performance.now();
const fieldModel = keywords.model === null || noModel === '--no-model' ? undefined : await loadFieldModel(keywords.model ? new URL(keywords.model, `file://${taxonomyPath}`) : SHIPPED_FIELD_MODEL);
const t2 = performance.now();
groupByTopic(digest, { ...keywords, ...(fieldModel ? { fieldModel } : {}) });
const t3 = performance.now();
console.log(JSON.stringify({ taxonomyMs: t1 - t0, modelMs: t2 - t1, groupMs: t3 - t2, papers: digest.papers.length }));
