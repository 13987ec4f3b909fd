import { describe, expect, it } from 'vitest';
import { LONG_ABSTRACT, aBigIssue, aPaper, aSection, anIssue } from '../../../test/helpers/issue-builder.js';
import { personalise, renderVariant, variantKey } from './render-variant.js';
import { renderEmail } from './render-email.js';
import { sentBytes, templateBytes, type SubscriberFields } from './slots.js';
import { compileEmailTemplates, type EmailTemplateSources } from './templates.js';
import { validateIssueTemplates } from './validate.js';

// Small inline templates: these tests are about the mechanism; the shipped templates are tested in
// test/integration/render-real.test.ts.
const HTML = `<mjml><mj-body><mj-section><mj-column>
<mj-text>{{greeting "Hi"}} <a href="{{slot "webUrl"}}">web</a></mj-text>
{{#if top}}{{#each top.papers}}{{> card}}{{/each}}{{/if}}
{{#each sections}}<mj-text><h2 id="{{id}}">{{name}}</h2></mj-text>
{{#each papers}}{{> card}}{{/each}}{{#if more}}<mj-text><a href="{{more.url}}">{{more.count}} more</a></mj-text>{{/if}}{{/each}}
<mj-text>{{slot "email"}} <a href="{{slot "unsubscribeUrl"}}">unsubscribe</a> <a href="{{slot "preferencesUrl"}}">prefs</a></mj-text>
</mj-column></mj-section></mj-body></mjml>`;

const sources = (over: Partial<EmailTemplateSources> = {}): EmailTemplateSources => ({
  name: 'issue',
  subject: { path: 'subject.hbs', source: 'Papers · {{issue.dateLabel}} · {{plural issue.paperCount "paper"}}' },
  html: { path: 'html.mjml.hbs', source: HTML },
  text: {
    path: 'text.hbs',
    source: '{{greeting "Hi"}}\n{{#each sections}}== {{name}}\n{{#each papers}}{{title}} {{url}}\n{{/each}}{{/each}}{{slot "unsubscribeUrl"}}\n',
  },
  partials: [
    {
      path: 'card.mjml.hbs',
      name: 'card',
      format: 'html',
      source: '<mj-text><a href="{{url}}">{{title}}</a>{{#if full}} {{abstract}} {{#each links}}<a href="{{url}}">{{label}}</a>{{/each}}{{else if brief}} {{line}}{{/if}}</mj-text>',
    },
  ],
  ...over,
});

const templates = compileEmailTemplates(sources());
const limits = { maxAbstractChars: 420, maxHtmlBytes: 95_000 };
const base = { topics: null, limits, baseUrl: 'https://papers.example.org' };
const ada: SubscriberFields = {
  name: 'Ada',
  email: 'ada@example.org',
  unsubscribeUrl: 'https://papers.example.org/unsubscribe/T1',
  preferencesUrl: 'https://papers.example.org/preferences/T1',
  webUrl: 'https://papers.example.org/archive/x',
  stopTopicUrl: 'https://papers.example.org/stop-topic/T1',
};

describe('variantKey', () => {
  it('is the same for the same set of topics', () => {
    expect(variantKey(['nlp', 'cv', 'nlp'])).toBe(variantKey(['cv', 'nlp']));
    expect(variantKey(['cv', 'nlp'])).toBe('cv+nlp');
    expect(variantKey(null)).toBe('all');
    expect(variantKey([])).toBe('all');
    expect(variantKey(['cv'])).not.toBe(variantKey(['nlp']));
  });
});

describe('renderVariant', () => {
  it('returns null when the chosen topics have no papers', async () => {
    const issue = anIssue([aSection('cv', [aPaper()])]);
    expect(await renderVariant(issue, templates, { ...base, topics: ['nlp'] })).toBeNull();
  });

  it('compiles once into chunks that personalise fills with joins', async () => {
    const reading = aPaper({ title: 'Reading things' });
    const issue = anIssue([aSection('cv', [aPaper({ title: 'Seeing things' })]), aSection('nlp', [reading])]);
    const v = (await renderVariant(issue, templates, { ...base, topics: ['nlp'] }))!;
    expect(v).toMatchObject({ key: 'nlp', topicIds: ['nlp'], paperCount: 1, subject: 'Papers · 14 Mar 2026 · 1 paper' });
    expect(v.html.keys).toEqual(['name', 'webUrl', 'email', 'unsubscribeUrl', 'preferencesUrl']);
    const out = personalise(v, ada);
    expect(out.html).toContain('Hi Ada,');
    expect(out.html).toContain('href="https://papers.example.org/unsubscribe/T1"');
    expect(out.html).toContain('Reading things');
    expect(out.html).not.toContain('Seeing things');
    expect(out.text).toBe(`Hi Ada,\n== NLP\nReading things ${reading.url}\nhttps://papers.example.org/unsubscribe/T1\n`);
    expect(out.html + out.text).not.toMatch(/[\u0001\u0002]/);
    expect(personalise(v, { ...ada, name: '' }).text.startsWith('Hi,\n')).toBe(true);
  });

  it('escapes digest text: no markup, no MJML, no template syntax, no script links, no forged slots', async () => {
    const evil = aPaper({
      title: '<mj-section></mj-text><script>alert(1)</script> {{x}} \u0001pb:email\u0002 &#1;pb:webUrl&#2;',
      abstract: '</mj-column></mj-section><mj-raw><img src=x onerror=alert(1)></mj-raw>',
      url: 'javascript:alert(1)',
      codeUrl: 'https://github.com/x/y"><script>alert(2)</script>',
    });
    const v = (await renderVariant(anIssue([aSection('cv', [evil])]), templates, base))!;
    expect(v.html.keys).toEqual(['name', 'webUrl', 'email', 'unsubscribeUrl', 'preferencesUrl']);
    expect(v.text.keys).toEqual(['name', 'unsubscribeUrl']);
    const { html, text } = personalise(v, ada);
    expect(html).not.toMatch(/<script|<mj-|<img|javascript:/i);
    expect(html).toContain('&lt;mj-section&gt;&lt;/mj-text&gt;&lt;script&gt;');
    expect(html).toContain('{{x}}');
    expect(html).toContain('href="https://github.com/x/y&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;"');
    // The title is plain text in the text part, but still cannot become a slot.
    // (The text part is wrapped at 72 columns.)
    expect(text.replace(/\n/g, ' ')).toContain('<mj-section></mj-text><script>alert(1)</script> {{x}} pb:email &#1;pb:webUrl&#2;');
    expect(text).not.toContain('ada@example.org');
  });

  it('keeps every paper and lets the budget (as sent) decide how much of each shows', async () => {
    const issue = aBigIssue(40, 4);
    const loose = (await renderVariant(issue, templates, { ...base, limits: { ...limits, maxHtmlBytes: 10_000_000 } }))!;
    expect(loose.shownCount).toBe(40);
    expect(loose.sentBytes).toBe(sentBytes(loose.html));
    // Quoted-printable makes the message bigger than the HTML (every "=" is three bytes).
    expect(loose.sentBytes).toBeGreaterThan(templateBytes(loose.html));
    const budget = Math.floor(loose.sentBytes * 0.7);
    const tight = (await renderVariant(issue, templates, { ...base, limits: { ...limits, maxHtmlBytes: budget } }))!;
    expect(tight.sentBytes).toBeLessThanOrEqual(budget);
    expect(tight.paperCount).toBe(40);
    expect(tight.shownCount).toBe(40);
    const html = personalise(tight, ada).html;
    for (const s of issue.sections) for (const p of s.papers.slice(0, 3)) expect(html).toContain(p.title);
    // The best papers keep their abstract; the last ones do not.
    const abstracts = html.split(LONG_ABSTRACT.slice(0, 60)).length - 1;
    expect(abstracts).toBeGreaterThan(0);
    expect(abstracts).toBeLessThan(40);
    // A budget too small even for the titles leaves the last ones out, and says where they are.
    const tiny = (await renderVariant(issue, templates, { ...base, limits: { ...limits, maxHtmlBytes: 4000 } }))!;
    expect(tiny.shownCount).toBeLessThan(40);
    expect(tiny.shownCount).toBeGreaterThan(0);
    expect(personalise(tiny, ada).html).toMatch(/\d+ more<\/a>/);
  });
});

describe('compileEmailTemplates', () => {
  it('names the file on a Handlebars syntax error', () => {
    expect(() => compileEmailTemplates(sources({ html: { path: 'emails/issue/html.mjml.hbs', source: '<mjml>{{#each x}}</mjml>' } }))).toThrow(
      expect.objectContaining({ code: 'TEMPLATE_INVALID', message: expect.stringContaining('emails/issue/html.mjml.hbs') }),
    );
  });

  it('refuses raw output in HTML templates and partials', () => {
    expect(() => compileEmailTemplates(sources({ html: { path: 'h.mjml.hbs', source: '<mjml>{{{title}}}</mjml>' } }))).toThrow(/raw output/);
    const partials = [{ path: 'partials/p.mjml.hbs', name: 'p', format: 'html' as const, source: '{{& title}}' }];
    expect(() => compileEmailTemplates(sources({ partials }))).toThrow(/partials\/p.mjml.hbs.*raw output/);
  });

  it('reports MJML strict errors and unknown slots at validation, naming the file', async () => {
    const bad = compileEmailTemplates(sources({ html: { path: 'emails/issue/html.mjml.hbs', source: '<mjml><mj-body><mj-section><mj-text>x</mj-text></mj-section></mj-body></mjml>' } }));
    await expect(validateIssueTemplates(bad)).rejects.toMatchObject({ code: 'TEMPLATE_INVALID', message: expect.stringMatching(/html\.mjml\.hbs[\s\S]*mj-text/) });
    const slot = compileEmailTemplates(sources({ text: { path: 'emails/issue/text.hbs', source: '{{slot "password"}}' } }));
    await expect(validateIssueTemplates(slot)).rejects.toMatchObject({ code: 'TEMPLATE_INVALID', message: expect.stringMatching(/text\.hbs.*unknown slot/) });
    const partial = compileEmailTemplates(sources({ partials: [] }));
    await expect(validateIssueTemplates(partial)).rejects.toMatchObject({ message: expect.stringMatching(/html\.mjml\.hbs.*card/) });
  });
});

describe('renderEmail', () => {
  it('renders a one-off email with escaped data and http(s)-only links', async () => {
    const confirm = compileEmailTemplates({
      name: 'confirm',
      subject: { path: 's.hbs', source: 'Confirm {{email}}' },
      html: { path: 'h.mjml.hbs', source: '<mjml><mj-body><mj-section><mj-column><mj-button href="{{httpUrl confirmUrl}}">Go</mj-button><mj-text>{{email}}</mj-text></mj-column></mj-section></mj-body></mjml>' },
      text: { path: 't.hbs', source: '{{email}} {{httpUrl confirmUrl}}' },
      partials: [],
    });
    const ok = await renderEmail(confirm, { email: 'a<b>@example.org', confirmUrl: 'https://x.org/confirm/T' });
    expect(ok.subject).toBe('Confirm a<b>@example.org');
    expect(ok.html).toContain('href="https://x.org/confirm/T"');
    expect(ok.html).toContain('a&lt;b&gt;@example.org');
    expect(ok.text).toBe('a<b>@example.org https://x.org/confirm/T');
    const bad = await renderEmail(confirm, { email: 'a@example.org', confirmUrl: 'javascript:alert(1)' });
    expect(bad.html).not.toContain('javascript:');
  });
});
