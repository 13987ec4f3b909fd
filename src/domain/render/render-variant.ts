// One variant = one issue rendered for one set of topics. Handlebars → MJML → HTML runs once per variant;
// subscribers only get string joins (personalise).
import type { Issue } from '../issue.js';
import { cleanText } from './clean.js';
import { compileMjml } from './mjml.js';
import { distrustPrecompiled, precompiledFor } from './precompile.js';
import { fillTemplate, templateBytes, type SubscriberFields, type Template } from './slots.js';
import { cutTemplateOutput, type IssueTemplates } from './templates.js';
import { tightenLimits, type RenderLimits } from './trim.js';
import { buildIssueView, normaliseTopics, type IssueView } from './view-model.js';

export interface RenderOptions {
  /** Null (or empty) = all topics. */
  topics: string[] | null;
  limits: RenderLimits;
  baseUrl: string;
}

export interface RenderedVariant {
  key: string;
  topicIds: string[] | null;
  paperCount: number;
  subject: string;
  html: Template;
  text: Template;
}

/** The same key for the same set of topics: sorted ids joined by "+", or "all". */
export function variantKey(topics: readonly string[] | null): string {
  const t = normaliseTopics(topics ? [...topics] : null);
  return t ? t.join('+') : 'all';
}

// Views built per render at most; a render that still overshoots after them is returned as is.
const MAX_PASSES = 12;

// Templates whose precompiled output has been checked against the per-variant path on real data.
const checkedOnRealData = new WeakSet<IssueTemplates>();

async function renderHtml(view: IssueView, subject: string, templates: IssueTemplates): Promise<Template> {
  const data = { ...view, subject };
  // MJML once per template, Handlebars per variant (precompile.ts); the first real variant is also
  // compiled the slow way and must match, else this template goes back to MJML per variant.
  const pre = await precompiledFor(templates);
  let html: string;
  if (pre && checkedOnRealData.has(templates)) html = pre.render(data);
  else {
    // The check is cacheable (usually it is the load-time validation's sample); MJML per variant is not.
    html = await compileMjml(templates.html(data), templates.files.html, { cacheable: pre !== null });
    if (pre) {
      if (pre.render(data) === html) checkedOnRealData.add(templates);
      else distrustPrecompiled(templates);
    }
  }
  return cutTemplateOutput(html, templates.files.html);
}

/**
 * Renders one variant, or null when the chosen topics have no papers in this issue. If the HTML exceeds
 * limits.maxHtmlBytes (estimated for the longest subscriber values), abstracts are shortened and papers
 * per topic cut, and it renders again.
 */
export async function renderVariant(issue: Issue, templates: IssueTemplates, opts: RenderOptions): Promise<RenderedVariant | null> {
  const topicIds = normaliseTopics(opts.topics);
  let limits: RenderLimits = { ...opts.limits };
  let last: { view: IssueView; subject: string; html: Template; bytes: number } | undefined;
  let lastData: string | undefined;
  for (let pass = 1; pass <= MAX_PASSES; pass++) {
    const view = buildIssueView(issue, { topics: topicIds, limits, baseUrl: opts.baseUrl });
    if (!view) return null;
    // Sentence-boundary trimming often leaves a slightly tighter limit with the same text: skip the
    // render. (Serialised only from the second pass on: most variants take one.)
    if (last) {
      lastData ??= JSON.stringify(last.view);
      const data = JSON.stringify(view);
      if (data === lastData) {
        const next = tightenLimits(limits, last.bytes);
        if (!next) break;
        limits = next;
        continue;
      }
      lastData = data;
    }
    const subject = cleanText(templates.subject(view));
    const html = await renderHtml(view, subject, templates);
    last = { view, subject, html, bytes: templateBytes(html) };
    const next = tightenLimits(limits, last.bytes);
    if (!next) break;
    limits = next;
  }
  const { view, subject, html } = last!;
  return {
    key: variantKey(topicIds),
    topicIds,
    paperCount: view.issue.paperCount,
    subject,
    html,
    text: cutTemplateOutput(templates.text(view), templates.files.text),
  };
}

/** What a variant is, without rendering it: null when the topics have no papers (as renderVariant). */
export interface VariantInfo {
  key: string;
  topicIds: string[] | null;
  paperCount: number;
  subject: string;
}

/**
 * renderVariant's answer to "is there anything to send, and what is it called" at a fraction of the
 * cost (no HTML): a send decides who gets what for thousands of variants before rendering any.
 */
export function describeVariant(issue: Issue, templates: IssueTemplates, opts: RenderOptions): VariantInfo | null {
  const topicIds = normaliseTopics(opts.topics);
  const view = buildIssueView(issue, { topics: topicIds, limits: opts.limits, baseUrl: opts.baseUrl });
  if (!view) return null;
  return { key: variantKey(topicIds), topicIds, paperCount: view.issue.paperCount, subject: cleanText(templates.subject(view)) };
}

export function personalise(v: RenderedVariant, values: SubscriberFields): { subject: string; html: string; text: string } {
  return { subject: v.subject, html: fillTemplate(v.html, values, 'html'), text: fillTemplate(v.text, values, 'text') };
}
