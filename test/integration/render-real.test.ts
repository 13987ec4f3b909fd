// Renders the real digests through the shipped templates: every title of the reader's topics, the
// size as sent, ranking, TeX, variants, personalisation and injection.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import { beforeAll, describe, expect, it } from 'vitest';
import { readDigestFile } from '../../src/adapters/digest-file.js';
import { spliceFactory } from '../../src/adapters/message-factory.js';
import { loadEmailTemplates, loadIssueTemplates } from '../../src/adapters/template-files.js';
import { loadTaxonomy } from '../../src/adapters/taxonomy-file.js';
import { parseConfig } from '../../src/config.js';
import type { Issue } from '../../src/domain/issue.js';
import {
  cleanText,
  headCssBytes,
  layoutVariant,
  personalise,
  renderEmail,
  renderVariant,
  renderWebEdition,
  selectSections,
  texToUnicode,
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
const opts = {
  topics: null,
  limits: config.render,
  baseUrl: 'https://papers.example.org',
  publication: { name: 'Trending Papers', contact: 'Trending Papers, 1 Example Street, 12345 Example Town' },
};

// Realistic lengths: signed tokens are ~120 characters.
const subscriber = (issueId: string): SubscriberFields => ({
  name: 'Ada Lovelace',
  email: 'ada.lovelace@example.org',
  unsubscribeUrl: `https://papers.example.org/unsubscribe/${'u'.repeat(120)}`,
  preferencesUrl: `https://papers.example.org/preferences/${'p'.repeat(120)}`,
  webUrl: `https://papers.example.org/archive/${issueId}`,
  stopTopicUrl: `https://papers.example.org/stop-topic/${'s'.repeat(120)}`,
});

const esc = (s: string) => Handlebars.escapeExpression(texToUnicode(cleanText(s)));
// Lines joined again (the text part is wrapped); no-break spaces stay.
const flat = (s: string) => s.replace(/[ \n]+/g, ' ');

/** The section anchors of an email ("top" for Top of the day), in order. */
const sectionIds = (html: string) => [...html.matchAll(/<a name="([^"]+)" id="[^"]+"><\/a><h2>/g)].map((m) => m[1]);

/** The HTML part of a raw message exactly as sent (quoted-printable): what Gmail's ~102 KB clip counts. */
function htmlPartAsSent(raw: Buffer): number {
  const text = raw.toString('latin1');
  const boundary = /boundary="([^"]+)"/.exec(text)![1]!;
  const start = text.indexOf('\r\n\r\n', text.indexOf('Content-Type: text/html'));
  const end = text.indexOf(`\r\n--${boundary}`, start);
  return end - (start + 4);
}

/** Every title of the variant's papers is in the HTML and the text part; the counts agree. */
function expectEveryTitle(issue: Issue, v: RenderedVariant, html: string, text: string): void {
  const papers = selectSections(issue, v.topicIds).flatMap((s) => s.papers);
  expect(v.paperCount).toBe(papers.length);
  expect(v.shownCount).toBe(papers.length);
  const flatText = flat(text);
  for (const p of papers) {
    expect(html, `${p.title} in HTML`).toContain(esc(p.title));
    expect(flatText, `${p.title} in text`).toContain(texToUnicode(cleanText(p.title)));
  }
}

const ALL_FILES = ['hf-trending-page-mar-14.txt', ...HF_FILES, 'arxiv-query-cs-ro-2025-10-17.atom.xml', 'arxiv-query-einstein-2018-02-05.atom.xml'];

let templates: IssueTemplates;
let taxonomy: Taxonomy;
beforeAll(async () => {
  templates = await loadIssueTemplates('templates');
  taxonomy = await loadTaxonomy('templates/topics.json');
});

/** The topic sets readers pick: all, each topic alone, and the biggest two and three together. */
function topicSets(issue: Issue): (string[] | null)[] {
  const bySize = [...issue.sections].sort((a, b) => b.papers.length - a.papers.length).map((s) => s.topic.id);
  return [null, ...bySize.map((id) => [id]), bySize.slice(0, 2), bySize.slice(0, 3), bySize.slice(-3)];
}

describe('real digests through the shipped templates', () => {
  for (const file of ALL_FILES) {
    it(`${file}: every title of the reader's topics in HTML and text, HTML ≤ 95 KB as sent, for several topic sets`, async () => {
      const issue = await composeIssue(join(DIGESTS, file), taxonomy, NOW);
      const settings = { from: 'Trending Papers <papers@example.org>', listId: 'papers.example.org', date: NOW };
      for (const topics of topicSets(issue)) {
        const v = (await renderVariant(issue, templates, { ...opts, topics }))!;
        const fields = subscriber(issue.id);
        const { html, text, subject } = personalise(v, fields);
        expectEveryTitle(issue, v, html, text);
        const raw = (await spliceFactory.buildMessage(spliceFactory.prepareVariant(v, settings), { email: fields.email, messageId: '<x@example.org>', fields })).raw as Buffer;
        const sent = htmlPartAsSent(raw);
        expect(sent, `${file} ${topics?.join('+') ?? 'all'}`).toBeLessThanOrEqual(95_000);
        expect(sent).toBeLessThanOrEqual(v.sentBytes);
        expect(headCssBytes(html)).toBeLessThan(16 * 1024);
        expect(subject).toMatch(/^.+ · \d{1,2} \w{3}$/);
        expect(html).toContain('<meta name="color-scheme" content="light dark">');
        // The text part: lines of 72 columns at most (URLs may run longer), the signature line.
        for (const line of text.split('\n')) {
          if (line.length <= 72) continue;
          expect(line, 'a long line ends in a URL').toMatch(/https?:\/\/\S+$/);
          expect(line.replace(/https?:\/\/\S+$/, '').length, line).toBeLessThanOrEqual(72);
        }
        expect(text).toMatch(/\n-- \n/);
      }
    });
  }

  it('the trending page: all 62 titles in the all-topics email under 95 KB as sent, top papers first, one mj-section per section', async () => {
    const issue = await composeIssue(TRENDING, taxonomy, NOW);
    const v = (await renderVariant(issue, templates, opts))!;
    const { html, text } = personalise(v, subscriber(issue.id));
    expect(v.paperCount).toBe(62);
    expect(v.shownCount).toBe(62);
    expect(v.sentBytes).toBeLessThanOrEqual(95_000);
    expectEveryTitle(issue, v, html, text);
    // The page's own order is its trending rank: its first paper leads, in "Top of the day".
    const first = (await readDigestFile(TRENDING, NOW)).papers[0]!;
    expect(sectionIds(html)[0]).toBe('top');
    expect(html.indexOf(esc(first.title))).toBeLessThan(html.indexOf('<a name="foundations"'));
    expect(v.subject).toMatch(/^What Can Be Learnt With Wide Convolutional Neural… and 61 more · 14 Mar$/);
    // Papers numbered in the text part, a blank line between a title and its abstract.
    expect(text).toMatch(/\n1\. What Can Be Learnt With Wide Convolutional Neural Networks\?\n(\s+\[.+\]\n)?\n {4}Understanding how/);
    const tables = html.match(/<!--\[if mso \| IE\]><table align="center"/g) ?? [];
    expect(tables.length).toBeLessThanOrEqual(sectionIds(html).length + 4);
  });

  it('Hugging Face days: the most upvoted paper first, summaries labelled, counts and links on the card', async () => {
    const issue = await composeIssue(join(DIGESTS, 'hf-daily-2025-10-03.json'), taxonomy, NOW);
    const v = (await renderVariant(issue, templates, opts))!;
    const { html } = personalise(v, subscriber(issue.id));
    const papers = issue.sections.flatMap((s) => s.papers);
    const top = papers.reduce((a, b) => ((b.upvotes ?? 0) > (a.upvotes ?? 0) ? b : a));
    expect(v.subject).toBe('Self-Forcing++ and 38 more · 3 Oct');
    expect(html.indexOf(esc(top.title))).toBeLessThan(Math.min(...papers.filter((p) => p !== top).map((p) => html.indexOf(esc(p.title)))));
    expect(html).toContain('43 upvotes · 2 comments · 1 GitHub star');
    expect(html).toContain('<span class="lb">AI summary</span>');
    expect(html).not.toMatch(/<b>[^<]*A method is proposed/);
    expect(html).toMatch(/<a class="bt" href="https:\/\/arxiv\.org\/pdf\/2510\.02283">PDF<\/a>/);
    // A cut abstract says so, with a link to the paper.
    expect(html).toMatch(/ <a class="mo" href="https:\/\/huggingface\.co\/papers\/2510\.02283">…&nbsp;more<\/a>/);
    // Sections by what they hold for this reader (most papers first), not in the taxonomy's order.
    const layout = layoutVariant(issue, null)!;
    expect(sectionIds(html)).toEqual(['top', ...layout.sections.map((s) => s.topic.id)]);
    const sizes = layout.sections.map((s) => s.papers.length);
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    expect(layout.sections.map((s) => s.topic.id)).not.toEqual(issue.sections.map((s) => s.topic.id).filter((id) => layout.sections.some((s) => s.topic.id === id)));
  });

  it('TeX in real abstracts and titles reaches the reader as Unicode, in HTML, text and subject', async () => {
    const expectations: [string, string[]][] = [
      ['arxiv-query-einstein-2018-02-05.atom.xml', ['(κ,μ)-manifold', 'α-cosymplectic', 'Kähler-Einstein', 'F=α²/β', 'n≥2', 'dθ']],
      ['hf-trending-page-mar-14.txt', ['naïve ML approximations', 'Schrödinger bridge', '“Autoregressive Learning', 'N+D dimensional', 'D=2048', '64×64', 'finite sample setting']],
      ['hf-daily-2025-10-03.json', ['“success” and “failure”']],
      ['hf-daily-2026-08-14.json', ['Track\u00a01']],
    ];
    for (const [file, phrases] of expectations) {
      const issue = await composeIssue(join(DIGESTS, file), taxonomy, NOW);
      // The archive page has every abstract whole; the email as many as fit.
      const web = renderWebEdition(issue, templates, opts)!;
      const v = (await renderVariant(issue, templates, { ...opts, limits: { ...opts.limits, maxAbstractChars: 100_000, maxHtmlBytes: 10_000_000 } }))!;
      const { html, text, subject } = personalise(v, subscriber(issue.id));
      for (const [out, isHtml] of [[web.html, true], [html, true], [flat(text), false], [flat(web.text), false]] as const) {
        for (const phrase of phrases) expect(out, `${file}: ${phrase}`).toContain(isHtml ? Handlebars.escapeExpression(phrase) : phrase);
        expect(out, file).not.toMatch(/\\["'`^~]|\$\\|\\(alpha|kappa|mu|theta|beta|geq|frac|em)\b|``|\{\\|[A-Z]\{[+=]\}/);
      }
      expect(subject).not.toMatch(/\\|\$|``/);
    }
  });

  it('per-topic variants contain only their topics, and have the same papers in the text part', async () => {
    const issue = await composeIssue(TRENDING, taxonomy, NOW);
    for (const section of issue.sections) {
      const v = (await renderVariant(issue, templates, { ...opts, topics: [section.topic.id] }))!;
      const { html, text } = personalise(v, subscriber(issue.id));
      expect(sectionIds(html)).toEqual([section.topic.id]);
      expect(text).toContain(`== ${section.topic.name} ==`);
      for (const other of issue.sections.filter((s) => s !== section)) expect(text).not.toContain(`== ${other.topic.name} ==`);
      expectEveryTitle(issue, v, html, text);
      // A one-topic edition names its topic, in the subject too.
      expect(v.subject.startsWith(`${section.topic.name}: `)).toBe(true);
      // Papers from other sections only when they carry this topic too.
      const inVariant = new Set(selectSections(issue, [section.topic.id]).flatMap((s) => s.papers.map((p) => p.id)));
      for (const p of issue.sections.flatMap((s) => s.papers)) expect(inVariant.has(p.id)).toBe(p.topics.includes(section.topic.id));
    }
    const two = issue.sections.slice(0, 2).map((s) => s.topic.id);
    const v = (await renderVariant(issue, templates, { ...opts, topics: [...two].reverse() }))!;
    expect(v.key).toBe([...two].sort().join('+'));
    const both = personalise(v, subscriber(issue.id));
    for (const id of sectionIds(both.html)) expect(['top', ...two]).toContain(id);
    expectEveryTitle(issue, v, both.html, both.text);
  });

  it('returns null for a variant whose topics have no papers in the issue', async () => {
    const issue = await composeIssue(join(DIGESTS, 'arxiv-query-cs-ro-2025-10-17.atom.xml'), taxonomy, NOW);
    const present = new Set(issue.sections.map((s) => s.topic.id));
    const absent = taxonomy.topics.map((t) => t.id).filter((id) => !present.has(id) && !issue.sections.some((s) => s.papers.some((p) => p.topics.includes(id))));
    expect(absent.length).toBeGreaterThan(0);
    expect(await renderVariant(issue, templates, { ...opts, topics: [absent[0]!] })).toBeNull();
  });

  it('personalise fills every slot, the stop-topic links included, and leaves no marker behind', async () => {
    const issue = await composeIssue(join(DIGESTS, HF_FILES[3]!), taxonomy, NOW);
    const v = (await renderVariant(issue, templates, opts))!;
    const values = subscriber(issue.id);
    const all = ['name', 'email', 'unsubscribeUrl', 'preferencesUrl', 'webUrl', 'stopTopicUrl'];
    expect(new Set(v.html.keys)).toEqual(new Set(all));
    expect(new Set(v.text.keys)).toEqual(new Set(all));
    const { html, text } = personalise(v, values);
    expect(html + text).not.toMatch(/[\u0001\u0002]|pb:(name|email|webUrl)/);
    for (const out of [html, flat(text)]) {
      expect(out).toContain('Hi Ada Lovelace,');
      expect(out).toContain(values.unsubscribeUrl);
      expect(out).toContain(values.preferencesUrl);
      expect(out).toContain(values.webUrl);
      expect(out).toContain(values.email);
    }
    for (const id of sectionIds(html).filter((x) => x !== 'top')) expect(html).toContain(`<a class="stop" href="${values.stopTopicUrl}/${id}">`);
    // The footer names the publication and the contact line.
    expect(html).toContain('<b>Trending Papers</b>');
    expect(html).toContain('1 Example Street, 12345 Example Town');
    expect(text).toContain('1 Example Street, 12345 Example Town');
    const anonymous = personalise(v, { ...values, name: '' });
    expect(anonymous.html).toContain('Hi, here is');
    expect(anonymous.text).toContain('Hi,\nhere is');
  });

  it('the preheader is not hidden text in a colour: no font colour, nothing white', async () => {
    const issue = await composeIssue(TRENDING, taxonomy, NOW);
    const { html } = personalise((await renderVariant(issue, templates, opts))!, subscriber(issue.id));
    const pre = /<div style="display:none;max-height:0;overflow:hidden;mso-hide:all">([^<]*)<\/div>/.exec(html);
    expect(pre?.[1]).toMatch(/^Also: .+ — 62 papers in \d+ topics$/);
    // White text only ever on the blue button of other mails; never here (backgrounds may be white).
    expect(html).not.toMatch(/(?<![-\w])color:\s*#fff(fff)?\b/i);
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
