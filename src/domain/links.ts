// The per-subscriber links placed in every mail. Pure: the clock and the secret come in as arguments.
import type { Subscriber } from './subscriber.js';
import { signToken } from './tokens.js';

export interface SubscriberLinks {
  unsubscribeUrl: string;
  preferencesUrl: string;
  webUrl: string;
  /** `<this>/<topic id>` stops one topic (the page asks first). */
  stopTopicUrl: string;
}

type LinkSubscriber = Pick<Subscriber, 'email' | 'tokenVersion'>;

const trimBase = (baseUrl: string) => baseUrl.replace(/\/+$/, '');

/** Unsubscribe, preferences and stop-topic links never expire (they sit in old mails); the web link is the archive copy. */
export function subscriberLinks(baseUrl: string, secret: string, sub: LinkSubscriber, issueId?: string): SubscriberLinks {
  const base = trimBase(baseUrl);
  const v = sub.tokenVersion ?? 0;
  return {
    unsubscribeUrl: `${base}/unsubscribe/${signToken(secret, { kind: 'unsubscribe', email: sub.email, v })}`,
    preferencesUrl: `${base}/preferences/${signToken(secret, { kind: 'preferences', email: sub.email, v })}`,
    webUrl: issueId ? `${base}/archive/${encodeURIComponent(issueId)}` : `${base}/archive`,
    stopTopicUrl: `${base}/stop-topic/${signToken(secret, { kind: 'stop-topic', email: sub.email, v })}`,
  };
}

/** Confirmation link: expires after `ttlHours` and is spent by bumping the subscriber's tokenVersion. */
export function confirmUrl(baseUrl: string, secret: string, sub: LinkSubscriber, now: Date, ttlHours: number): string {
  const exp = Math.floor(now.getTime() / 1000) + Math.round(ttlHours * 3600);
  return `${trimBase(baseUrl)}/confirm/${signToken(secret, { kind: 'confirm', email: sub.email, v: sub.tokenVersion ?? 0, exp })}`;
}
