// Builds the data the issue templates see. Every string from the digest is cleaned here (control
// characters out, whitespace collapsed) and every link is checked to be http(s); Handlebars then
// HTML-escapes it. Templates never see a raw Paper.
import type { ClassifiedPaper, Issue, IssueSection } from '../issue.js';
import { cleanText, safeHttpUrl } from './clean.js';
import { capPapers, shortenAuthors, trimAbstract, type RenderLimits } from './trim.js';

export interface LinkView {
  label: string;
  url: string;
}

export interface PaperView {
  id: string;
  title: string;
  url?: string;
  authors: string;
  /** "A, B, C et al. · Org · 123 upvotes": the byline, empty parts left out. */
  meta: string;
  summary?: string;
  abstract: string;
  abstractTrimmed: boolean;
  links: LinkView[];
  upvotes?: number;
  comments?: number;
  organization?: string;
}

export interface SectionView {
  /** Topic id, also the anchor in the email and in the web archive. */
  id: string;
  name: string;
  description: string;
  /** Papers in this section of the variant, shown or not. */
  count: number;
  papers: PaperView[];
  more: { count: number; url: string } | null;
}

export interface IssueView {
  issue: {
    id: string;
    date: string;
    /** "14 Mar 2026". */
    dateLabel: string;
    title?: string;
    source: string;
    /** Papers in this variant (shown plus those behind "N more"). */
    paperCount: number;
    shownCount: number;
    topicCount: number;
    archiveUrl: string;
  };
  /** Null topics = all topics. */
  variant: { topics: string[] | null; topicNames: string[] };
  preheader: string;
  sections: SectionView[];
  baseUrl: string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function dateLabel(isoDate: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  const month = m ? MONTHS[Number(m[2]) - 1] : undefined;
  if (!m || !month) return isoDate;
  return `${Number(m[3])} ${month} ${m[1]}`;
}

/** Sorted, de-duplicated topic ids; an empty list means all topics (as for subscribers), i.e. null. */
export function normaliseTopics(topics: readonly string[] | null): string[] | null {
  if (!topics || topics.length === 0) return null;
  return [...new Set(topics)].sort();
}

/**
 * The sections a variant shows. A paper belongs to the variant when any of its topics is chosen; it stays
 * in its primary section when that topic is chosen, else moves to the first chosen topic of its own that
 * has a section in this issue (so a per-topic variant shows only chosen topics where it can).
 */
export function selectSections(issue: Issue, topics: readonly string[] | null): IssueSection[] {
  const seen = new Set<string>();
  if (!topics) {
    return issue.sections
      .map((s) => ({ topic: s.topic, papers: s.papers.filter((p) => !seen.has(p.id) && seen.add(p.id)) }))
      .filter((s) => s.papers.length > 0);
  }
  const chosen = new Set(topics);
  const sectionIds = new Set(issue.sections.map((s) => s.topic.id));
  const byTopic = new Map<string, ClassifiedPaper[]>();
  for (const section of issue.sections) {
    for (const paper of section.papers) {
      if (seen.has(paper.id)) continue;
      const home = chosen.has(section.topic.id)
        ? section.topic.id
        : paper.topics.find((t) => chosen.has(t) && sectionIds.has(t)) ??
          (paper.topics.some((t) => chosen.has(t)) ? section.topic.id : undefined);
      if (!home) continue;
      seen.add(paper.id);
      const list = byTopic.get(home) ?? [];
      list.push(paper);
      byTopic.set(home, list);
    }
  }
  const order = new Map(issue.sections.flatMap((s) => s.papers).map((p, i) => [p.id, i] as const));
  return issue.sections
    .filter((s) => byTopic.has(s.topic.id))
    .map((s) => {
      const own = (p: ClassifiedPaper) => (s.papers.includes(p) ? 0 : 1);
      // Moved-in papers join by upvotes (desc); on a tie the section's own papers come first, then issue order.
      const papers = [...byTopic.get(s.topic.id)!].sort(
        (a, b) => (b.upvotes ?? 0) - (a.upvotes ?? 0) || own(a) - own(b) || (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0),
      );
      return { topic: s.topic, papers };
    });
}

function paperView(p: ClassifiedPaper, maxAbstractChars: number): PaperView {
  const abstract = trimAbstract(cleanText(p.abstract), maxAbstractChars);
  const links: LinkView[] = [];
  const pdf = safeHttpUrl(p.pdfUrl);
  const code = safeHttpUrl(p.codeUrl);
  const project = safeHttpUrl(p.projectUrl);
  const paperUrl = safeHttpUrl(p.url);
  // Digests often repeat a link (project page = PDF): show each URL once, the title link included.
  const used = new Set(paperUrl ? [paperUrl] : []);
  for (const [label, url] of [['PDF', pdf], ['Code', code], ['Project page', project]] as const) {
    if (url && !used.has(url)) links.push({ label, url });
    if (url) used.add(url);
  }
  const summary = cleanText(p.summary);
  const organization = cleanText(p.organization);
  const authors = shortenAuthors(p.authors.map(cleanText));
  const upvotes = p.upvotes ? `${p.upvotes} ${p.upvotes === 1 ? 'upvote' : 'upvotes'}` : '';
  const view: PaperView = {
    id: cleanText(p.id),
    title: cleanText(p.title) || '(untitled)',
    authors,
    meta: [authors, organization, upvotes].filter(Boolean).join(' · '),
    abstract: abstract.text,
    abstractTrimmed: abstract.trimmed,
    links,
  };
  const url = paperUrl ?? pdf;
  if (url) view.url = url;
  if (summary) view.summary = summary;
  if (organization) view.organization = organization;
  if (p.upvotes !== undefined) view.upvotes = p.upvotes;
  if (p.comments !== undefined) view.comments = p.comments;
  return view;
}

// A paper looks the same in every variant that shows it (for one abstract limit), and an issue has
// hundreds of variants: its view is built once, not re-cleaned and re-trimmed per variant.
const paperViews = new WeakMap<ClassifiedPaper, Map<number, PaperView>>();

function cachedPaperView(p: ClassifiedPaper, maxAbstractChars: number): PaperView {
  let byLimit = paperViews.get(p);
  if (!byLimit) paperViews.set(p, (byLimit = new Map()));
  let view = byLimit.get(maxAbstractChars);
  if (!view) byLimit.set(maxAbstractChars, (view = paperView(p, maxAbstractChars)));
  return view;
}

function shorten(s: string, max: number): string {
  if (s.length <= max) return s;
  const cut = s.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:]+$/, '')}…`;
}

export interface ViewOptions {
  topics: string[] | null;
  limits: Pick<RenderLimits, 'maxPapersPerTopic' | 'maxAbstractChars'>;
  baseUrl: string;
}

/** The template data for one variant, or null when the chosen topics have no papers in this issue. */
export function buildIssueView(issue: Issue, opts: ViewOptions): IssueView | null {
  const topics = normaliseTopics(opts.topics);
  const sections = selectSections(issue, topics);
  if (sections.length === 0) return null;
  const base = opts.baseUrl.replace(/\/+$/, '');
  const archiveUrl = `${base}/archive/${encodeURIComponent(issue.id)}`;
  const sectionViews: SectionView[] = sections.map((s) => {
    const { shown, hidden } = capPapers(s.papers, opts.limits.maxPapersPerTopic);
    const id = cleanText(s.topic.id);
    return {
      id,
      name: cleanText(s.topic.name),
      description: cleanText(s.topic.description),
      count: s.papers.length,
      papers: shown.map((p) => cachedPaperView(p, opts.limits.maxAbstractChars)),
      more: hidden > 0 ? { count: hidden, url: `${archiveUrl}#${encodeURIComponent(id)}` } : null,
    };
  });
  const paperCount = sectionViews.reduce((n, s) => n + s.count, 0);
  const shownCount = sectionViews.reduce((n, s) => n + s.papers.length, 0);
  const title = cleanText(issue.title);
  const view: IssueView = {
    issue: {
      id: issue.id,
      date: issue.date,
      dateLabel: dateLabel(issue.date),
      source: issue.source,
      paperCount,
      shownCount,
      topicCount: sectionViews.length,
      archiveUrl,
    },
    variant: { topics, topicNames: sectionViews.map((s) => s.name) },
    preheader: shorten(`${paperCount} ${paperCount === 1 ? 'paper' : 'papers'}: ${sectionViews.map((s) => `${s.name} (${s.count})`).join(', ')}`, 150),
    sections: sectionViews,
    baseUrl: base,
  };
  if (title) view.issue.title = title;
  return view;
}
