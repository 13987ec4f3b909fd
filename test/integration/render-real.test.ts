// Renders the real digests through the shipped templates: size budget, completeness, variants,
// personalisation and injection.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadEmailTemplates, loadIssueTemplates } from '../../src/adapters/template-files.js';
import { loadTaxonomy } from '../../src/adapters/taxonomy-file.js';
import { parseConfig } from '../../src/config.js';
import type { Issue } from '../../src/domain/issue.js';
import {
  cleanText,
  headCssBytes,
  personalise,
  renderEmail,
  renderVariant,
  selectSections,
  type IssueTemplates,
  type RenderedVariant,
  type SubscriberFields,
} from '../../src/domain/render/index.js';
import type { Taxonomy } from '../../src/domain/taxonomy.js';
import { composeIssue } from '../../src/services/compose-issue.js';
import { aPaper, aSection, anIssue } from '../helpers/issue-builder.js';

const DIGESTS = '../shared/data/digests';
const TRENDING = join(DIGESTS, 'hf-trending-page-mar-14.txt');
const HF_FILES = ['hf-daily-2024-06-28.json', 'hf-daily-2025-10-03.json', 'hf-daily-2026-08-14.json', 'hf-daily-2026-08-20.json'];
const NOW = new Date('2026-03-20T08:00:00Z');
const config = parseConfig({}, {});
const opts = { topics: null, limits: config.render, baseUrl: 'https://papers.example.org' };

// Realistic lengths: signed tokens are ~120 characters.
const subscriber = (issueId: string): SubscriberFields => ({
  name: 'Ada Lovelace',
  email: 'ada.lovelace@example.org',
  unsubscribeUrl: `https://papers.example.org/unsubscribe/${'u'.repeat(120)}`,
  preferencesUrl: `https://papers.example.org/preferences/${'p'.repeat(120)}`,
  webUrl: `https://papers.example.org/archive/${issueId}`,
});

const esc = (s: string) => Handlebars.escapeExpression(cleanText(s));

/** "N more papers in <topic>" counts per topic id, read from the archive links in the output. */
function moreCounts(out: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of out.matchAll(/(\d+) more papers? in [^\n<]*?(?:<\/a>|: \S+#([\w-]+))/g)) {
    if (m[2]) counts.set(m[2], Number(m[1]));
  }
  for (const m of out.matchAll(/href="[^"]*#([\w-]+)">(\d+) more papers? in /g)) counts.set(m[1]!, Number(m[2]));
  return counts;
}

/** Every paper of the variant is shown (title in the output) or counted in its section's "N more" line. */
function expectComplete(issue: Issue, v: RenderedVariant, html: string, text: string): void {
  const htmlMore = moreCounts(html);
  const textMore = moreCounts(text);
  let total = 0;
  const sections = selectSections(issue, v.topicIds);
  expect(sectionIds(html)).toEqual(sections.map((s) => s.topic.id));
  for (const section of sections) {
    const hidden = htmlMore.get(section.topic.id) ?? 0;
    expect(textMore.get(section.topic.id) ?? 0).toBe(hidden);
    const shown = section.papers.slice(0, section.papers.length - hidden);
    for (const p of shown) {
      expect(html, `${p.title} in HTML`).toContain(esc(p.title));
      expect(text, `${p.title} in text`).toContain(cleanText(p.title));
    }
    total += section.papers.length;
  }
  expect(v.paperCount).toBe(total);
}

const sectionIds = (html: string) => [...html.matchAll(/<h2 id="([^"]+)"/g)].map((m) => m[1]);

let templates: IssueTemplates;
let taxonomy: Taxonomy;
beforeAll(async () => {
  templates = await loadIssueTemplates('templates');
  taxonomy = await loadTaxonomy('templates/topics.json');
});

describe('real digests through the shipped templates', () => {
  for (const file of ['hf-trending-page-mar-14.txt', ...HF_FILES]) {
    it(`${file}: fits the size budget and shows or counts every paper`, async () => {
      const issue = await composeIssue(join(DIGESTS, file), taxonomy, NOW);
      const v = (await renderVariant(issue, templates, opts))!;
      const { html, text, subject } = personalise(v, subscriber(issue.id));
      expect(Buffer.byteLength(html, 'utf8')).toBeLessThanOrEqual(95_000);
      expect(headCssBytes(html)).toBeLessThan(16 * 1024);
      expectComplete(issue, v, html, text);
      expect(subject).toMatch(/^Trending papers · \d{1,2} \w{3} \d{4} · \d+ papers?$/);
      expect(html).toContain('<meta name="color-scheme" content="light dark">');
    });
  }

  it('the trending page: 62 papers, many topics, one section per topic, strict size', async () => {
    const issue = await composeIssue(TRENDING, taxonomy, NOW);
    const v = (await renderVariant(issue, templates, opts))!;
    const { html } = personalise(v, subscriber(issue.id));
    expect(v.paperCount).toBe(62);
    // The big topic is capped: some papers are behind a "N more" link to the archive.
    expect([...moreCounts(html).values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(html).toContain(`https://papers.example.org/archive/${issue.id}#`);
    expect(sectionIds(html)).toEqual(issue.sections.map((s) => s.topic.id));
    // One mj-section per topic plus header rows and footer, not one per paper.
    const tables = html.match(/<!--\[if mso \| IE\]><table align="center"/g) ?? [];
    expect(tables.length).toBeLessThanOrEqual(issue.sections.length + 4);
  });

  it('per-topic variants contain only their topics, and have the same papers in the text part', async () => {
    const issue = await composeIssue(TRENDING, taxonomy, NOW);
    for (const section of issue.sections) {
      const v = (await renderVariant(issue, templates, { ...opts, topics: [section.topic.id] }))!;
      const { html, text } = personalise(v, subscriber(issue.id));
      expect(sectionIds(html)).toEqual([section.topic.id]);
      expect(text).toContain(`== ${section.topic.name} ==`);
      for (const other of issue.sections.filter((s) => s !== section)) expect(text).not.toContain(`== ${other.topic.name} ==`);
      expectComplete(issue, v, html, text);
      // Papers from other sections only when they carry this topic too.
      const inVariant = new Set(selectSections(issue, [section.topic.id]).flatMap((s) => s.papers.map((p) => p.id)));
      for (const p of issue.sections.flatMap((s) => s.papers)) expect(inVariant.has(p.id)).toBe(p.topics.includes(section.topic.id));
    }
    const two = issue.sections.slice(0, 2).map((s) => s.topic.id);
    const v = (await renderVariant(issue, templates, { ...opts, topics: [...two].reverse() }))!;
    expect(v.key).toBe([...two].sort().join('+'));
    expect(sectionIds(personalise(v, subscriber(issue.id)).html)).toEqual(two);
  });

  it('returns null for a variant whose topics have no papers in the issue', async () => {
    const issue = await composeIssue(join(DIGESTS, 'arxiv-query-cs-ro-2025-10-17.atom.xml'), taxonomy, NOW);
    const present = new Set(issue.sections.map((s) => s.topic.id));
    const absent = taxonomy.topics.map((t) => t.id).filter((id) => !present.has(id) && !issue.sections.some((s) => s.papers.some((p) => p.topics.includes(id))));
    expect(absent.length).toBeGreaterThan(0);
    expect(await renderVariant(issue, templates, { ...opts, topics: [absent[0]!] })).toBeNull();
  });

  it('personalise fills every slot and leaves no marker behind', async () => {
    const issue = await composeIssue(join(DIGESTS, HF_FILES[3]!), taxonomy, NOW);
    const v = (await renderVariant(issue, templates, opts))!;
    const values = subscriber(issue.id);
    expect(new Set(v.html.keys)).toEqual(new Set(['name', 'email', 'unsubscribeUrl', 'preferencesUrl', 'webUrl']));
    expect(new Set(v.text.keys)).toEqual(new Set(['name', 'email', 'unsubscribeUrl', 'preferencesUrl', 'webUrl']));
    const { html, text } = personalise(v, values);
    expect(html + text).not.toMatch(/[\u0001\u0002]|pb:(name|email|webUrl)/);
    for (const out of [html, text]) {
      expect(out).toContain('Hi Ada Lovelace,');
      expect(out).toContain(values.unsubscribeUrl);
      expect(out).toContain(values.preferencesUrl);
      expect(out).toContain(values.webUrl);
      expect(out).toContain(values.email);
    }
    const anonymous = personalise(v, { ...values, name: '' });
    expect(anonymous.html).toContain('Hi, here is');
    expect(anonymous.text).toContain('Hi, here is');
  });
});

describe('injection through the shipped templates', () => {
  const evil = aPaper({
    title: '<mj-section><mj-column><mj-text>pwned</mj-text></mj-column></mj-section> </mj-text><script>alert(1)</script> {{x}} {{{y}}} \u0001pb:unsubscribeUrl\u0002',
    abstract: '</mj-text></mj-column></mj-section><mj-raw><img src=x onerror=alert(1)></mj-raw> {{#each x}}',
    summary: '<a href="javascript:alert(1)">click</a>',
    authors: ['<b>Mallory</b>', '\u0001pb:email\u0002'],
    url: 'javascript:alert(document.cookie)',
    pdfUrl: 'data:text/html,<script>alert(1)</script>',
    codeUrl: 'https://github.com/x/y"onmouseover="alert(1)',
    projectUrl: 'vbscript:msgbox(1)',
    organization: '<mj-include path="/etc/passwd" />',
  });
  const issue = anIssue([aSection('cv', [evil, aPaper({ title: 'A normal paper' })], '<mj-raw>CV</mj-raw>')]);

  it('escapes everything and cannot forge slots or links', async () => {
    const clean = (await renderVariant(anIssue([aSection('cv', [aPaper()])]), templates, opts))!;
    const v = (await renderVariant(issue, templates, opts))!;
    // Same slots as an issue without hostile text: the digest added none.
    expect(v.html.keys).toEqual(clean.html.keys);
    expect(v.text.keys).toEqual(clean.text.keys);
    const { html, text } = personalise(v, subscriber(issue.id));
    expect(html).not.toMatch(/<mj-|<script|<img|<b>Mallory|"onmouseover/i);
    // Every link in the email is http(s) or an in-page anchor.
    const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!);
    expect(hrefs.length).toBeGreaterThan(5);
    for (const h of hrefs) expect(h).toMatch(/^(https?:\/\/|#)/);
    // Digest text is inert text: the summary's markup is escaped, not a link.
    expect(html).toContain('&lt;a href&#x3D;&quot;javascript:alert(1)&quot;&gt;click&lt;/a&gt;');
    expect(html).toContain('&lt;mj-section&gt;&lt;mj-column&gt;&lt;mj-text&gt;pwned');
    expect(html).toContain('{{x}} {{{y}}}');
    expect(html).toContain('A normal paper');
    expect(html).toContain('href="https://github.com/x/y&quot;onmouseover&#x3D;&quot;alert(1)"');
    expect(text).toContain('{{x}} {{{y}}}');
    expect(text).not.toMatch(/^(Read|PDF|Code|Project page): (?!https?:\/\/)/m);
    expect(text).not.toContain('Read: javascript:');
  });
});

describe('shipped templates', () => {
  it('every email template compiles under MJML strict validation', async () => {
    const names = (await readdir('templates/emails', { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
    expect(names).toEqual(expect.arrayContaining(['issue', 'confirm']));
    for (const name of names) {
      await expect(name === 'issue' ? loadIssueTemplates('templates') : loadEmailTemplates('templates', name)).resolves.toBeDefined();
    }
  });

  it('the confirmation has the button, the expiry and the ignore-me line, and only the address from the visitor', async () => {
    const confirm = await loadEmailTemplates('templates', 'confirm');
    const url = 'https://papers.example.org/confirm/abc.def';
    const out = await renderEmail(confirm, { email: 'ada+<x>@example.org', confirmUrl: url, expiresHours: 48 });
    expect(out.subject).toBe('Confirm your subscription to paperboy');
    const button = /<a\s+href="([^"]+)"[^>]*>\s*Confirm subscription/.exec(out.html);
    expect(button?.[1]).toBe(url);
    expect(out.html).toContain('ada+&lt;x&gt;@example.org');
    for (const part of [out.html, out.text]) {
      expect(part).toContain('48 hours');
      expect(part).toContain("didn't ask");
      expect(part).toContain(url);
    }
    const js = await renderEmail(confirm, { email: 'a@example.org', confirmUrl: 'javascript:alert(1)', expiresHours: 1 });
    expect(js.html + js.text).not.toContain('javascript:');
    expect(js.text).toContain('1 hour.');
  });
});
