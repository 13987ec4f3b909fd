// What the web pages do to the subscriber list, as pure transitions over the array the store hands to
// update(). Time and IP come in as arguments; every function mutates in place and says what it did.
import { normaliseEmail, type Subscriber } from './subscriber.js';
import type { TokenPayload } from './tokens.js';

export interface SignupRequest {
  email: string;
  name?: string | undefined;
  topics: string[];
  ip: string;
  now: Date;
}

/**
 * created: a new pending record; refreshed: a pending record asked again; reopened: an unsubscribed
 * or bounced address asked again (pending until confirmed); active: already subscribed, left as is.
 */
export type SignupOutcome = 'created' | 'refreshed' | 'reopened' | 'active';

export function findSubscriber(subs: readonly Subscriber[], email: string): Subscriber | undefined {
  const key = normaliseEmail(email);
  return subs.find((s) => normaliseEmail(s.email) === key);
}

/**
 * Records a sign-up request. An active subscriber is not changed: anyone can type any address into
 * the form, so only a confirmed link from the mailbox may change what an address receives.
 */
export function requestSignup(subs: Subscriber[], req: SignupRequest): { outcome: SignupOutcome; sub: Subscriber } {
  const at = req.now.toISOString();
  const consent = { requestedAt: at, requestedIp: req.ip, topics: [...req.topics], method: 'web' as const };
  const existing = findSubscriber(subs, req.email);
  if (!existing) {
    const sub: Subscriber = {
      email: normaliseEmail(req.email),
      ...(req.name ? { name: req.name } : {}),
      topics: [...req.topics],
      status: 'pending',
      createdAt: at,
      updatedAt: at,
      hardBounces: 0,
      consent,
      tokenVersion: 0,
    };
    subs.push(sub);
    return { outcome: 'created', sub };
  }
  if (existing.status === 'active') return { outcome: 'active', sub: existing };

  const outcome: SignupOutcome = existing.status === 'pending' ? 'refreshed' : 'reopened';
  existing.status = 'pending';
  existing.topics = [...req.topics];
  if (req.name) existing.name = req.name;
  else delete existing.name;
  // A new request needs a new confirmation: the old consent no longer describes this one.
  existing.consent = consent;
  existing.updatedAt = at;
  return { outcome, sub: existing };
}

export type ConfirmOutcome = 'confirmed' | 'invalid';

/**
 * Spends a verified confirm token: only while the address is pending and the token's version is the
 * current one, so a token works once and never revives an address that has since unsubscribed.
 */
export function confirmSubscription(subs: Subscriber[], token: TokenPayload, ip: string, now: Date): ConfirmOutcome {
  const sub = findSubscriber(subs, token.email);
  if (!sub || sub.status !== 'pending' || token.kind !== 'confirm' || token.v !== sub.tokenVersion) return 'invalid';
  const at = now.toISOString();
  sub.status = 'active';
  sub.tokenVersion += 1;
  sub.hardBounces = 0;
  delete sub.unsubscribedAt;
  sub.consent = { ...sub.consent, confirmedAt: at, confirmedIp: ip };
  sub.updatedAt = at;
  return 'confirmed';
}

export type UnsubscribeOutcome = 'unsubscribed' | 'already' | 'unknown';

/** Idempotent: a second call (or an address no longer on file) changes nothing and is not an error. */
export function unsubscribe(subs: Subscriber[], email: string, now: Date): UnsubscribeOutcome {
  const sub = findSubscriber(subs, email);
  if (!sub) return 'unknown';
  if (sub.status === 'unsubscribed') return 'already';
  const at = now.toISOString();
  sub.status = 'unsubscribed';
  sub.unsubscribedAt = at;
  sub.updatedAt = at;
  // Outstanding confirmation links must not re-subscribe the address.
  sub.tokenVersion += 1;
  return 'unsubscribed';
}

export type PreferencesOutcome = 'saved' | 'not-active';

/** Only an active subscriber's choices change; others are told to sign up again. */
export function setPreferences(
  subs: Subscriber[],
  email: string,
  prefs: { name?: string | undefined; topics: string[] },
  now: Date,
): PreferencesOutcome {
  const sub = findSubscriber(subs, email);
  if (!sub || sub.status !== 'active') return 'not-active';
  sub.topics = [...prefs.topics];
  if (prefs.name) sub.name = prefs.name;
  else delete sub.name;
  sub.updatedAt = now.toISOString();
  return 'saved';
}

/**
 * dropped: the topic is no longer chosen; not-chosen: it was not (nothing changes); last-topic: it is
 * the only one left, and no topics would mean every topic, so nothing changes (the page offers to
 * unsubscribe instead); not-active: the address does not get issues.
 */
export type DropTopicOutcome = 'dropped' | 'not-chosen' | 'last-topic' | 'not-active';

/**
 * The "stop this topic" link of an issue section. A subscriber with no topics chosen gets every
 * topic, so dropping one means choosing all the others (`allTopics`, the selectable ids).
 */
export function dropTopic(subs: Subscriber[], email: string, topicId: string, allTopics: readonly string[], now: Date): DropTopicOutcome {
  const sub = findSubscriber(subs, email);
  if (!sub || sub.status !== 'active') return 'not-active';
  const chosen = sub.topics.length === 0 ? [...allTopics] : sub.topics;
  if (!chosen.includes(topicId)) return 'not-chosen';
  const rest = chosen.filter((t) => t !== topicId);
  if (rest.length === 0) return 'last-topic';
  sub.topics = rest;
  sub.updatedAt = now.toISOString();
  return 'dropped';
}
