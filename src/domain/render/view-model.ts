// Builds the data the issue templates see. Every string from the digest is cleaned here (control
// characters out, whitespace collapsed, TeX turned into Unicode) and every link is checked to be
// http(s); Handlebars then HTML-escapes it. Templates never see a raw Paper.
//
// What a reader gets (docs/decisions/009-email-layout-by-byte-budget.md): the day's top papers
// first, then the sections that hold most for them, every paper of their topics in rank order, each
// shown as fully as the byte budget allows (see Detail).
import type { ClassifiedPaper, Issue, IssueSection } from '../issue.js';
import { OTHER_TOPIC_ID } from '../taxonomy.js';
import { cleanText, safeHttpUrl } from './clean.js';
import { texToUnicode } from './tex.js';
import { shortenAuthors, shortenText, trimAbstract } from './trim.js';

export interface LinkView {
  label: string;
  url: string;
}

/** A paper as every variant shows it: built once per paper (and abstract limit), shared by variants. */
export interface PaperView {
  id: string;
  /** Anchor of the paper on the archive page (`p-<id>`, safe in a URL fragment). */
  anchor: string;
  title: string;
  url?: string;
  /** "A, B, C et al." */
  authors: string;
  organization?: string;
  /** Authors · organisation, empty parts left out. */
  byline: string;
  /** "43 upvotes · 2 comments · 6,317 GitHub stars", the counts the digest has. */
  stats: string;
  upvotes?: number;
  comments?: number;
  stars?: number;
  /** The source's AI summary (Hugging Face), shown labelled as such. */
  summary?: string;
  /** The abstract as a full card shows it: shortened (more so under a summary); see abstractTrimmed. */
  abstract: string;
  abstractTrimmed: boolean;
  /** The whole abstract, for the archive page. */
  abstractFull: string;
  /** The one line of a paper shown briefly: its summary, else its abstract's opening, shortened. */
  line: string;
  /** PDF / Code / Project page, each URL once (the title's link included). */
  links: LinkView[];
}

/** A paper in one variant: its view, its place, and how much of it the budget lets through. */
export interface PaperItem extends PaperView {
  /** 1, 2, ... in reading order (the text part numbers papers). */
  number: number;
  /** A full card: byline, counts, summary, abstract, links. */
  full: boolean;
  /** Not full: the title and one line (else the title alone). */
  brief: boolean;
  /** The section the paper belongs to in this variant. */
  topicName: string;
  /** Whether the card names its topic: on "Top of the day", which is not a topic of its own. */
  showTopic: boolean;
}

export interface SectionView {
  /** Topic id, also the anchor in the email and on the archive page. */
  id: string;
  name: string;
  description: string;
  /** Papers listed in this section (the ones in "Top of the day" are not). */
  count: number;
  papers: PaperItem[];
  /** Papers left out for the budget, and where they are (the archive page). */
  more: { count: number; url: string } | null;
}

export interface TocEntry {
  /** Anchor in the email. */
  id: string;
  name: string;
  count: number;
}

export interface Publication {
  /** Shown in the header and footer of every issue. */
  name: string;
  /** A postal address or other contact line for the footer (anti-spam laws ask for one). */
  contact?: string;
}

export interface IssueView {
  issue: {
    id: string;
    date: string;
    /** "14 Mar 2026". */
    dateLabel: string;
    /** "14 Mar", for the subject. */
    dateShort: string;
    title?: string;
    source: string;
    /** Papers in this variant, shown or not. */
    paperCount: number;
    /** Papers whose title is in the email. */
    shownCount: number;
    /** Sections shown. */
    topicCount: number;
    archiveUrl: string;
  };
  publication: Publication;
  /** Null topics = all topics. topicName: the topic of a one-topic edition. */
  variant: { topics: string[] | null; topicNames: string[]; topicName?: string };
  /** The top paper's short title and how many others there are: "Self-Forcing++ and 38 more". */
  lead: { title: string; others: number };
  /** "Top of the day": the best-ranked papers, above the sections (null for small or one-section issues). */
  top: { papers: PaperItem[] } | null;
  /** The table of contents, or null when there is only one section. */
  toc: TocEntry[] | null;
  sections: SectionView[];
  preheader: string;
  baseUrl: string;
  /** The archive page's edition (whole abstracts, no personal links). */
  web: boolean;
}

/**
 * How much of each paper shows, by rank: the `full` best-ranked get a full card, the next `brief`
 * a title with one line, the rest up to `shown` a title alone; papers past `shown` are left out
 * (and counted in their section's "more" line).
 */
export interface Detail {
  full: number;
  brief: number;
  shown: number;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function dateLabel(isoDate: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  const month = m ? MONTHS[Number(m[2]) - 1] : undefined;
  if (!m || !month) return isoDate;
  return `${Number(m[3])} ${month} ${m[1]}`;
}

const dateShort = (isoDate: string) => dateLabel(isoDate).replace(/ \d{4}$/, '');

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
      const mine = new Set(s.papers);
      const own = (p: ClassifiedPaper) => (mine.has(p) ? 0 : 1);
      // Moved-in papers join by upvotes (desc); on a tie the section's own papers come first, then issue order.
      const papers = [...byTopic.get(s.topic.id)!].sort(
        (a, b) => (b.upvotes ?? 0) - (a.upvotes ?? 0) || own(a) - own(b) || (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0),
      );
      return { topic: s.topic, papers };
    });
}

type TopicRef = IssueSection['topic'];
/** A topic's id, name and description, cleaned once (every variant shows them). */
const topicTexts = new WeakMap<TopicRef, { id: string; name: string; description: string }>();
function topicText(t: TopicRef): { id: string; name: string; description: string } {
  let v = topicTexts.get(t);
  if (!v) topicTexts.set(t, (v = { id: cleanText(t.id), name: cleanText(t.name), description: cleanText(t.description) }));
  return v;
}

/** "Top of the day" needs at least this many papers in two sections or more. */
export const TOP_MIN_PAPERS = 6;

/** 3 to 5 papers: about one in eight of the variant's. */
export function topCount(papers: number, sections: number): number {
  if (sections < 2 || papers < TOP_MIN_PAPERS) return 0;
  return Math.min(5, Math.max(3, Math.round(papers / 8)));
}

/** A variant's papers arranged for reading; what the budget changes (Detail) is applied later. */
export interface VariantLayout {
  topics: string[] | null;
  /** Every paper of the variant, best first: most upvotes, then the source's own order. */
  ranked: ClassifiedPaper[];
  top: ClassifiedPaper[];
  sections: { topic: IssueSection['topic']; papers: ClassifiedPaper[] }[];
  /** The name of the section each paper is in (for the "Top of the day" cards). */
  homes: Map<ClassifiedPaper, string>;
}

/**
 * Each paper's place in the issue's ranking: upvotes (desc), then the digest's order (a trending
 * page's rank). Made once per issue; every variant sorts by it.
 */
const ranks = new WeakMap<Issue, Map<ClassifiedPaper, number>>();
function rankOf(issue: Issue): (a: ClassifiedPaper, b: ClassifiedPaper) => number {
  let rank = ranks.get(issue);
  if (!rank) {
    const ids = issue.order ?? issue.sections.flatMap((s) => s.papers.map((p) => p.id));
    const index = new Map(ids.map((id, i) => [id, i] as const));
    const at = (p: ClassifiedPaper) => index.get(p.id) ?? Number.MAX_SAFE_INTEGER;
    const all = issue.sections.flatMap((s) => s.papers).sort((a, b) => (b.upvotes ?? 0) - (a.upvotes ?? 0) || at(a) - at(b));
    ranks.set(issue, (rank = new Map(all.map((p, i) => [p, i] as const))));
  }
  const r = rank;
  return (a, b) => r.get(a)! - r.get(b)!;
}

/** Null when the chosen topics have no papers in this issue. */
export function layoutVariant(issue: Issue, topics: readonly string[] | null): VariantLayout | null {
  const t = normaliseTopics(topics ? [...topics] : null);
  const selected = selectSections(issue, t);
  if (selected.length === 0) return null;
  const byRank = rankOf(issue);
  const ranked = selected.flatMap((s) => s.papers).sort(byRank);
  const top = ranked.slice(0, topCount(ranked.length, selected.length));
  const inTop = new Set(top);
  const taxonomyOrder = new Map(issue.sections.map((s, i) => [s.topic.id, i] as const));
  const upvotes = (ps: readonly ClassifiedPaper[]) => ps.reduce((n, p) => n + (p.upvotes ?? 0), 0);
  // Sections by what they hold for this reader below "Top of the day": papers, then upvotes; "Other" stays last.
  const sections = selected
    .map((s) => ({ topic: s.topic, papers: s.papers.filter((p) => !inTop.has(p)).sort(byRank) }))
    .filter((s) => s.papers.length > 0)
    .sort(
      (a, b) =>
        Number(a.topic.id === OTHER_TOPIC_ID) - Number(b.topic.id === OTHER_TOPIC_ID) ||
        b.papers.length - a.papers.length ||
        upvotes(b.papers) - upvotes(a.papers) ||
        (taxonomyOrder.get(a.topic.id) ?? 0) - (taxonomyOrder.get(b.topic.id) ?? 0),
    );
  const homes = new Map(selected.flatMap((s) => s.papers.map((p) => [p, topicText(s.topic).name] as const)));
  return { topics: t, ranked, top, sections, homes };
}

/** Everything a full card: the first layout renderVariant tries. */
export const fullDetail = (n: number): Detail => ({ full: n, brief: 0, shown: n });

/**
 * The step'th layout from "every paper a full card" (step 0) to "one title" (the last step), each
 * step showing one paper less: full cards become brief from the bottom of the ranking (the `keep`
 * best stay full), then brief papers become titles from the bottom, then the kept full cards go the
 * same way, and last titles are left out from the bottom. Bytes shrink (almost) with every step.
 */
export function detailAt(step: number, n: number, keep: number): Detail {
  const k = Math.min(keep, n);
  const rest = n - k;
  let s = Math.max(0, step);
  if (s <= rest) return { full: n - s, brief: s, shown: n };
  s -= rest;
  if (s <= rest) return { full: k, brief: rest - s, shown: n };
  s -= rest;
  if (s <= k) return { full: k - s, brief: s, shown: n };
  s -= k;
  if (s <= k) return { full: 0, brief: k - s, shown: n };
  s -= k;
  return { full: 0, brief: 0, shown: Math.max(1, n - s) };
}

/** The last step detailAt distinguishes: one title left. */
export const lastDetailStep = (n: number, keep: number): number => 2 * (n - Math.min(keep, n)) + 2 * Math.min(keep, n) + (n - 1);

const STAT_FORMAT = new Intl.NumberFormat('en-US');
const plural = (n: number, one: string, many = `${one}s`) => `${STAT_FORMAT.format(n)} ${n === 1 ? one : many}`;

/** Digest text as readers see it: controls out, whitespace collapsed, TeX as Unicode. */
const text = (s: string | undefined | null) => texToUnicode(cleanText(s));

const anchorFor = (id: string) => `p-${id.replace(/[^A-Za-z0-9._-]/g, '-')}`;

/** The opening of an abstract: its first sentence when short enough, else its first words. */
function openingLine(abstract: string, max: number): string {
  const t = trimAbstract(abstract, max);
  return t.trimmed ? `${t.text}…` : t.text;
}

/** The longest abstract a full card shows under a summary, as a share of the limit without one. */
const UNDER_SUMMARY = 0.5;
/** Characters of a brief paper's line. */
const LINE_CHARS = 150;

function paperView(p: ClassifiedPaper, maxAbstractChars: number): PaperView {
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
  const summary = text(p.summary);
  const organization = text(p.organization);
  const authors = shortenAuthors(p.authors.map(text));
  const abstractFull = text(p.abstract);
  const abstract = trimAbstract(abstractFull, summary ? Math.round(maxAbstractChars * UNDER_SUMMARY) : maxAbstractChars);
  const stats = [
    p.upvotes ? plural(p.upvotes, 'upvote') : '',
    p.comments ? plural(p.comments, 'comment') : '',
    p.stars ? plural(p.stars, 'GitHub star') : '',
  ].filter(Boolean);
  const id = cleanText(p.id);
  const view: PaperView = {
    id,
    anchor: anchorFor(id),
    title: text(p.title) || '(untitled)',
    authors,
    byline: [authors, organization].filter(Boolean).join(' · '),
    stats: stats.join(' · '),
    abstract: abstract.text,
    abstractTrimmed: abstract.trimmed,
    abstractFull,
    line: summary ? shortenText(summary, LINE_CHARS) : openingLine(abstractFull, LINE_CHARS),
    links,
  };
  const url = paperUrl ?? pdf;
  if (url) view.url = url;
  if (summary) view.summary = summary;
  if (organization) view.organization = organization;
  if (p.upvotes !== undefined) view.upvotes = p.upvotes;
  if (p.comments !== undefined) view.comments = p.comments;
  if (p.stars !== undefined) view.stars = p.stars;
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

/** "Self-Forcing++" from "Self-Forcing++: Towards Minute-Scale ...": what a subject line can hold. */
export function shortTitle(title: string, max = 50): string {
  const colon = title.indexOf(': ');
  if (colon >= 3 && colon <= 40) return title.slice(0, colon);
  return shortenText(title, max);
}

export interface ViewOptions {
  topics: string[] | null;
  limits: { maxAbstractChars: number };
  baseUrl: string;
  publication?: Publication;
  /** Default: every paper a full card. */
  detail?: Detail;
  /** The archive page's edition. */
  web?: boolean;
}

const DEFAULT_PUBLICATION: Publication = { name: 'paperboy' };

/** The template data for one variant at one level of detail. */
export function viewFromLayout(issue: Issue, layout: VariantLayout, opts: ViewOptions): IssueView {
  const base = opts.baseUrl.replace(/\/+$/, '');
  const archiveUrl = `${base}/archive/${encodeURIComponent(issue.id)}`;
  const n = layout.ranked.length;
  const detail = opts.detail ?? fullDetail(n);
  const rank = new Map(layout.ranked.map((p, i) => [p, i] as const));
  const limit = opts.limits.maxAbstractChars;
  const web = opts.web === true;
  let number = 0;
  const item = (p: ClassifiedPaper, topicName: string, showTopic: boolean): PaperItem => {
    const r = rank.get(p)!;
    const full = r < detail.full;
    const v = cachedPaperView(p, limit);
    // Written out, not spread: one object shape for every item keeps this cheap (thousands of
    // variants times their papers). The archive page has room for every abstract whole.
    return {
      id: v.id,
      anchor: v.anchor,
      title: v.title,
      url: v.url,
      authors: v.authors,
      organization: v.organization,
      byline: v.byline,
      stats: v.stats,
      upvotes: v.upvotes,
      comments: v.comments,
      stars: v.stars,
      summary: v.summary,
      abstract: web ? v.abstractFull : v.abstract,
      abstractTrimmed: web ? false : v.abstractTrimmed,
      abstractFull: v.abstractFull,
      line: v.line,
      links: v.links,
      number: ++number,
      full,
      brief: !full && r < detail.full + detail.brief,
      topicName,
      showTopic,
    };
  };
  const shown = (p: ClassifiedPaper) => rank.get(p)! < detail.shown;
  const top = layout.top.length > 0 ? { papers: layout.top.filter(shown).map((p) => item(p, layout.homes.get(p) ?? '', true)) } : null;
  const sections: SectionView[] = layout.sections.map((s) => {
    const { id, name, description } = topicText(s.topic);
    const visible = s.papers.filter(shown);
    const hidden = s.papers.filter((p) => !shown(p));
    return {
      id,
      name,
      description,
      count: s.papers.length,
      papers: visible.map((p) => item(p, name, false)),
      more: hidden.length > 0 ? { count: hidden.length, url: `${archiveUrl}#${cachedPaperView(hidden[0]!, limit).anchor}` } : null,
    };
  });
  const shownCount = (top?.papers.length ?? 0) + sections.reduce((k, s) => k + s.papers.length, 0);
  const names = sections.map((s) => s.name);
  const toc: TocEntry[] | null =
    sections.length >= 2 ? [...(top && top.papers.length ? [{ id: 'top', name: 'Top of the day', count: top.papers.length }] : []), ...sections.map((s) => ({ id: s.id, name: s.name, count: s.count }))] : null;
  const leadPaper = cachedPaperView(layout.ranked[0]!, limit);
  const others = layout.ranked.slice(1, 4).map((p) => shortTitle(cachedPaperView(p, limit).title, 48));
  const count = plural(n, 'paper');
  const topicCount = sections.length;
  const view: IssueView = {
    issue: {
      id: issue.id,
      date: issue.date,
      dateLabel: dateLabel(issue.date),
      dateShort: dateShort(issue.date),
      source: issue.source,
      paperCount: n,
      shownCount,
      topicCount,
      archiveUrl,
    },
    publication: opts.publication ?? DEFAULT_PUBLICATION,
    variant: { topics: layout.topics, topicNames: names },
    lead: { title: shortTitle(leadPaper.title), others: n - 1 },
    top,
    toc,
    sections,
    preheader: shortenText(`${others.length ? `Also: ${others.join(' · ')} — ` : ''}${count} in ${plural(topicCount, 'topic')}`, 150),
    baseUrl: base,
    web,
  };
  // A one-topic edition names its topic (in the subject too).
  if (layout.topics?.length === 1 && sections.length === 1) view.variant.topicName = names[0]!;
  const title = cleanText(issue.title);
  if (title) view.issue.title = title;
  return view;
}

/** The template data for one variant, or null when the chosen topics have no papers in this issue. */
export function buildIssueView(issue: Issue, opts: ViewOptions): IssueView | null {
  const layout = layoutVariant(issue, opts.topics);
  return layout ? viewFromLayout(issue, layout, opts) : null;
}
