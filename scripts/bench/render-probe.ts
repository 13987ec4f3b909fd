// Renders every variant the bench's subscribers need, and compiles each one's MIME message, in this
// process, and reports how long each step took: the per-issue costs without any sending. Usage:
//   node bin/run-ts.js scripts/bench/render-probe.ts [--subscribers N] [--digest file]
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { readDigestFile } from '../../src/adapters/digest-file.js';
import { loadTaxonomy } from '../../src/adapters/taxonomy-file.js';
import { loadIssueTemplates } from '../../src/adapters/template-files.js';
import { parseConfig } from '../../src/config.js';
import { groupByTopic } from '../../src/domain/group-by-topic.js';
import { issueIdFor } from '../../src/domain/issue-id.js';
import { effectiveTopics, issueTopicIds } from '../../src/domain/plan-sends.js';
import { compileMimeTemplate } from '../../src/domain/mime/index.js';
import { escapeHtml, renderVariant, templateBytes, variantKey, type RenderedVariant } from '../../src/domain/render/index.js';
import { benchSubscribers } from './subscribers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const { values } = parseArgs({ options: { subscribers: { type: 'string', default: '10000' }, digest: { type: 'string' } } });
const trending = resolve(ROOT, '../shared/data/digests/hf-trending-page-mar-14.txt');
const digestPath = values.digest ?? (existsSync(trending) ? trending : join(ROOT, 'docs/examples/sample-digest.json'));
const config = parseConfig({}, {});
const taxonomy = await loadTaxonomy(join(ROOT, 'templates/topics.json'));
const templates = await loadIssueTemplates(join(ROOT, 'templates'));
const digest = await readDigestFile(digestPath, new Date('2026-03-20T00:00:00Z'));
const issue = { ...groupByTopic(digest, taxonomy), id: issueIdFor(digest) };
const present = issueTopicIds(issue);
const subs = benchSubscribers(Number(values.subscribers), taxonomy.topics.map((t) => t.id));
const sets = new Map<string, string[] | null>();
for (const s of subs) {
  const t = effectiveTopics(s, present);
  sets.set(variantKey(t), t);
}
console.log(`${issue.sections.length} sections, ${present.size} topics present; ${sets.size} variants for ${subs.length} subscribers`);
const t0 = performance.now();
let bytes = 0;
const variants: RenderedVariant[] = [];
for (const topics of sets.values()) {
  const v = await renderVariant(issue, templates, { topics, limits: config.render, baseUrl: 'https://papers.example.org' });
  if (v) {
    variants.push(v);
    bytes += templateBytes(v.html);
  }
}
const ms = performance.now() - t0;
const n = variants.length;
console.log(`rendered ${n} variants in ${(ms / 1000).toFixed(2)} s (${(ms / Math.max(n, 1)).toFixed(2)} ms each), mean html ${(bytes / Math.max(n, 1) / 1024).toFixed(1)} KiB`);
// The MIME message of each variant, compiled once (quoted-printable static parts).
const mem = (label: string) => {
  const m = process.memoryUsage();
  console.log(`${label}: rss ${(m.rss / 1048576).toFixed(0)} MB, heap used ${(m.heapUsed / 1048576).toFixed(0)} MB, array buffers ${(m.arrayBuffers / 1048576).toFixed(0)} MB`);
};
mem('after rendering');
const compiled = [];
const t1 = performance.now();
for (const v of variants) {
  compiled.push(compileMimeTemplate({ from: 'Trending Papers <papers@example.org>', subject: v.subject, date: new Date(0), text: v.text, html: v.html, escapeHtml, htmlEncoded: v.htmlEncoded }));
}
const mimeMs = performance.now() - t1;
console.log(`compiled ${n} MIME templates in ${(mimeMs / 1000).toFixed(2)} s (${(mimeMs / Math.max(n, 1)).toFixed(2)} ms each)`);
mem(`holding ${compiled.length} rendered variants and their MIME templates`);
