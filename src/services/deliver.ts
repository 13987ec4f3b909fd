// The delivery loop of one send run: one worker per SMTP connection takes the next recipient (a
// due retry first, then the streamed list), builds their message, claims it ("sending", durable,
// and only if they are still subscribed), hands it to the connection, and queues the outcome. What
// a failure means is decided by decideFailure (domain/ledger-state.ts); retries due soon are
// waited for here, later ones are left deferred for a later run.
import { MailerError, classifySmtpError, type Mailer, type RawMessage } from '../adapters/mailer.js';
import type { Config } from '../config.js';
import { decideFailure, type FailureDecision } from '../domain/ledger-state.js';
import { Pacer } from '../domain/send-pacing.js';
import { PaperboyError, isPaperboyError } from '../errors.js';
import type { DeliveryWriter } from './delivery-writer.js';

export interface DeliveryJob {
  email: string;
  name?: string;
  /** The subscriber's token version when the job was read; their links are made with it. */
  tokenVersion: number;
  variantKey: string;
  /** First attempt is a deliberate resend of an uncertain entry. */
  resend?: boolean;
  /** Attempts made by earlier runs (a deferred recipient). */
  attempts: number;
  /** When this recipient was first deferred (ms), if it was. */
  deferredSinceMs?: number;
}

export interface DeliveryProgress {
  total: number;
  done: number;
  sent: number;
  failed: number;
  skipped: number;
}

export interface DeliveryFailure {
  email: string;
  messageId?: string;
  kind: string;
  response: string;
  responseCode?: number;
}

export interface DeliveryOutcome {
  sent: number;
  failed: number;
  /** Deferred in this run and not retried before it ended. */
  deferred: number;
  /** Not tried: the run stopped (or was aborted) before they came up. */
  pending: number;
  /** Not claimed: unsubscribed (or bounced, or taken by another sender) since the list was read. */
  inactive: number;
  failures: DeliveryFailure[];
  /** Bytes of the messages the server accepted. */
  bytes: number;
  /** Why the run stopped early (SMTP_UNREACHABLE, SMTP_REJECTED, a store error, a lost lease), if it did. */
  stop?: Error;
  aborted: boolean;
}

export interface DeliveryDeps {
  /** The recipients, grouped by variant (shared by every worker). */
  jobs: AsyncIterator<DeliveryJob>;
  /** How many recipients `jobs` will yield (for progress). */
  total: number;
  writer: Pick<DeliveryWriter, 'claim' | 'mark'>;
  mailer: Mailer;
  build: (job: DeliveryJob) => Promise<RawMessage>;
  /** Called once, when the server first accepts a message of this run. */
  onFirstSent?: () => void;
  smtp: Config['smtp'];
  /** host:port for messages, or "outbox". */
  server: string;
  clock: () => Date;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  random: () => number;
  signal?: AbortSignal;
  onProgress?: (p: DeliveryProgress) => void;
  log: (line: string) => void;
}

interface Retry extends DeliveryJob {
  notBefore: number;
}

function stopError(d: DeliveryDeps, decision: Extract<FailureDecision, { record: 'deferred' }>, err: MailerError | PaperboyError, failuresInARow: number): Error {
  if (err instanceof PaperboyError) return err;
  const reply = err.response ?? err.message;
  if (decision.stop === 'rejected') {
    const what = err.command?.startsWith('AUTH') ? 'refused the login' : 'refused the sender address';
    return new PaperboyError('SMTP_REJECTED', `The SMTP server at ${d.server} ${what}: ${reply}. Check smtpUrl and from; a later \`paperboy send\` resumes.`);
  }
  return new PaperboyError(
    'SMTP_UNREACHABLE',
    `SMTP server at ${d.server} is not accepting mail: ${failuresInARow} recipients in a row failed (last: ${reply}). ` +
      'Nobody was marked failed; a later `paperboy send` (or the scheduler) resumes.',
  );
}

export async function deliver(d: DeliveryDeps): Promise<DeliveryOutcome> {
  const now = () => d.clock().getTime();
  const out: DeliveryOutcome = { sent: 0, failed: 0, deferred: 0, pending: 0, inactive: 0, failures: [], bytes: 0, aborted: false };
  const retries: Retry[] = [];
  const pacer = new Pacer(d.smtp.rateLimit);
  const lifetimeMs = d.smtp.deferredLifetimeHours * 3_600_000;
  let pulled = 0;
  let sourceDone = false;
  // Recipients whose attempts failed since the server last accepted a message: several different
  // ones in a row say the server, not the recipient, is the problem (one recipient retried does not).
  const failingInARow = new Set<string>();
  let firstSent = false;
  const progress = () => d.onProgress?.({ total: d.total, done: out.sent + out.failed + out.deferred + out.inactive, sent: out.sent, failed: out.failed, skipped: out.inactive });
  const halted = () => out.stop !== undefined || d.signal?.aborted === true;
  const stop = (e: Error) => {
    out.stop ??= e;
  };

  /** A due retry, the next listed recipient, 'wait' for a retry due soon, or undefined when done. */
  const next = async (): Promise<DeliveryJob | number | undefined> => {
    retries.sort((a, b) => a.notBefore - b.notBefore);
    if (retries[0] && retries[0].notBefore <= now()) return retries.shift();
    if (!sourceDone) {
      const r = await d.jobs.next();
      if (!r.done) {
        pulled++;
        return r.value;
      }
      sourceDone = true;
    }
    const soonest = retries[0];
    if (!soonest) return undefined;
    return soonest.notBefore;
  };

  const runOne = async (job: DeliveryJob): Promise<void> => {
    const msg = await d.build(job);
    const claimed = await d.writer.claim({ email: job.email, variant: job.variantKey, messageId: msg.messageId, tokenVersion: job.tokenVersion, ...(job.resend ? { resend: true } : {}) });
    if (!claimed) {
      out.inactive++;
      return;
    }
    const attempts = job.attempts + 1;
    const wait = pacer.take(now());
    if (wait > 0) await d.sleep(wait, d.signal);
    let response: string;
    try {
      response = (await d.mailer.send(msg)).response;
    } catch (e) {
      const local = isPaperboyError(e);
      const err = local ? e : e instanceof MailerError ? e : classifySmtpError(e);
      failingInARow.add(job.email);
      const failuresInARow = failingInARow.size;
      const decision = decideFailure(
        { kind: err instanceof MailerError ? err.kind : 'temporary', ...(err instanceof MailerError && err.command ? { command: err.command } : {}), local },
        {
          nowMs: now(),
          attempts,
          ...(job.deferredSinceMs !== undefined ? { deferredSinceMs: job.deferredSinceMs } : {}),
          failuresInARow,
          retryBaseMs: d.smtp.retryBaseMs,
          lifetimeMs,
          maxFailuresInARow: d.smtp.maxFailuresInARow,
          random: d.random(),
        },
      );
      const reply = err instanceof MailerError ? { response: err.response ?? err.message, ...(err.responseCode ? { responseCode: err.responseCode } : {}), kind: err.kind } : { response: err.message, kind: 'local' };
      if (decision.record === 'failed') {
        const failure = { email: job.email, messageId: msg.messageId, ...reply, ...('gaveUp' in decision ? { response: `gave up after ${d.smtp.deferredLifetimeHours} h of temporary failures: ${reply.response}` } : {}) };
        const { messageId: _m, ...reason } = failure;
        d.writer.mark({ ...reason, outcome: 'failed', ...(decision.bounce ? { bounceLimit: d.smtp.hardBounceLimit } : {}) });
        out.failed++;
        out.failures.push(failure);
        return;
      }
      d.writer.mark({ email: job.email, outcome: 'deferred', ...reply, nextAttemptAt: new Date(decision.nextAttemptMs).toISOString() });
      if (decision.stop) {
        out.deferred++;
        stop(stopError(d, decision, err, failingInARow.size));
      } else if (!halted() && decision.nextAttemptMs - now() <= d.smtp.maxRetryWaitMs) {
        retries.push({ ...job, resend: false, attempts, deferredSinceMs: job.deferredSinceMs ?? now(), notBefore: decision.nextAttemptMs });
      } else {
        out.deferred++;
      }
      return;
    }
    failingInARow.clear();
    d.writer.mark({ email: job.email, outcome: 'sent', response });
    out.sent++;
    out.bytes += typeof msg.raw === 'string' ? Buffer.byteLength(msg.raw) : msg.raw.length;
    msg.release?.();
    if (!firstSent) {
      firstSent = true;
      d.onFirstSent?.();
    }
  };

  const worker = async (): Promise<void> => {
    while (!halted()) {
      let job: DeliveryJob | number | undefined;
      try {
        job = await next();
      } catch (e) {
        stop(e as Error);
        return;
      }
      if (job === undefined) return;
      if (typeof job === 'number') {
        await d.sleep(Math.max(1, job - now()), d.signal);
        continue;
      }
      try {
        await runOne(job);
      } catch (e) {
        // The ledger could not be written (database error, lost lease) or a message could not be
        // built: nothing more can be sent safely.
        stop(e as Error);
        return;
      }
      progress();
    }
  };

  // One message per connection at a time: "sending" is recorded just before a connection takes it,
  // so a crash leaves at most one uncertain entry per connection.
  await Promise.all(Array.from({ length: Math.max(1, d.smtp.connections) }, worker));
  // Retries still waiting when the run ended stay deferred in the ledger for a later run.
  out.deferred += retries.length;
  out.aborted = d.signal?.aborted === true && out.stop === undefined;
  out.pending = Math.max(0, d.total - pulled);
  return out;
}
