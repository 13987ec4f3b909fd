// One cold grouping in a fresh process, for `npm run eval:topics`: loads the taxonomy with its field
// model, reads and groups a digest, and prints {"loadMs", "groupMs", "papers"} as JSON.
// Usage: node bin/run-ts.js scripts/topics/group-timing.ts <taxonomy.json> <digest>
import { performance } from 'node:perf_hooks';
import { readDigestFile } from '../../src/adapters/digest-file.js';
import { loadTaxonomy } from '../../src/adapters/taxonomy-file.js';
import { groupByTopic } from '../../src/domain/group-by-topic.js';

const [taxonomyPath, digestPath] = process.argv.slice(2);
if (!taxonomyPath || !digestPath) {
  console.error('usage: group-timing.ts <taxonomy.json> <digest>');
  process.exit(2);
}
const digest = await readDigestFile(digestPath, new Date('2026-03-20T00:00:00Z'));
const t0 = performance.now();
const taxonomy = await loadTaxonomy(taxonomyPath);
const t1 = performance.now();
groupByTopic(digest, taxonomy);
const t2 = performance.now();
console.log(JSON.stringify({ loadMs: t1 - t0, groupMs: t2 - t1, papers: digest.papers.length }));
