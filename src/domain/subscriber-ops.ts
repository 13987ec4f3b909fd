// Pure operations on one subscriber record: add (admin or import), unsubscribe, purge, and topic
// checks. The current record comes in and the next one goes out; time is an argument.
import { z } from 'zod';
import { PaperboyError } from '../errors.js';
import { escapeControls, nameProblem } from './names.js';
import { OTHER_TOPIC_ID } from './taxonomy.js';
import { normaliseEmail, type Subscriber } from './subscriber.js';

export interface SubscriberInput {
  email: string;
  name?: string;
  /** undefined = leave as is (new subscribers get all topics); [] = all topics. */
  topics?: string[];
}

export type AddOutcome =
  | { action: 'added'; subscriber: Subscriber }
  | { action: 'updated'; subscriber: Subscriber; changes: string[] }
  | { action: 'skipped'; subscriber: Subscriber; reason: string };

export type RemoveOutcome = { action: 'unsubscribed' | 'already-unsubscribed' | 'purged'; subscriber: Subscriber };

const emailSchema = z.email();

export function isValidEmail(email: string): boolean {
  return emailSchema.safeParse(email).success;
}

/** "a, b;c d" → ['a','b','c','d'], without duplicates. Accepts the separators people type in CSV cells. */
export function parseTopicList(text: string): string[] {
  return [...new Set(text.split(/[\s,;|]+/).map((t) => t.trim()).filter(Boolean))];
}

/** Throws INPUT_INVALID naming the unknown ids and listing the known ones. */
export function checkTopics(topics: readonly string[], knownIds: readonly string[], where = 'topics'): void {
  const known = new Set([...knownIds, OTHER_TOPIC_ID]);
  const unknown = topics.filter((t) => !known.has(t));
  if (unknown.length > 0) {
    throw new PaperboyError(
      'INPUT_INVALID',
      `${where}: unknown topic${unknown.length > 1 ? 's' : ''} ${unknown.map((t) => `"${t}"`).join(', ')}; ` +
        `known topics: ${[...known].join(', ')}.`,
      { unknown },
    );
  }
}

/**
 * Topic ids that subscribers chose (as topic sets with how many chose each) but the taxonomy does not have (a topic renamed or
 * removed after they signed up), with how many chose each. Such a topic never matches a paper, so
 * the send warns: those subscribers get only their other topics, or nothing at all.
 */
export function unknownTopicCounts(topicSets: readonly { topics: readonly string[]; count: number }[], knownIds: readonly string[]): Map<string, number> {
  const known = new Set([...knownIds, OTHER_TOPIC_ID]);
  const counts = new Map<string, number>();
  for (const s of topicSets) for (const t of new Set(s.topics)) if (!known.has(t)) counts.set(t, (counts.get(t) ?? 0) + s.count);
  return counts;
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');

/**
 * Makes `input.email` an active subscriber (an admin add or an import is the consent record), given
 * its current record. An import never brings back an address that unsubscribed or bounced; an
 * explicit admin add does. The outcome's subscriber is the record to store (unchanged when skipped).
 */
export function activateSubscriber(existing: Subscriber | undefined, input: SubscriberInput, now: Date, method: 'admin' | 'import'): AddOutcome {
  const email = normaliseEmail(input.email);
  if (!isValidEmail(email)) throw new PaperboyError('INPUT_INVALID', `"${escapeControls(input.email)}" is not a valid email address.`);
  const nameIssue = input.name === undefined ? undefined : nameProblem(input.name);
  if (nameIssue) throw new PaperboyError('INPUT_INVALID', `The name for ${email} ${nameIssue}.`, { field: 'name' });
  const iso = now.toISOString();

  if (!existing) {
    const topics = input.topics ?? [];
    const subscriber: Subscriber = {
      email,
      ...(input.name ? { name: input.name } : {}),
      topics,
      status: 'active',
      createdAt: iso,
      hardBounces: 0,
      consent: { requestedAt: iso, confirmedAt: iso, topics, method },
      tokenVersion: 0,
    };
    return { action: 'added', subscriber };
  }

  if (method === 'import' && existing.status === 'unsubscribed') {
    return {
      action: 'skipped',
      subscriber: existing,
      reason: `unsubscribed${existing.unsubscribedAt ? ` on ${existing.unsubscribedAt.slice(0, 10)}` : ''}; an import never re-subscribes an address (use "subscribers add" if they asked to come back)`,
    };
  }
  if (method === 'import' && existing.status === 'bounced') {
    return {
      action: 'skipped',
      subscriber: existing,
      reason: `bounced after ${existing.hardBounces} permanent failures; check the address, then use "subscribers add"`,
    };
  }

  const changes: string[] = [];
  let next: Subscriber = { ...existing };
  if (existing.status !== 'active') {
    changes.push(`status ${existing.status} → active`);
    const { unsubscribedAt: _gone, ...rest } = next;
    next = { ...rest, status: 'active', hardBounces: 0, consent: { ...existing.consent, confirmedAt: iso, method, topics: input.topics ?? existing.topics } };
  }
  if (input.name !== undefined && input.name !== '' && input.name !== existing.name) {
    changes.push(`name "${existing.name ?? ''}" → "${input.name}"`);
    next.name = input.name;
  }
  if (input.topics !== undefined && !sameSet(input.topics, existing.topics)) {
    changes.push(`topics ${topicLabel(existing.topics)} → ${topicLabel(input.topics)}`);
    next.topics = input.topics;
  }
  if (changes.length === 0) return { action: 'skipped', subscriber: existing, reason: 'already active with the same name and topics' };
  next.updatedAt = iso;
  return { action: 'updated', subscriber: next, changes };
}

/**
 * Unsubscribes (keeping the consent record, invalidating outstanding confirm tokens) or, with
 * `purge`, deletes the record entirely, e.g. for an erasure request. `next` null = delete.
 */
export function removeSubscriber(existing: Subscriber | undefined, email: string, now: Date, opts: { purge?: boolean } = {}): RemoveOutcome & { next?: Subscriber | null } {
  const wanted = normaliseEmail(email);
  if (!existing) throw new PaperboyError('SUBSCRIBER_NOT_FOUND', `No subscriber with address ${wanted}.`, { email: wanted });
  if (opts.purge) return { action: 'purged', subscriber: existing, next: null };
  if (existing.status === 'unsubscribed') return { action: 'already-unsubscribed', subscriber: existing };
  const iso = now.toISOString();
  const next: Subscriber = { ...existing, status: 'unsubscribed', unsubscribedAt: iso, updatedAt: iso, tokenVersion: existing.tokenVersion + 1 };
  return { action: 'unsubscribed', subscriber: next, next };
}

export function topicLabel(topics: readonly string[]): string {
  return topics.length === 0 ? 'all' : topics.join(',');
}
