// Groups a digest into topic sections: the Issue that gets rendered and sent. Pure and deterministic:
// the same digest and taxonomy always give the same sections in the same order.
import type { Digest, Paper } from './digest.js';
import type { ClassifiedPaper, Issue, IssueSection } from './issue.js';
import { issueIdFor } from './issue-id.js';
import { OTHER_TOPIC_ID, type Taxonomy } from './taxonomy.js';
import { classifyPaper, compileTaxonomy, type Classification, type CompiledTaxonomy, type KeywordHits } from './topic-scores.js';

export const OTHER_TOPIC = {
  id: OTHER_TOPIC_ID,
  name: 'Other',
  description: 'Papers that match none of the topics.',
} as const;

/** Where one paper landed, and why. */
export interface Placement {
  paper: Paper;
  /** Position in the digest. */
  index: number;
  classification: Classification;
  /** The section it appears in (the classification's primary, unless balancing moved it). */
  primary: string;
  /** Primary first, then secondary topics. */
  topics: string[];
  /** The section it would have had, when balancing moved it to its best secondary topic. */
  movedFrom?: string;
  /** Keyword hits per topic (taxonomy order), when asked for. */
  hits?: KeywordHits[];
}

/**
 * Classifies every paper, then balances the sections: in a digest of at least balanceMinPapers,
 * a section holding more than maxSectionShare of the papers gives up the papers that fit a secondary
 * topic almost as well (smallest loss of combined score first) to sections below that share, until
 * it fits or none is left to move. A digest that really is one field keeps its big section: its
 * papers have no secondary topic to go to.
 */
export function placePapers(digest: Digest, taxonomy: Taxonomy, opts: { hits?: boolean } = {}): Placement[] {
  const tax = compileTaxonomy(taxonomy);
  const placements = digest.papers.map((paper, index): Placement => {
    const hits = opts.hits ? taxonomy.topics.map((): KeywordHits => []) : undefined;
    const classification = classifyPaper(paper, tax, hits);
    return { paper, index, classification, primary: classification.primary, topics: classification.topics, ...(hits ? { hits } : {}) };
  });
  balanceSections(placements, tax);
  return placements;
}

function balanceSections(placements: Placement[], tax: CompiledTaxonomy): void {
  const { maxSectionShare, balanceMinPapers } = tax.scoring;
  if (placements.length < balanceMinPapers) return;
  const cap = Math.floor(placements.length * maxSectionShare);
  const ids = tax.taxonomy.topics.map((t) => t.id);
  const size = new Map<string, number>();
  for (const p of placements) size.set(p.primary, (size.get(p.primary) ?? 0) + 1);
  const combinedOf = (p: Placement, topic: string) => p.classification.combined[ids.indexOf(topic)] ?? 0;
  for (;;) {
    const over = ids.find((id) => (size.get(id) ?? 0) > cap);
    if (over === undefined) return;
    let best: { p: Placement; to: string; loss: number } | undefined;
    for (const p of placements) {
      if (p.primary !== over || p.movedFrom !== undefined) continue;
      for (const to of p.topics.slice(1)) {
        if ((size.get(to) ?? 0) >= cap) continue;
        const loss = combinedOf(p, over) - combinedOf(p, to);
        if (!best || loss < best.loss || (loss === best.loss && p.index < best.p.index)) best = { p, to, loss };
      }
    }
    if (!best) {
      // Nothing of this section fits elsewhere: it stays as it is, and the check moves on.
      size.set(over, -Infinity);
      continue;
    }
    const { p, to } = best;
    p.movedFrom = over;
    p.primary = to;
    p.topics = [to, ...p.topics.filter((t) => t !== to)];
    size.set(over, size.get(over)! - 1);
    size.set(to, (size.get(to) ?? 0) + 1);
  }
}

/**
 * Every paper lands in exactly one section (its primary topic). Sections follow taxonomy order with
 * "Other" last; empty sections are left out; papers within a section are sorted by upvotes (desc),
 * then input order.
 */
export function groupByTopic(digest: Digest, taxonomy: Taxonomy): Issue {
  return issueOf(digest, taxonomy, placePapers(digest, taxonomy));
}

/** The Issue for placements made by placePapers. */
export function issueOf(digest: Digest, taxonomy: Taxonomy, placements: readonly Placement[]): Issue {
  const byTopic = new Map<string, { paper: ClassifiedPaper; index: number }[]>();
  for (const { paper, index, primary, topics } of placements) {
    const list = byTopic.get(primary) ?? [];
    list.push({ paper: { ...paper, primaryTopic: primary, topics }, index });
    byTopic.set(primary, list);
  }

  const sectionTopics = [
    ...taxonomy.topics.map(({ id, name, description }) => ({ id, name, description })),
    { ...OTHER_TOPIC },
  ];
  const sections: IssueSection[] = [];
  for (const topic of sectionTopics) {
    const entries = byTopic.get(topic.id);
    if (!entries?.length) continue;
    entries.sort((a, b) => (b.paper.upvotes ?? 0) - (a.paper.upvotes ?? 0) || a.index - b.index);
    sections.push({ topic, papers: entries.map((e) => e.paper) });
  }

  return {
    id: issueIdFor(digest),
    date: digest.date,
    ...(digest.title !== undefined ? { title: digest.title } : {}),
    source: digest.source,
    sections,
    order: digest.papers.map((p) => p.id),
  };
}
