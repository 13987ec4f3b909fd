// Delivery states of one (issue, subscriber) pair, after Ghost's email-service model:
//   pending → sending → sent | failed, and sending → pending when a temporary failure is retried.
// A record left in "sending" (the process died between "about to hand it to SMTP" and "the server
// answered") is *uncertain*: the server may have accepted it, so it is never retried blindly.
// Pure: events carry their own timestamps; the ledger adapter writes and replays them.
import { z } from 'zod';

export const DELIVERY_STATES = ['pending', 'sending', 'sent', 'failed'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** What a ledger line says happened. `deferred` = a temporary failure, back to pending for a retry. */
export const LedgerEventSchema = z.object({
  /** ISO timestamp. */
  at: z.string(),
  /** Recipient address (normalised). */
  email: z.string().min(1),
  event: z.enum(['sending', 'sent', 'failed', 'deferred']),
  /** 1-based SMTP attempt this event belongs to. */
  attempt: z.number().int().positive().optional(),
  variant: z.string().optional(),
  messageId: z.string().optional(),
  /** The SMTP server's reply (or the error) as text. */
  response: z.string().optional(),
  responseCode: z.number().int().optional(),
  /** For failures: temporary | permanent | connection. */
  kind: z.string().optional(),
  /** A deliberate resend of an uncertain entry (`--resend-uncertain`). */
  resend: z.boolean().optional(),
});
export type LedgerEvent = z.infer<typeof LedgerEventSchema>;

export interface LedgerRecord {
  email: string;
  state: DeliveryState;
  /** SMTP transactions started for this recipient, over all runs. */
  attempts: number;
  variant?: string;
  messageId?: string;
  lastResponse?: string;
  lastResponseCode?: number;
  lastKind?: string;
  firstAt: string;
  updatedAt: string;
  sentAt?: string;
}

export type LedgerState = ReadonlyMap<string, LedgerRecord>;

/** What sending needs of a record: its state and attempt count (details stay in the ledger file). */
export type LedgerBrief = Pick<LedgerRecord, 'email' | 'state' | 'attempts'>;
/** The state an open ledger keeps in memory for a run: one brief per recipient. */
export type LedgerBriefState = ReadonlyMap<string, LedgerBrief>;

const ALLOWED: Record<DeliveryState, readonly LedgerEvent['event'][]> = {
  pending: ['sending'],
  // `sending` again only as an explicit resend of an uncertain record (checked below).
  sending: ['sent', 'failed', 'deferred', 'sending'],
  sent: [],
  failed: [],
};

export class LedgerTransitionError extends Error {}

/** The record after `ev`. Throws LedgerTransitionError for a move the model does not allow. */
export function applyEvent(rec: LedgerRecord | undefined, ev: LedgerEvent): LedgerRecord {
  const from: DeliveryState = rec?.state ?? 'pending';
  const ok = ALLOWED[from].includes(ev.event) && !(from === 'sending' && ev.event === 'sending' && !ev.resend);
  if (!ok) throw new LedgerTransitionError(`${ev.email}: cannot go from ${from} to ${ev.event}`);
  const base: LedgerRecord = rec ?? { email: ev.email, state: 'pending', attempts: 0, firstAt: ev.at, updatedAt: ev.at };
  const next: LedgerRecord = { ...base, updatedAt: ev.at };
  if (ev.variant !== undefined) next.variant = ev.variant;
  if (ev.messageId !== undefined) next.messageId = ev.messageId;
  switch (ev.event) {
    case 'sending':
      next.state = 'sending';
      next.attempts = base.attempts + 1;
      break;
    case 'sent':
      next.state = 'sent';
      next.sentAt = ev.at;
      break;
    case 'failed':
    case 'deferred':
      next.state = ev.event === 'failed' ? 'failed' : 'pending';
      break;
  }
  if (ev.response !== undefined) next.lastResponse = ev.response;
  if (ev.responseCode !== undefined) next.lastResponseCode = ev.responseCode;
  if (ev.kind !== undefined) next.lastKind = ev.kind;
  return next;
}

/** Folds events (in file order) into the current record per address. */
export function replayEvents(events: Iterable<LedgerEvent>): Map<string, LedgerRecord> {
  const out = new Map<string, LedgerRecord>();
  for (const ev of events) out.set(ev.email, applyEvent(out.get(ev.email), ev));
  return out;
}

export interface StateCounts {
  pending: number;
  sending: number;
  sent: number;
  failed: number;
}

export function countStates(state: ReadonlyMap<string, Pick<LedgerRecord, 'state'>>): StateCounts {
  const c: StateCounts = { pending: 0, sending: 0, sent: 0, failed: 0 };
  for (const r of state.values()) c[r.state]++;
  return c;
}

/** Records left in "sending" by a run that died mid-transaction. */
export function uncertainRecords(state: LedgerState): LedgerRecord[] {
  return [...state.values()].filter((r) => r.state === 'sending');
}
