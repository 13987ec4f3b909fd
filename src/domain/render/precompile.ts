// MJML compiled once per template instead of once per variant. Handlebars expressions survive an
// MJML compile, so the issue template goes through MJML a single time with its Handlebars left in,
// and each variant is then a Handlebars render of the compiled HTML (~1 ms instead of ~25 ms; with
// hundreds of topic combinations per issue that is the difference between seconds and minutes).
//
// Three things make the result byte-identical to compiling each variant's MJML:
//  - partials are inlined first (MJML would not know what `{{> paper-card}}` is);
//  - Handlebars blocks sitting between MJML components (`{{#each}}`, `{{else}}`, `{{/each}}`) are
//    wrapped in <mj-raw>, or MJML would drop them;
//  - MJML trims the content of tags like <mj-text>; a value that renders empty at the end of one
//    would be trimmed after Handlebars ran in the per-variant path, so that content is fenced with
//    two control characters (never in data: cleanText strips them) and trimmed after rendering.
// Templates this cannot handle (an expression directly between components, a partial with
// arguments, an MJML error) give null, and the caller compiles per variant as before. Callers also
// compare both paths on sample data before trusting a precompiled template (see render-variant.ts).
import { cleanText } from './clean.js';
import { compileOptions, createHandlebars } from './handlebars-env.js';
import { collapseIndentation, collapseWhitespaceRuns, compileMjml } from './mjml.js';
import { SAMPLE_DETAILS, SAMPLE_ISSUE } from './sample-data.js';
import type { IssueTemplates, PartialSource, TemplateSource } from './templates.js';
import { buildIssueView, type IssueView } from './view-model.js';

/** MJML tags whose content is HTML/text, not MJML components (MJML keeps it as is, trimmed). */
const CONTENT_TAGS = new Set([
  'mj-text',
  'mj-button',
  'mj-raw',
  'mj-table',
  'mj-navbar-link',
  'mj-accordion-title',
  'mj-accordion-text',
  'mj-social-element',
  'mj-title',
  'mj-preview',
  'mj-style',
  'mj-html-attribute',
]);
const TRIM_START = '\u0003';
const TRIM_END = '\u0004';

export interface PrecompiledHtml {
  /** The same HTML that compiling `template(data)` through MJML gives (indentation collapsed). */
  render(data: object): string;
}

class Unsupported extends Error {}

/** Replaces `{{> name}}` with the partial's source, recursively. Partials with arguments are unsupported. */
export function inlinePartials(source: string, partials: ReadonlyMap<string, string>, depth = 0): string {
  if (depth > 8) throw new Unsupported('partials nest too deeply');
  return source.replace(/\{\{(~?)>\s*([^}\s~]+)([^}]*)\}\}/g, (_m, tilde: string, name: string, rest: string) => {
    // `~` strips whitespace around the partial's output, which textual inlining cannot reproduce.
    if (tilde || rest.includes('~')) throw new Unsupported(`partial ${name} uses whitespace control`);
    if (rest.trim() !== '') throw new Unsupported(`partial ${name} has arguments`);
    const p = partials.get(name);
    if (p === undefined) throw new Unsupported(`unknown partial ${name}`);
    return inlinePartials(p, partials, depth + 1);
  });
}

/** End index (exclusive) of the mustache starting at `i`; comments `{{!-- … --}}` may contain `}}`. */
function mustacheEnd(src: string, i: number): number {
  const end = src.startsWith('{{!--', i) ? src.indexOf('--}}', i) + 4 : src.indexOf('}}', i) + 2;
  if (end < i + 4) throw new Unsupported('unclosed {{');
  return end;
}

/** End index (exclusive) of the tag starting at `i`: quotes and mustaches inside attributes skipped. */
function tagEnd(src: string, i: number): number {
  let quote: string | null = null;
  for (let j = i + 1; j < src.length; j++) {
    if (src.startsWith('{{', j)) {
      j = mustacheEnd(src, j) - 1;
      continue;
    }
    const c = src[j];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return j + 1;
  }
  throw new Unsupported('unclosed tag');
}

/**
 * Wraps block mustaches between components in <mj-raw> and fences the content of content tags that
 * hold mustaches. Throws Unsupported for an expression that sits directly between components.
 */
export function prepareForMjml(src: string): string {
  let out = '';
  let i = 0;
  while (i < src.length) {
    const lt = src.indexOf('<', i);
    const mu = src.indexOf('{{', i);
    if (lt < 0 && mu < 0) {
      out += src.slice(i);
      break;
    }
    if (mu >= 0 && (lt < 0 || mu < lt)) {
      const end = mustacheEnd(src, mu);
      const token = src.slice(mu, end);
      out += src.slice(i, mu);
      if (/^\{\{~?!/.test(token)) out += token;
      else if (/^\{\{~?\s*(#|\^|\/|else\b)/.test(token)) out += `<mj-raw>${token}</mj-raw>`;
      else throw new Unsupported(`${token} sits between MJML components`);
      i = end;
      continue;
    }
    if (src.startsWith('<!--', lt)) {
      const end = src.indexOf('-->', lt);
      if (end < 0) throw new Unsupported('unclosed comment');
      out += src.slice(i, end + 3);
      i = end + 3;
      continue;
    }
    const end = tagEnd(src, lt);
    const tag = src.slice(lt, end);
    out += src.slice(i, end);
    i = end;
    const name = /^<(mj-[a-z-]+)/.exec(tag)?.[1];
    if (name && CONTENT_TAGS.has(name) && !tag.endsWith('/>')) {
      // Content tags hold no nested tag of the same name: the content runs to the closing tag.
      const close = src.indexOf(`</${name}`, i);
      if (close < 0) throw new Unsupported(`<${name}> is not closed`);
      const content = src.slice(i, close);
      out += content.includes('{{') ? `${TRIM_START}${content}${TRIM_END}` : content;
      i = close;
    }
  }
  return out;
}

// What MJML does to the whole document after rendering; repeated once Handlebars has run, because
// sections a loop puts side by side only become adjacent then.
const mergeOutlookConditionals = (html: string) => html.replace(/(<!\[endif]-->\s*?<!--\[if mso \| IE]>)/gm, '');
// trimStart/trimEnd strip exactly what MJML's String.trim does (a regex with a leading \s* would
// retry at every space of the document).
function trimFenced(html: string): string {
  if (!html.includes(TRIM_END)) return html;
  const ends = html.split(TRIM_END);
  for (let i = 0; i < ends.length - 1; i++) ends[i] = ends[i]!.trimEnd();
  const starts = ends.join('').split(TRIM_START);
  for (let i = 1; i < starts.length; i++) starts[i] = starts[i]!.trimStart();
  return starts.join('');
}

type Attempt = { pre: PrecompiledHtml } | { why: string };

async function attemptPrecompile(html: TemplateSource, partials: readonly PartialSource[]): Promise<Attempt> {
  try {
    const sources = new Map(partials.filter((p) => p.format !== 'text').map((p) => [p.name, p.source]));
    const mjml = prepareForMjml(inlinePartials(html.source, sources));
    const compiled = await compileMjml(mjml, html.path, { cacheable: true });
    const hbs = createHandlebars('html');
    const fn = hbs.compile(compiled, compileOptions('html'));
    // Rendered output holds a <pre> or <textarea> only if the compiled template does: values are
    // escaped and the helpers emit no tags. Without one (or a tag name made by an expression), the
    // per-render check of collapseIndentation is known to pass and is skipped (~15 µs per variant).
    const collapse = /<(pre|textarea)\b/i.test(compiled) || compiled.includes('<{{') ? collapseIndentation : collapseWhitespaceRuns;
    return { pre: { render: (data) => collapse(mergeOutlookConditionals(trimFenced(fn(data)))) } };
  } catch (e) {
    // Unsupported shape or an MJML error: the per-variant path reports real template errors.
    return { why: e instanceof Unsupported ? e.message : `MJML could not compile it with its Handlebars left in (${(e as Error).message.split('\n')[0]})` };
  }
}

export async function precompileHtml(html: TemplateSource, partials: readonly PartialSource[]): Promise<PrecompiledHtml | null> {
  const a = await attemptPrecompile(html, partials);
  return 'pre' in a ? a.pre : null;
}

/**
 * The per-variant path: Handlebars → MJML → HTML. `cacheable` for the checks, which compile the same
 * sample data on every run (see compileMjml).
 */
export async function compileView(templates: IssueTemplates, data: object, opts: { cacheable?: boolean } = {}): Promise<string> {
  return compileMjml(templates.html(data), templates.files.html, opts);
}

/** Template data for a view, as renderVariant builds it. */
export const viewData = (templates: IssueTemplates, view: IssueView) => ({ ...view, subject: cleanText(templates.subject(view)) });

const cache = new WeakMap<IssueTemplates, Promise<PrecompiledHtml | null>>();
/** Why these templates are not precompiled, once precompiledFor (or a real render) said no. */
const reasons = new WeakMap<IssueTemplates, string>();

/**
 * The precompiled HTML template of these templates, or null (then compile per variant). Trusted only
 * after it gives byte for byte the per-variant output on the sample issue: all topics at every level
 * of detail (full cards, brief papers, titles alone, a "more" line), one topic, and short abstracts.
 */
export function precompiledFor(templates: IssueTemplates): Promise<PrecompiledHtml | null> {
  let p = cache.get(templates);
  if (!p) {
    p = (async () => {
      const no = (why: string) => (reasons.set(templates, why), null);
      if (!templates.sources) return no('its sources were not kept');
      const attempt = await attemptPrecompile(templates.sources.html, templates.sources.partials);
      if ('why' in attempt) return no(attempt.why);
      const pre = attempt.pre;
      const base = 'https://example.org';
      const publication = { name: 'Sample papers', contact: 'Sample Street 1, Sample Town' };
      const samples = [
        ...SAMPLE_DETAILS.map((detail) => buildIssueView(SAMPLE_ISSUE, { topics: null, limits: { maxAbstractChars: 420 }, baseUrl: base, detail, publication })),
        buildIssueView(SAMPLE_ISSUE, { topics: ['sample-b'], limits: { maxAbstractChars: 420 }, baseUrl: base }),
        buildIssueView(SAMPLE_ISSUE, { topics: null, limits: { maxAbstractChars: 80 }, baseUrl: base }),
      ];
      for (const view of samples) {
        if (!view) continue;
        const data = viewData(templates, view);
        try {
          if (pre.render(data) !== (await compileView(templates, data, { cacheable: true }))) return no('compiled once, it renders the sample issue differently from MJML per variant');
        } catch (e) {
          return no(`the sample issue does not render (${(e as Error).message.split('\n')[0]})`);
        }
      }
      return pre;
    })();
    cache.set(templates, p);
  }
  return p;
}

/** Stops using the precompiled template for these templates (a real render disagreed). */
export function distrustPrecompiled(templates: IssueTemplates): void {
  reasons.set(templates, 'compiled once, it rendered a variant differently from MJML per variant');
  cache.set(templates, Promise.resolve(null));
}

/**
 * Undefined when these templates render every variant from one MJML compile; else why each variant
 * goes through MJML (~25 ms each instead of ~1 ms: worth telling whoever sends to many topic sets).
 */
export async function whyNotPrecompiled(templates: IssueTemplates): Promise<string | undefined> {
  return (await precompiledFor(templates)) ? undefined : (reasons.get(templates) ?? 'unknown');
}
