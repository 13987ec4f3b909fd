// Subscribers as stored in subscribers.json. The file is the source of truth and may be hand-edited.
import { z } from 'zod';
import { nameSchema } from './names.js';

export const SUBSCRIBER_STATUSES = ['pending', 'active', 'unsubscribed', 'bounced'] as const;
export type SubscriberStatus = (typeof SUBSCRIBER_STATUSES)[number];

export const ConsentSchema = z.object({
  /** When and from where the address asked to subscribe (web form), or who added it (admin). */
  requestedAt: z.string().optional(),
  requestedIp: z.string().optional(),
  confirmedAt: z.string().optional(),
  confirmedIp: z.string().optional(),
  /** Topics chosen at the time of consent. */
  topics: z.array(z.string()).optional(),
  /** "web" (double opt-in), "admin" (CLI/API add), "import". */
  method: z.enum(['web', 'admin', 'import']).optional(),
});

export const SubscriberSchema = z.object({
  email: z.email(),
  name: nameSchema.optional(),
  /** Topic ids; empty means all topics. */
  topics: z.array(z.string()).default([]),
  status: z.enum(SUBSCRIBER_STATUSES),
  createdAt: z.string(),
  updatedAt: z.string().optional(),
  unsubscribedAt: z.string().optional(),
  /** Permanent SMTP failures (5xx) so far; at the configured limit the status becomes "bounced". */
  hardBounces: z.number().int().nonnegative().default(0),
  consent: ConsentSchema.default({}),
  /**
   * Bumped when a single-use token (confirmation) is spent or when the address unsubscribes, so
   * older tokens of that kind stop working.
   */
  tokenVersion: z.number().int().nonnegative().default(0),
});
export type Subscriber = z.infer<typeof SubscriberSchema>;

export const SubscribersFileSchema = z.object({
  subscribers: z.array(SubscriberSchema),
});
export type SubscribersFile = z.infer<typeof SubscribersFileSchema>;

/** Addresses compare case-insensitively; stored lower-cased. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Does this subscriber want a paper tagged with `paperTopics`? Empty topic list means everything. */
export function wantsAny(sub: Pick<Subscriber, 'topics'>, paperTopics: readonly string[]): boolean {
  if (sub.topics.length === 0) return true;
  return paperTopics.some((t) => sub.topics.includes(t));
}
