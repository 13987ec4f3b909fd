// Groups a digest into topic sections: the Issue that gets rendered and sent. Pure and deterministic:
// the same digest and taxonomy always give the same sections in the same order.
import type { Digest } from './digest.js';
import type { ClassifiedPaper, Issue, IssueSection } from './issue.js';
import { issueIdFor } from './issue-id.js';
import { OTHER_TOPIC_ID, type Taxonomy } from './taxonomy.js';
import { classifyPaper, compileTaxonomy } from './topic-scores.js';

export const OTHER_TOPIC = {
  id: OTHER_TOPIC_ID,
  name: 'Other',
  description: 'Papers that match none of the topics.',
} as const;

/**
 * Every paper lands in exactly one section (its primary topic). Sections follow taxonomy order with
 * "Other" last; empty sections are left out; papers within a section are sorted by upvotes (desc),
 * then input order.
 */
export function groupByTopic(digest: Digest, taxonomy: Taxonomy): Issue {
  const tax = compileTaxonomy(taxonomy);
  const byTopic = new Map<string, { paper: ClassifiedPaper; index: number }[]>();
  digest.papers.forEach((paper, index) => {
    const { primary, topics } = classifyPaper(paper, tax);
    const list = byTopic.get(primary) ?? [];
    list.push({ paper: { ...paper, primaryTopic: primary, topics }, index });
    byTopic.set(primary, list);
  });

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
