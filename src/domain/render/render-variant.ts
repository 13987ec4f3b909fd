// One variant = one issue rendered for one set of topics. Handlebars → MJML → HTML runs once per variant;
// subscribers only get string joins (personalise).
import { PaperboyError } from '../../errors.js';
import type { Issue } from '../issue.js';
import { cleanText } from './clean.js';
import { compileMjml } from './mjml.js';
import { distrustPrecompiled, precompiledFor } from './precompile.js';
import { encodeQpChunks } from '../mime/mime-template.js';
import { fillTemplate, sentBytes, type SubscriberFields, type Template } from './slots.js';
import { cutTemplateOutput, type IssueTemplates } from './templates.js';
import type { RenderLimits } from './trim.js';
import {
  detailAt,
  fullDetail,
  lastDetailStep,
  layoutVariant,
  normaliseTopics,
  viewFromLayout,
  type IssueView,
  type Publication,
  type VariantLayout,
} from './view-model.js';

export interface RenderOptions {
  /** Null (or empty) = all topics. */
  topics: string[] | null;
  limits: RenderLimits;
  baseUrl: string;
  /** Publication name and contact line for the header and footer. */
  publication?: Publication;
}

export interface RenderedVariant {
  key: string;
  topicIds: string[] | null;
  paperCount: number;
  /** Papers whose title is in the email (all of them unless even titles overran the budget). */
  shownCount: number;
  subject: string;
  html: Template;
  text: Template;
  /** The HTML part's size as sent (quoted-printable), estimated for the longest subscriber values. */
  sentBytes: number;
  /** html's chunks quoted-printable, as measured for sentBytes: the MIME message reuses them. */
  htmlEncoded: Uint8Array[];
}

/** The same key for the same set of topics: sorted ids joined by "+", or "all". */
export function variantKey(topics: readonly string[] | null): string {
  const t = normaliseTopics(topics ? [...topics] : null);
  return t ? t.join('+') : 'all';
}

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

/** Full cards the budget keeps the longest: "Top of the day", or the three best papers. */
const keptFull = (layout: VariantLayout) => Math.max(layout.top.length, Math.min(3, layout.ranked.length));

/**
 * Renders one variant, or null when the chosen topics have no papers in this issue. Every paper of
 * the variant is in it; the byte budget (limits.maxHtmlBytes, as sent) decides how much of each
 * shows. Every paper a full card when that fits (most variants: one render); otherwise the layout
 * with the fewest papers shortened that fits, found by bisecting detailAt's steps (docs/decisions/009).
 */
export async function renderVariant(issue: Issue, templates: IssueTemplates, opts: RenderOptions): Promise<RenderedVariant | null> {
  const layout = layoutVariant(issue, opts.topics);
  if (!layout) return null;
  const n = layout.ranked.length;
  const keep = keptFull(layout);
  const viewOpts = { topics: layout.topics, limits: opts.limits, baseUrl: opts.baseUrl, ...(opts.publication ? { publication: opts.publication } : {}) };
  const first = viewFromLayout(issue, layout, { ...viewOpts, detail: fullDetail(n) });
  // The subject names the top paper and the count: the same at every level of detail.
  const subject = cleanText(templates.subject(first));
  const renders = new Map<number, Promise<{ view: IssueView; html: Template; encoded: Uint8Array[]; bytes: number }>>();
  const at = (step: number) => {
    let r = renders.get(step);
    if (!r) {
      const view = step === 0 ? first : viewFromLayout(issue, layout, { ...viewOpts, detail: detailAt(step, n, keep) });
      r = renderHtml(view, subject, templates).then((html) => {
        const encoded = encodeQpChunks(html.chunks);
        return { view, html, encoded, bytes: sentBytes(html, encoded) };
      });
      renders.set(step, r);
    }
    return r;
  };
  const budget = opts.limits.maxHtmlBytes;
  let chosen = 0;
  if ((await at(0)).bytes > budget) {
    // Bytes shrink with every step: the smallest step that fits, or the last one if none does.
    let lo = 0;
    let hi = lastDetailStep(n, keep);
    if ((await at(hi)).bytes <= budget) {
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if ((await at(mid)).bytes <= budget) hi = mid;
        else lo = mid;
      }
    }
    chosen = hi;
  }
  const { view, html, encoded, bytes } = await at(chosen);
  return {
    key: variantKey(layout.topics),
    topicIds: layout.topics,
    paperCount: n,
    shownCount: view.issue.shownCount,
    subject,
    html,
    text: cutTemplateOutput(templates.text({ ...view, subject }), templates.files.text),
    sentBytes: bytes,
    htmlEncoded: encoded,
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
  const layout = layoutVariant(issue, opts.topics);
  if (!layout) return null;
  const view = viewFromLayout(issue, layout, { topics: layout.topics, limits: opts.limits, baseUrl: opts.baseUrl, ...(opts.publication ? { publication: opts.publication } : {}) });
  return { key: variantKey(layout.topics), topicIds: layout.topics, paperCount: layout.ranked.length, subject: cleanText(templates.subject(view)) };
}

export function personalise(v: RenderedVariant, values: SubscriberFields): { subject: string; html: string; text: string } {
  return { subject: v.subject, html: fillTemplate(v.html, values, 'html'), text: fillTemplate(v.text, values, 'text') };
}

/** The archive page of an issue: every paper, whole abstracts, no personal links (templates.web). */
export interface WebEdition {
  subject: string;
  paperCount: number;
  /** A page fragment for the site's layout. */
  html: string;
  text: string;
}

const NO_SUBSCRIBER: SubscriberFields = { name: '', email: '', unsubscribeUrl: '', preferencesUrl: '', webUrl: '', stopTopicUrl: '' };

/** Null when the templates have no web template (then the archive keeps the email's HTML). */
export function renderWebEdition(issue: Issue, templates: IssueTemplates, opts: Omit<RenderOptions, 'topics'>): WebEdition | null {
  const layout = layoutVariant(issue, null);
  if (!layout || !templates.web) return null;
  const view = viewFromLayout(issue, layout, {
    topics: null,
    limits: opts.limits,
    baseUrl: opts.baseUrl,
    web: true,
    ...(opts.publication ? { publication: opts.publication } : {}),
  });
  const subject = cleanText(templates.subject(view));
  const data = { ...view, subject };
  const html = cutTemplateOutput(templates.web(data), templates.webFile ?? 'web template');
  if (html.keys.length > 0) {
    const file = templates.webFile ?? 'the web template';
    throw new PaperboyError('TEMPLATE_INVALID', `Template ${file} uses ${html.keys.map((k) => `{{slot "${k}"}}`).join(', ')}: the archive page is the same for everyone, so it has no personal slots.`, { file });
  }
  return {
    subject,
    paperCount: layout.ranked.length,
    html: html.chunks.join(''),
    text: fillTemplate(cutTemplateOutput(templates.text(data), templates.files.text), NO_SUBSCRIBER, 'text'),
  };
}
