// MJML compiled once per template (precompile.ts) must give byte for byte what compiling every
// variant's MJML gives: on the real digests, through the shipped templates, for many topic sets.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadIssueTemplates } from '../../src/adapters/template-files.js';
import { loadTaxonomy } from '../../src/adapters/taxonomy-file.js';
import { parseConfig } from '../../src/config.js';
import type { Issue } from '../../src/domain/issue.js';
import { buildIssueView, renderVariant, type IssueTemplates } from '../../src/domain/render/index.js';
import { compileView, precompileHtml, precompiledFor, viewData } from '../../src/domain/render/precompile.js';
import { seeded } from '../../src/domain/mime/test-strings.js';
import { composeIssue } from '../../src/services/compose-issue.js';

const DIGESTS = '../shared/data/digests';
const NOW = new Date('2026-03-20T08:00:00Z');
const config = parseConfig({}, {});
const baseUrl = 'https://papers.example.org';

let templates: IssueTemplates;
const issues: Issue[] = [];

beforeAll(async () => {
  const taxonomy = await loadTaxonomy('templates/topics.json');
  templates = await loadIssueTemplates('templates');
  for (const f of ['hf-trending-page-mar-14.txt', 'hf-daily-2025-10-03.json', 'arxiv-query-cs-ro-2025-10-17.atom.xml']) {
    issues.push(await composeIssue(join(DIGESTS, f), taxonomy, NOW));
  }
});

describe('precompiled issue template', () => {
  it('is used for the shipped template', async () => {
    expect(await precompiledFor(templates)).not.toBeNull();
  });

  it('renders exactly what per-variant MJML renders, for all, single and random topic sets and tight limits', async () => {
    const pre = (await precompiledFor(templates))!;
    const rand = seeded(7);
    let compared = 0;
    for (const issue of issues) {
      const ids = issue.sections.map((s) => s.topic.id);
      const sets: (string[] | null)[] = [null, ...ids.map((id) => [id])];
      for (let i = 0; i < 12; i++) sets.push(ids.filter(() => rand() < 0.3));
      for (const topics of sets) {
        const n = issue.sections.reduce((k, s) => k + s.papers.length, 0);
        for (const [limits, detail] of [
          [config.render, undefined],
          [{ ...config.render, maxAbstractChars: 60 }, { full: 2, brief: 3, shown: Math.max(6, n - 3) }],
        ] as const) {
          const view = buildIssueView(issue, { topics: topics && topics.length ? topics : null, limits, baseUrl, publication: { name: 'P', contact: 'Street 1' }, ...(detail ? { detail } : {}) });
          if (!view) continue;
          const data = viewData(templates, view);
          expect(pre.render(data), `${issue.id} ${topics?.join('+') ?? 'all'}`).toBe(await compileView(templates, data));
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(40);
  });

  it('falls back to MJML per variant for a template it cannot precompile', async () => {
    const { html, partials } = templates.sources!;
    // An expression directly between components: MJML would keep it as text, so no precompiling.
    const odd: IssueTemplates = { ...templates, sources: { html: { ...html, source: html.source.replace(/(<mj-body[^>]*>)/, '$1{{issue.id}}') }, partials } };
    expect(await precompileHtml(odd.sources!.html, partials)).toBeNull();
    expect(await precompiledFor(odd)).toBeNull();
    // A partial with arguments cannot be inlined either.
    expect(await precompileHtml({ ...html, source: html.source.replace('{{> paper-card}}', '{{> paper-card this}}') }, partials)).toBeNull();
    const v = await renderVariant(issues[0]!, odd, { topics: null, limits: config.render, baseUrl });
    const reference = await renderVariant(issues[0]!, { ...templates, sources: undefined }, { topics: null, limits: config.render, baseUrl });
    expect(v?.html).toEqual(reference?.html);
  });
});
