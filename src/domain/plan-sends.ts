// Who is owed this issue, in which variant, and who is skipped and why. Pure: the ledger state
// and subscriber list come in; nothing is read or written here.
import type { Issue } from './issue.js';
import type { LedgerRecord } from './ledger-state.js';
import { variantKey } from './render/index.js';
import { normaliseEmail, type Subscriber } from './subscriber.js';

export type SkipReason =
  /** The ledger says the server accepted it already. */
  | 'already-sent'
  /** Failed permanently (or ran out of attempts) in an earlier run. */
  | 'failed-before'
  /** Left in "sending" by a run that died: the server may or may not have it. */
  | 'uncertain'
  /** Not active (pending confirmation, unsubscribed or bounced). */
  | 'inactive'
  /** None of the issue's papers are in the subscriber's topics. */
  | 'no-papers';

export interface PlannedSend {
  subscriber: Subscriber;
  variantKey: string;
  /** Set when this is a deliberate resend of an uncertain entry. */
  resend?: boolean;
}

export interface PlannedVariant {
  key: string;
  /** Topic ids the variant covers (only those present in the issue); null = all topics. */
  topics: string[] | null;
  recipients: number;
}

export interface SendPlan {
  variants: PlannedVariant[];
  sends: PlannedSend[];
  skipped: { email: string; reason: SkipReason }[];
}

export interface PlanOptions {
  /** Resend entries a crashed run left in "sending" (the recipient may get the issue twice). */
  resendUncertain?: boolean;
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
 * (sorted), null for "everything", or [] when nothing in the issue is for them. Dropping topics
 * absent from the issue lets subscribers whose choices differ only there share one rendering.
 */
export function effectiveTopics(sub: Pick<Subscriber, 'topics'>, present: ReadonlySet<string>): string[] | null {
  if (sub.topics.length === 0) return null;
  return [...new Set(sub.topics.filter((t) => present.has(t)))].sort();
}

export function planSends(issue: Issue, subscribers: readonly Subscriber[], ledger: ReadonlyMap<string, Pick<LedgerRecord, 'state'>>, opts: PlanOptions = {}): SendPlan {
  const present = issueTopicIds(issue);
  const variants = new Map<string, PlannedVariant>();
  const sends: PlannedSend[] = [];
  const skipped: SendPlan['skipped'] = [];
  const seen = new Set<string>();

  for (const sub of subscribers) {
    const email = normaliseEmail(sub.email);
    if (seen.has(email)) continue; // a hand-edited file may list an address twice: one copy
    seen.add(email);
    const state = ledger.get(email)?.state;
    if (state === 'sent') {
      skipped.push({ email, reason: 'already-sent' });
      continue;
    }
    if (state === 'failed') {
      skipped.push({ email, reason: 'failed-before' });
      continue;
    }
    const uncertain = state === 'sending';
    if (uncertain && !opts.resendUncertain) {
      skipped.push({ email, reason: 'uncertain' });
      continue;
    }
    if (sub.status !== 'active') {
      skipped.push({ email, reason: 'inactive' });
      continue;
    }
    const topics = effectiveTopics(sub, present);
    if (topics !== null && topics.length === 0) {
      skipped.push({ email, reason: 'no-papers' });
      continue;
    }
    const key = variantKey(topics);
    const v = variants.get(key) ?? { key, topics, recipients: 0 };
    v.recipients++;
    variants.set(key, v);
    sends.push(uncertain ? { subscriber: sub, variantKey: key, resend: true } : { subscriber: sub, variantKey: key });
  }
  return { variants: [...variants.values()], sends, skipped };
}

/** Skips counted by reason, for reports. */
export function countSkips(skipped: SendPlan['skipped']): Partial<Record<SkipReason, number>> {
  const out: Partial<Record<SkipReason, number>> = {};
  for (const s of skipped) out[s.reason] = (out[s.reason] ?? 0) + 1;
  return out;
}
