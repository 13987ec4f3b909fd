// Delivery states of one (issue, subscriber) pair, after Ghost's email-service model and an MTA's
// queue: not tried yet → sending → sent | failed | deferred, and deferred → sending when retried.
// A record left in "sending" (the process died between handing the message to an SMTP connection
// and the server's answer) is *uncertain*: the server may have accepted it, so it is never retried
// blindly. What to do with a failed attempt is decided here, purely: time comes in as arguments.
import { backoffMs } from './send-pacing.js';

/** pending = owed and not tried yet (no record). */
export const DELIVERY_STATES = ['pending', 'sending', 'sent', 'failed', 'deferred'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

export type StateCounts = Record<DeliveryState, number>;

/** How the mailer classifies a failed attempt: 4xx and timeouts, 5xx, a refused or lost connection. */
export type FailureKind = 'temporary' | 'permanent' | 'connection';

/** What an attempt's failure says, as the mailer classified it. */
export interface AttemptFailure {
  kind: FailureKind;
  /** The SMTP command that got the reply (MAIL FROM, RCPT TO, DATA, AUTH …), when known. */
  command?: string;
  /** Our side (an outbox that cannot be written, a full disk): never the recipient's fault. */
  local?: boolean;
}

export interface FailureContext {
  nowMs: number;
  /** Attempts made for this recipient so far, this one included. */
  attempts: number;
  /** When this recipient's first temporary failure happened (ms), if before this one. */
  deferredSinceMs?: number;
  /** Recipients whose attempts failed in a row, this one included, with no message accepted between. */
  failuresInARow: number;
  retryBaseMs: number;
  /** How long a recipient stays deferred before it fails for good. */
  lifetimeMs: number;
  /** Failures in a row that stop the run: the server, not the recipients, is the problem. */
  maxFailuresInARow: number;
  /** In [0, 1): jitter for the backoff. */
  random: number;
}

export type FailureDecision =
  /** Permanent (5xx) for this recipient: failed, and a hard bounce counts against the address. */
  | { record: 'failed'; bounce: true }
  /** Temporary for too long: failed, no bounce. */
  | { record: 'failed'; bounce: false; gaveUp: true }
  /** Try this recipient again at `nextAttemptMs`; `stop` ends the run (everyone else waits too). */
  | { record: 'deferred'; nextAttemptMs: number; stop?: 'rejected' | 'unreachable' | 'local' };

export function decideFailure(f: AttemptFailure, c: FailureContext): FailureDecision {
  const next = c.nowMs + backoffMs(c.attempts, c.retryBaseMs, c.random);
  // Our own side: nothing is the recipient's fault and every message would fail the same way.
  if (f.local) return { record: 'deferred', nextAttemptMs: next, stop: 'local' };
  // A refused sender or login is the configuration, not this recipient: stop, blame nobody.
  if ((f.kind === 'permanent' && f.command === 'MAIL FROM') || f.command?.startsWith('AUTH')) return { record: 'deferred', nextAttemptMs: next, stop: 'rejected' };
  if (f.kind === 'permanent') return { record: 'failed', bounce: true };
  const since = c.deferredSinceMs ?? c.nowMs;
  if (c.nowMs - since >= c.lifetimeMs) return { record: 'failed', bounce: false, gaveUp: true };
  if (c.failuresInARow >= c.maxFailuresInARow) return { record: 'deferred', nextAttemptMs: next, stop: 'unreachable' };
  return { record: 'deferred', nextAttemptMs: next };
}
