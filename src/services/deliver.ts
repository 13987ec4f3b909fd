// The delivery loop of one send run: N workers (N = SMTP pool size) take recipients from a queue,
// check the subscriber is still active, write "sending" to the ledger (fsynced), hand the message
// to SMTP, and write the outcome. Temporary failures come back after an exponential backoff;
// permanent ones fail that recipient; a run of connection failures stops the whole run.
import { MailerError, classifySmtpError, type Mailer, type RawMessage } from '../adapters/mailer.js';
import type { OpenLedger } from '../adapters/ledger.js';
import type { SubscriberStore } from '../adapters/subscriber-store.js';
import type { Config } from '../config.js';
import type { LedgerEvent } from '../domain/ledger-state.js';
import { Pacer, backoffMs } from '../domain/send-pacing.js';
import { normaliseEmail } from '../domain/subscriber.js';
import { PaperboyError, isPaperboyError } from '../errors.js';
import type { SubscriberWatch, WatchedSubscriber } from './subscriber-watch.js';

export interface DeliveryJob {
  email: string;
  variantKey: string;
  /** First attempt is a deliberate resend of an uncertain entry. */
  resend?: boolean;
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
  /** Left pending: the run stopped (or was aborted) before they were done. */
  pending: number;
  /** Became inactive (unsubscribed, bounced) or left the list during the run. */
  inactive: string[];
  failures: DeliveryFailure[];
  /** Bytes of the messages the server accepted. */
  bytes: number;
  /** Why the run stopped early (SMTP_UNREACHABLE, SMTP_REJECTED, a ledger error), if it did. */
  stop?: Error;
  aborted: boolean;
}

export interface DeliveryDeps {
  ledger: OpenLedger;
  mailer: Mailer;
  watch: Pick<SubscriberWatch, 'current'>;
  store: Pick<SubscriberStore, 'update'>;
  /** Builds the message for a job from the subscriber's current record. */
  build: (job: DeliveryJob, sub: WatchedSubscriber) => Promise<RawMessage>;
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

interface Queued extends DeliveryJob {
  attempts: number;
  notBefore: number;
}

/** Messages in progress per SMTP connection (see the end of deliver). */
export const IN_FLIGHT_PER_CONNECTION = 4;

export async function deliver(jobs: readonly DeliveryJob[], d: DeliveryDeps): Promise<DeliveryOutcome> {
  const now = () => d.clock().getTime();
  // Jobs are taken by index (no second copy of a 100,000-entry list); `ready` holds only jobs put
  // back when the run halted.
  let cursor = 0;
  const ready: Queued[] = [];
  const delayed: Queued[] = [];
  const pacer = new Pacer(d.smtp.rateLimit);
  const out: DeliveryOutcome = { sent: 0, failed: 0, pending: 0, inactive: [], failures: [], bytes: 0, aborted: false };
  let consecutiveConnectionFailures = 0;
  const trailing = new Set<Promise<unknown>>();
  const progress = () =>
    d.onProgress?.({ total: jobs.length, done: out.sent + out.failed + out.inactive.length, sent: out.sent, failed: out.failed, skipped: out.inactive.length });
  const halted = () => out.stop !== undefined || d.signal?.aborted === true;
  const stop = (e: Error) => {
    out.stop ??= e;
  };
  const record = (ev: Omit<LedgerEvent, 'at'>) => d.ledger.append({ at: d.clock().toISOString(), ...ev });

  const bounce = async (email: string) => {
    try {
      await d.store.update((subs) => {
        const s = subs.find((x) => normaliseEmail(x.email) === email);
        if (!s) return;
        s.hardBounces = (s.hardBounces ?? 0) + 1;
        s.updatedAt = d.clock().toISOString();
        if (s.hardBounces >= d.smtp.hardBounceLimit && s.status === 'active') s.status = 'bounced';
      });
    } catch (e) {
      d.log(`could not record the bounce of ${email}: ${(e as Error).message}`);
    }
  };

  const next = (): Queued | 'wait' | undefined => {
    if (ready.length > 0) return ready.shift();
    if (cursor < jobs.length) return { ...jobs[cursor++]!, attempts: 0, notBefore: 0 };
    if (delayed.length === 0) return undefined;
    delayed.sort((a, b) => a.notBefore - b.notBefore);
    if (delayed[0]!.notBefore <= now()) return delayed.shift();
    return 'wait';
  };

  const handleFailure = async (job: Queued, messageId: string, err: MailerError): Promise<void> => {
    const base = { email: job.email, messageId, response: err.response ?? err.message, ...(err.responseCode ? { responseCode: err.responseCode } : {}), kind: err.kind };
    // A refused sender or login is the configuration, not this recipient: stop, blame nobody.
    const refusedSender = err.kind === 'permanent' && err.command === 'MAIL FROM';
    const refusedLogin = err.command?.startsWith('AUTH') === true;
    if (refusedSender || refusedLogin) {
      await record({ ...base, event: 'deferred' });
      const what = refusedLogin ? 'refused the login' : 'refused the sender address';
      stop(new PaperboyError('SMTP_REJECTED', `The SMTP server at ${d.server} ${what}: ${base.response}. Check smtpUrl and from; a later \`paperboy send\` resumes.`));
      return;
    }
    if (err.kind === 'permanent') {
      await record({ ...base, event: 'failed' });
      out.failed++;
      out.failures.push(base);
      await bounce(job.email);
      return;
    }
    if (err.kind === 'connection' && ++consecutiveConnectionFailures >= d.smtp.maxConnectionFailures) {
      await record({ ...base, event: 'deferred' });
      stop(
        new PaperboyError(
          'SMTP_UNREACHABLE',
          `SMTP server unreachable at ${d.server}: ${err.message} (${consecutiveConnectionFailures} connection failures in a row). A later \`paperboy send\` resumes.`,
        ),
      );
      return;
    }
    if (job.attempts >= d.smtp.maxAttempts) {
      const failure = { ...base, response: `gave up after ${job.attempts} attempts: ${base.response}` };
      await record({ ...failure, event: 'failed' });
      out.failed++;
      out.failures.push(failure);
      return;
    }
    await record({ ...base, event: 'deferred' });
    if (!halted()) delayed.push({ ...job, resend: false, notBefore: now() + backoffMs(job.attempts, d.smtp.retryBaseMs, d.random()) });
  };

  const runOne = async (job: Queued): Promise<void> => {
    const sub = await d.watch.current(job.email);
    if (!sub || sub.status !== 'active') {
      out.inactive.push(job.email);
      return;
    }
    const msg = await d.build(job, sub);
    job.attempts++;
    await record({ email: job.email, event: 'sending', attempt: job.attempts, variant: job.variantKey, messageId: msg.messageId, ...(job.resend ? { resend: true } : {}) });
    let response: string;
    try {
      response = (await d.mailer.send(msg)).response;
    } catch (e) {
      if (isPaperboyError(e)) {
        // Our side, not the recipient's (an outbox folder that cannot be written, a full disk):
        // every message would fail the same way. Stop; a later run resumes.
        await record({ email: job.email, messageId: msg.messageId, event: 'deferred', kind: 'local', response: e.message });
        stop(e);
        return;
      }
      await handleFailure(job, msg.messageId, e instanceof MailerError ? e : classifySmtpError(e));
      return;
    }
    consecutiveConnectionFailures = 0;
    out.sent++;
    out.bytes += typeof msg.raw === 'string' ? Buffer.byteLength(msg.raw) : msg.raw.length;
    msg.release?.();
    // The worker moves on while "sent" is synced: if the process dies first the entry stays
    // "sending" (uncertain, never resent), so waiting here would buy no safety, only latency.
    const write = record({ email: job.email, messageId: msg.messageId, event: 'sent', response }).catch((e: Error) => stop(e));
    trailing.add(write);
    void write.finally(() => trailing.delete(write));
  };

  const worker = async (): Promise<void> => {
    while (!halted()) {
      const job = next();
      if (job === undefined) return;
      if (job === 'wait') {
        await d.sleep(Math.max(1, Math.min(...delayed.map((j) => j.notBefore)) - now()), d.signal);
        continue;
      }
      const wait = pacer.take(now());
      if (wait > 0) await d.sleep(wait, d.signal);
      if (halted()) {
        ready.unshift(job);
        return;
      }
      try {
        await runOne(job);
      } catch (e) {
        // The ledger could not be written (disk full, lock lost) or a message could not be built:
        // nothing more can be sent safely.
        stop(e as Error);
        return;
      }
      progress();
    }
  };

  // More workers than connections: while one message is on the wire, the next ones are already
  // checked, built and recorded as "sending" (their fsyncs batched), waiting in the pool's queue, so
  // no connection idles on a disk sync. Small enough that a subscriber who unsubscribes mid-run is
  // still seen within a few messages.
  await Promise.all(Array.from({ length: Math.max(1, d.smtp.connections) * IN_FLIGHT_PER_CONNECTION }, worker));
  await Promise.all(trailing);
  out.aborted = d.signal?.aborted === true && out.stop === undefined;
  out.pending = jobs.length - out.sent - out.failed - out.inactive.length;
  return out;
}
