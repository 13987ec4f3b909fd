// Which variants an issue needs, from the topic sets its owed subscribers chose (the store counts
// them; nobody's record is read here). Subscribers whose choices differ only in topics the issue
// does not carry share one variant; those with nothing in the issue are skipped. Pure.
import type { Issue } from './issue.js';
import { variantKey } from './render/index.js';
import type { Subscriber } from './subscriber.js';

export type SkipReason =
  /** The ledger says the server accepted it already. */
  | 'already-sent'
  /** Failed permanently (or stayed deferred too long) in an earlier run. */
  | 'failed-before'
  /** Left in "sending" by a run that died: the server may or may not have it. */
  | 'uncertain'
  /** Not active (pending confirmation, unsubscribed or bounced), or became so during the run. */
  | 'inactive'
  /** None of the issue's papers are in the subscriber's topics. */
  | 'no-papers'
  /** Deferred by an earlier run and not due yet. */
  | 'deferred';

export interface PlannedVariant {
  key: string;
  /** Topic ids the variant covers (only those present in the issue); null = all topics. */
  topics: string[] | null;
  subject: string;
  paperCount: number;
  recipients: number;
  /** The stored topic sets whose subscribers get this variant, in the order they are sent. */
  topicSets: string[][];
}

export interface VariantPlan {
  variants: PlannedVariant[];
  /** Subscribers owed the issue who would get no papers. */
  noPapers: number;
  /** Recipients over all variants. */
  recipients: number;
}

/** Topic ids that at least one paper of the issue carries (primary or secondary). */
export function issueTopicIds(issue: Issue): Set<string> {
  const ids = new Set<string>();
  for (const section of issue.sections) {
    ids.add(section.topic.id);
    for (const p of section.papers) for (const t of p.topics) ids.add(t);
  }
  return ids;
}

/**
 * The topics that decide a subscriber's variant: their chosen topics that occur in this issue
 * (sorted), null for "everything", or [] when nothing in the issue is for them.
 */
export function effectiveTopics(sub: Pick<Subscriber, 'topics'>, present: ReadonlySet<string>): string[] | null {
  if (sub.topics.length === 0) return null;
  return [...new Set(sub.topics.filter((t) => present.has(t)))].sort();
}

/**
 * Groups owed topic sets into variants. `describe` says what a variant would hold (subject and
 * paper count, without rendering), or null when it would hold no papers.
 */
export function planVariants(
  issue: Issue,
  topicSets: readonly { topics: string[]; count: number }[],
  describe: (topics: string[] | null) => { subject: string; paperCount: number } | null,
): VariantPlan {
  const present = issueTopicIds(issue);
  const variants = new Map<string, PlannedVariant>();
  const empty = new Set<string>();
  let noPapers = 0;
  let recipients = 0;
  for (const set of topicSets) {
    const topics = effectiveTopics(set, present);
    const key = topics === null ? variantKey(null) : topics.length === 0 ? '' : variantKey(topics);
    if (key === '' || empty.has(key)) {
      noPapers += set.count;
      continue;
    }
    let v = variants.get(key);
    if (!v) {
      const d = describe(topics);
      if (!d) {
        empty.add(key);
        noPapers += set.count;
        continue;
      }
      v = { key, topics, subject: d.subject, paperCount: d.paperCount, recipients: 0, topicSets: [] };
      variants.set(key, v);
    }
    v.recipients += set.count;
    v.topicSets.push(set.topics);
    recipients += set.count;
  }
  return { variants: [...variants.values()], noPapers, recipients };
}
