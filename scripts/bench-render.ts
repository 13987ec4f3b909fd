// Render cost and HTML size per digest: `node bin/run-ts.js scripts/bench-render.ts [digest files...]`.
// For each digest: the all-topics variant (filled HTML size, render time) and every one-topic variant
// (mean and max render time). Defaults to the real digests in ../shared/data/digests.
import { readdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadTaxonomy } from '../src/adapters/taxonomy-file.js';
import { loadIssueTemplates } from '../src/adapters/template-files.js';
import { parseConfig } from '../src/config.js';
import { buildIssueView, cleanText, compileMjml, personalise, renderVariant } from '../src/domain/render/index.js';
import { composeIssue } from '../src/services/compose-issue.js';
import { sampleSubscriber } from '../src/services/render-preview.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const dir = resolve(ROOT, '../shared/data/digests');
const files = process.argv.slice(2).length ? process.argv.slice(2) : readdirSync(dir).filter((f) => /^hf-/.test(f)).map((f) => join(dir, f));
const config = parseConfig({}, {});
const taxonomy = await loadTaxonomy(join(ROOT, 'templates/topics.json'));
const templates = await loadIssueTemplates(join(ROOT, 'templates'));
const opts = { limits: config.render, baseUrl: 'https://papers.example.org' };

// Warm up (JIT, MJML's first-use setup) so the first digest is not charged for it.
for (let i = 0; i < 3; i++) await renderVariant(await composeIssue(files[0]!, taxonomy, new Date()), templates, { ...opts, topics: null });

console.log('digest                           papers  html KB  all-topics ms  one-topic ms (mean / max, n)');
for (const file of files) {
  const issue = await composeIssue(file, taxonomy, new Date('2026-03-20T00:00:00Z'));
  let t = performance.now();
  const v = (await renderVariant(issue, templates, { ...opts, topics: null }))!;
  const allMs = performance.now() - t;
  const fill = sampleSubscriber(opts.baseUrl, issue.id);
  const kb = Buffer.byteLength(personalise(v, fill).html, 'utf8') / 1024;
  const times: number[] = [];
  for (const s of issue.sections) {
    t = performance.now();
    await renderVariant(issue, templates, { ...opts, topics: [s.topic.id] });
    times.push(performance.now() - t);
  }
  // Personalising is joins only: time it over many fills.
  t = performance.now();
  for (let i = 0; i < 10_000; i++) personalise(v, { ...fill, name: `Reader ${i}` });
  const fillUs = ((performance.now() - t) / 10_000) * 1000;
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  // The plain path (Handlebars → MJML → HTML for this variant), without the precompiled template.
  const view = buildIssueView(issue, { ...opts, topics: null })!;
  t = performance.now();
  await compileMjml(templates.html({ ...view, subject: cleanText(templates.subject(view)) }), templates.files.html);
  const mjmlMs = performance.now() - t;
  console.log(
    `${basename(file).padEnd(32)} ${String(v.paperCount).padStart(6)}  ${kb.toFixed(1).padStart(7)}  ${allMs.toFixed(0).padStart(13)}  ${mean.toFixed(0)} / ${Math.max(...times).toFixed(0)}, n=${times.length}   MJML path ${mjmlMs.toFixed(0)} ms   personalise ${fillUs.toFixed(1)} µs`,
  );
}
