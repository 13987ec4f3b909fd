// Orchestration behind the sign-up, confirm, unsubscribe and preferences pages: verifies tokens,
// applies the pure transitions to the one row they concern (a sender checks each subscriber's row
// just before their message, so a change holds from the very next message) and sends the one-off
// mails in the background.
import { randomUUID } from 'node:crypto';
import type { Config } from '../config.js';
import type { Mailer } from '../adapters/mailer.js';
import { composeMessage } from '../adapters/mime.js';
import type { Subscriber } from '../domain/subscriber.js';
import type { Taxonomy } from '../domain/taxonomy.js';
import { OTHER_TOPIC_ID } from '../domain/taxonomy.js';
import { verifyToken, signToken, type TokenKind } from '../domain/tokens.js';
import { confirmUrl, subscriberLinks } from '../domain/links.js';
import { fromDomain } from '../domain/message-ids.js';
import { parseMailbox } from '../domain/mime/headers.js';
import { normaliseEmail } from '../domain/subscriber.js';
import { confirmSubscription, dropTopic, requestSignup, setPreferences, unsubscribe, type DropTopicOutcome } from '../domain/subscription.js';
import type { BackgroundTasks } from './background-tasks.js';
import type { SubscriberRows } from './store-ports.js';

/** Which cap held a sign-up mail back: the mailbox's, its domain's, or the one on all of them. */
export type MailCap = 'address' | 'domain' | 'total';
/** The caps per hour that say nothing about one address: its domain's, and the one on all. */
export type HourlyCap = Exclude<MailCap, 'address'>;

/** Caps on the sign-up form (counted in the database, shared by every process). */
export interface SignupLimits {
  /** Counts one sign-up request from this IP; false once over the hourly cap. */
  allowRequestFrom(ip: string): Promise<boolean>;
  /** Counts nothing: is the domain's or the overall hourly cap already used up, and for how long? */
  hourlyCapReached(email: string): Promise<{ cap: HourlyCap; retryAfterS: number } | null>;
  /** Counts one sign-up mail to this address; null when it may go, else the cap it is over. */
  takeMailTo(email: string): Promise<MailCap | null>;
}

/**
 * accepted: the same answer whatever the address's state, its own cap or the honeypot; ip-limited:
 * this client sent too many requests; busy: its domain's or the overall hourly cap is used up, so
 * no mail could go (that depends on no single address, so saying it tells nothing about one).
 */
export type SignupAnswer = { outcome: 'accepted' } | { outcome: 'ip-limited' } | { outcome: 'busy'; cap: HourlyCap; retryAfterS: number };

/** What the confirm page shows: the request the button would confirm. */
export interface ConfirmView {
  email: string;
  name?: string | undefined;
  /** Topic names; empty = every topic. */
  topics: string[];
}

export type OneOffEmail = 'confirm' | 'already-subscribed';
export type RenderOneOff = (name: OneOffEmail, data: Record<string, unknown>) => Promise<{ subject: string; html: string; text: string }>;

export interface WebSubscriptionsDeps {
  config: Pick<Config, 'baseUrl' | 'from' | 'signup' | 'listId' | 'replyTo'>;
  secret: string;
  clock: () => Date;
  store: Pick<SubscriberRows, 'findSubscriber' | 'changeSubscriber'>;
  mailer: Mailer;
  renderEmail: RenderOneOff;
  limits: SignupLimits;
  tasks: BackgroundTasks;
  taxonomy: Taxonomy;
  log: (line: string) => void;
}

export interface SignupInput {
  email: string;
  name?: string | undefined;
  topics: string[];
  /** The hidden field only bots fill in. */
  trap?: string | undefined;
}

/** What the preferences page shows: never more than the holder of the link already knows. */
export interface PreferencesView {
  email: string;
  name?: string | undefined;
  topics: string[];
  active: boolean;
  unsubscribeToken: string;
}

/** Topic ids a subscriber may pick: the taxonomy plus the catch-all section. */
export function selectableTopicIds(taxonomy: Taxonomy): string[] {
  return [...taxonomy.topics.map((t) => t.id), OTHER_TOPIC_ID];
}

const CAP_NAMES: Record<MailCap, string> = {
  address: 'the per-address cap',
  domain: "its domain's hourly cap",
  total: 'the hourly cap on all sign-up mails',
};

export function createWebSubscriptions(deps: WebSubscriptionsDeps) {
  const { config, secret, clock, store, limits, tasks, log } = deps;
  const topicNames = new Map(deps.taxonomy.topics.map((t) => [t.id, t.name]));
  topicNames.set(OTHER_TOPIC_ID, 'Other');

  const verify = (token: string, kind: TokenKind) => verifyToken(secret, token, kind, clock());

  async function mail(name: OneOffEmail, to: string, data: Record<string, unknown>): Promise<void> {
    const rendered = await deps.renderEmail(name, data);
    const messageId = `<${name}.${randomUUID()}@${fromDomain(config.from)}>`;
    // Not a reply to anything, and no vacation auto-replies please (RFC 3834).
    const headers: Record<string, string> = { 'Auto-Submitted': 'auto-generated' };
    const raw = await composeMessage({ from: config.from, to, ...rendered, headers, messageId, ...(config.replyTo ? { replyTo: config.replyTo } : {}) });
    await deps.mailer.send({ from: parseMailbox(config.from).address, to, raw, messageId });
  }

  // Only the address and values we generate go into these mails: nothing else the visitor typed.
  function mailConfirmation(sub: Subscriber, now: Date): void {
    const data = {
      email: sub.email,
      confirmUrl: confirmUrl(config.baseUrl, secret, sub, now, config.signup.confirmTtlHours),
      expiresHours: config.signup.confirmTtlHours,
      topics: sub.topics.map((id) => topicNames.get(id) ?? id),
      allTopics: sub.topics.length === 0,
      baseUrl: config.baseUrl,
      signupUrl: `${config.baseUrl}/`,
    };
    tasks.run(`confirmation mail to ${sub.email}`, () => mail('confirm', sub.email, data));
  }

  function mailAlreadySubscribed(sub: Subscriber): void {
    const links = subscriberLinks(config.baseUrl, secret, sub);
    const data = { email: sub.email, preferencesUrl: links.preferencesUrl, unsubscribeUrl: links.unsubscribeUrl, baseUrl: config.baseUrl };
    tasks.run(`already-subscribed mail to ${sub.email}`, () => mail('already-subscribed', sub.email, data));
  }

  /** The state work of a sign-up, after the answer has gone out. */
  async function signUp(input: SignupInput, ip: string, now: Date): Promise<void> {
    // Over a cap nothing changes and nothing is sent: no mail bomb, and no rewriting a request by repeating it.
    const cap = await limits.takeMailTo(input.email);
    if (cap) {
      log(`sign-up for ${input.email} over ${CAP_NAMES[cap]}: no mail`);
      return;
    }
    const { outcome, sub } = await store.changeSubscriber(normaliseEmail(input.email), (current) => {
      const r = requestSignup(current, { email: input.email, name: input.name, topics: input.topics, ip, now });
      return { ...(r.next ? { next: r.next } : {}), result: { outcome: r.outcome, sub: r.sub } };
    });
    if (outcome === 'active') mailAlreadySubscribed(sub);
    else mailConfirmation(sub, now);
  }

  return {
    /**
     * Only what depends on no single address is decided before answering (the IP's cap, the
     * honeypot, the hourly caps); the address's own cap, its row and the mail come afterwards, so
     * the answer takes as long whatever state the address is in.
     */
    async requestSignup(input: SignupInput, ip: string): Promise<SignupAnswer> {
      if (!(await limits.allowRequestFrom(ip))) return { outcome: 'ip-limited' };
      if (input.trap) {
        log(`sign-up ignored: honeypot filled (ip ${ip})`);
        return { outcome: 'accepted' };
      }
      const full = await limits.hourlyCapReached(input.email);
      if (full) {
        log(`sign-up for ${input.email} refused: ${CAP_NAMES[full.cap]} is used up for another ${Math.ceil(full.retryAfterS / 60)} minutes`);
        return { outcome: 'busy', ...full };
      }
      const now = clock();
      tasks.run(`sign-up for ${input.email}`, () => signUp(input, ip, now));
      return { outcome: 'accepted' };
    },

    /** For the GET page: the request this link would confirm, or null when it no longer works. Changes nothing. */
    async checkConfirm(token: string): Promise<ConfirmView | null> {
      const payload = verify(token, 'confirm');
      if (!payload) return null;
      const sub = await store.findSubscriber(normaliseEmail(payload.email));
      if (sub?.status !== 'pending' || sub.tokenVersion !== payload.v) return null;
      return { email: sub.email, name: sub.name, topics: sub.topics.map((id) => topicNames.get(id) ?? id) };
    },

    async confirm(token: string, ip: string): Promise<'confirmed' | 'invalid'> {
      const payload = verify(token, 'confirm');
      if (!payload) return 'invalid';
      const now = clock();
      return store.changeSubscriber(normaliseEmail(payload.email), (current) => {
        const t = confirmSubscription(current, payload, ip, now);
        return { ...(t.next ? { next: t.next } : {}), result: t.outcome };
      });
    },

    /**
     * For the GET page with its button: null for an invalid link, else a preferences token for the same
     * address (offering fewer topics instead; the link proves the same mailbox a preferences link does).
     */
    unsubscribePage(token: string): { preferencesToken: string } | null {
      const payload = verify(token, 'unsubscribe');
      if (!payload) return null;
      return { preferencesToken: signToken(secret, { kind: 'preferences', email: payload.email, v: payload.v }) };
    },

    /** Idempotent: 'done' for a valid token whatever the state (RFC 8058 wants 200 every time). */
    async unsubscribe(token: string): Promise<'done' | 'invalid'> {
      const payload = verify(token, 'unsubscribe');
      if (!payload) return 'invalid';
      const now = clock();
      const outcome = await store.changeSubscriber(normaliseEmail(payload.email), (current) => {
        const t = unsubscribe(current, now);
        return { ...(t.next ? { next: t.next } : {}), result: t.outcome };
      });
      if (outcome === 'unsubscribed') log(`unsubscribed ${payload.email}`);
      return 'done';
    },

    async preferences(token: string): Promise<PreferencesView | null> {
      const payload = verify(token, 'preferences');
      if (!payload) return null;
      const sub = await store.findSubscriber(normaliseEmail(payload.email));
      const unsubscribeToken = signToken(secret, { kind: 'unsubscribe', email: payload.email, v: sub?.tokenVersion ?? payload.v });
      if (!sub) return { email: payload.email, topics: [], active: false, unsubscribeToken };
      return { email: sub.email, name: sub.name, topics: [...sub.topics], active: sub.status === 'active', unsubscribeToken };
    },

    /**
     * For the GET page of a section's "stop this topic" link: null for an invalid link or an unknown
     * topic, else the topic's name and the links the page offers instead (preferences, unsubscribe).
     */
    stopTopicPage(token: string, topicId: string): { topicName: string; preferencesToken: string; unsubscribeToken: string } | null {
      const payload = verify(token, 'stop-topic');
      const topicName = topicNames.get(topicId);
      if (!payload || topicName === undefined) return null;
      const sign = (kind: 'preferences' | 'unsubscribe') => signToken(secret, { kind, email: payload.email, v: payload.v });
      return { topicName, preferencesToken: sign('preferences'), unsubscribeToken: sign('unsubscribe') };
    },

    async stopTopic(token: string, topicId: string): Promise<DropTopicOutcome | 'invalid'> {
      const payload = verify(token, 'stop-topic');
      if (!payload || !topicNames.has(topicId)) return 'invalid';
      const now = clock();
      const outcome = await store.changeSubscriber(normaliseEmail(payload.email), (current) => {
        const t = dropTopic(current, topicId, selectableTopicIds(deps.taxonomy), now);
        return { ...(t.next ? { next: t.next } : {}), result: t.outcome };
      });
      if (outcome === 'dropped') log(`${payload.email} stopped topic ${topicId}`);
      return outcome;
    },

    async savePreferences(token: string, prefs: { name?: string | undefined; topics: string[] }): Promise<'saved' | 'not-active' | 'invalid'> {
      const payload = verify(token, 'preferences');
      if (!payload) return 'invalid';
      const now = clock();
      return store.changeSubscriber(normaliseEmail(payload.email), (current) => {
        const t = setPreferences(current, prefs, now);
        return { ...(t.next ? { next: t.next } : {}), result: t.outcome };
      });
    },
  };
}

export type WebSubscriptions = ReturnType<typeof createWebSubscriptions>;
