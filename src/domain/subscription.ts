// What the web pages do to one subscriber record, as pure transitions: the current record (or
// undefined) comes in, the next record and what happened go out; nothing is mutated. Time and IP
// are arguments. The store applies the result to the one row inside a transaction.
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
 * created: a new pending record; refreshed: a pending record asked again (the new request replaces
 * it, and only the newest confirmation link works); reopened: an unsubscribed or bounced address
 * asked again (pending until confirmed); active: already subscribed, left as is.
 */
export type SignupOutcome = 'created' | 'refreshed' | 'reopened' | 'active';

/** `next` is the record to store; undefined when nothing changes. */
export interface Transition<O> {
  outcome: O;
  next?: Subscriber;
}

/**
 * Records a sign-up request. An active subscriber is not changed: anyone can type any address into
 * the form, so only a confirmed link from the mailbox may change what an address receives.
 */
export function requestSignup(current: Subscriber | undefined, req: SignupRequest): Transition<SignupOutcome> & { sub: Subscriber } {
  const at = req.now.toISOString();
  const consent = { requestedAt: at, requestedIp: req.ip, topics: [...req.topics], method: 'web' as const };
  if (!current) {
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
    return { outcome: 'created', next: sub, sub };
  }
  if (current.status === 'active') return { outcome: 'active', sub: current };

  const outcome: SignupOutcome = current.status === 'pending' ? 'refreshed' : 'reopened';
  const { name: _name, ...rest } = current;
  // The newest request replaces the record, so links mailed for an older one must stop working:
  // they would confirm what someone else typed since (anyone can type any address into the form).
  const next: Subscriber = {
    ...rest,
    ...(req.name ? { name: req.name } : {}),
    status: 'pending',
    topics: [...req.topics],
    consent,
    tokenVersion: current.tokenVersion + 1,
    updatedAt: at,
  };
  return { outcome, next, sub: next };
}

export type ConfirmOutcome = 'confirmed' | 'invalid';

/**
 * Spends a verified confirm token: only while the address is pending and the token's version is the
 * current one, so a token works once and never revives an address that has since unsubscribed.
 */
export function confirmSubscription(current: Subscriber | undefined, token: TokenPayload, ip: string, now: Date): Transition<ConfirmOutcome> {
  if (!current || current.status !== 'pending' || token.kind !== 'confirm' || token.v !== current.tokenVersion) return { outcome: 'invalid' };
  const at = now.toISOString();
  const { unsubscribedAt: _gone, ...rest } = current;
  return {
    outcome: 'confirmed',
    next: { ...rest, status: 'active', tokenVersion: current.tokenVersion + 1, hardBounces: 0, consent: { ...current.consent, confirmedAt: at, confirmedIp: ip }, updatedAt: at },
  };
}

export type UnsubscribeOutcome = 'unsubscribed' | 'already' | 'unknown';

/** Idempotent: a second call (or an address no longer on file) changes nothing and is not an error. */
export function unsubscribe(current: Subscriber | undefined, now: Date): Transition<UnsubscribeOutcome> {
  if (!current) return { outcome: 'unknown' };
  if (current.status === 'unsubscribed') return { outcome: 'already' };
  const at = now.toISOString();
  // Outstanding confirmation links must not re-subscribe the address.
  return { outcome: 'unsubscribed', next: { ...current, status: 'unsubscribed', unsubscribedAt: at, updatedAt: at, tokenVersion: current.tokenVersion + 1 } };
}

export type PreferencesOutcome = 'saved' | 'not-active';

/** Only an active subscriber's choices change; others are told to sign up again. */
export function setPreferences(current: Subscriber | undefined, prefs: { name?: string | undefined; topics: string[] }, now: Date): Transition<PreferencesOutcome> {
  if (!current || current.status !== 'active') return { outcome: 'not-active' };
  const { name: _name, ...rest } = current;
  return { outcome: 'saved', next: { ...rest, ...(prefs.name ? { name: prefs.name } : {}), topics: [...prefs.topics], updatedAt: now.toISOString() } };
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
export function dropTopic(current: Subscriber | undefined, topicId: string, allTopics: readonly string[], now: Date): Transition<DropTopicOutcome> {
  if (!current || current.status !== 'active') return { outcome: 'not-active' };
  const chosen = current.topics.length === 0 ? [...allTopics] : current.topics;
  if (!chosen.includes(topicId)) return { outcome: 'not-chosen' };
  const rest = chosen.filter((t) => t !== topicId);
  if (rest.length === 0) return { outcome: 'last-topic' };
  return { outcome: 'dropped', next: { ...current, topics: rest, updatedAt: now.toISOString() } };
}
