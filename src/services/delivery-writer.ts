// Group commit for a send's ledger writes. Claims ("sending", awaited before the SMTP transaction
// starts) and marks (what the server said, not awaited) queue up and go to the database together,
// in order, in one transaction that also renews the sender's lease. A connection's next claim is
// therefore durable only after its previous message's mark: a crash leaves at most the message in
// flight on each connection uncertain.
import { PaperboyError } from '../errors.js';
import type { HeldLease } from './issue-lease.js';
import type { DeliveryClaim, DeliveryMark, DeliveryRows } from './store-ports.js';

interface Waiting {
  claim: DeliveryClaim;
  resolve: (claimed: boolean) => void;
  reject: (e: unknown) => void;
}

export class DeliveryWriter {
  private marks: DeliveryMark[] = [];
  private claims: Waiting[] = [];
  private flushing: Promise<void> | undefined;
  private scheduled = false;
  /** The first failure (database, lost lease): every later write fails with it. */
  private failure: Error | undefined;

  constructor(
    private readonly store: Pick<DeliveryRows, 'commitDeliveries'>,
    private readonly issueId: string,
    private readonly lease: HeldLease,
    private readonly clock: () => Date,
  ) {}

  /** Resolves true once the claim is committed, false when the subscriber is no longer active or someone else has it. */
  claim(claim: DeliveryClaim): Promise<boolean> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<boolean>((resolve, reject) => {
      this.claims.push({ claim, resolve, reject });
      this.schedule();
    });
  }

  /** Queued; written with the next commit. A failure surfaces through error() and the next claim. */
  mark(mark: DeliveryMark): void {
    if (this.failure) return;
    this.marks.push(mark);
    this.schedule();
  }

  error(): Error | undefined {
    return this.failure;
  }

  /** Waits until everything queued is written. */
  async drain(): Promise<void> {
    while (this.scheduled || this.flushing) await (this.flushing ?? new Promise((r) => setImmediate(r)));
    if (this.failure) throw this.failure;
  }

  private schedule(): void {
    if (this.scheduled || this.flushing) return;
    this.scheduled = true;
    // The next turn of the event loop: claims from every connection that finished in this one join
    // the same commit (SQLite answers synchronously, so nothing else would gather them).
    setImmediate(() => {
      this.scheduled = false;
      this.flushing = this.flushLoop().finally(() => (this.flushing = undefined));
    });
  }

  private async flushLoop(): Promise<void> {
    while (this.marks.length > 0 || this.claims.length > 0) {
      const marks = this.marks;
      const waiting = this.claims;
      this.marks = [];
      this.claims = [];
      try {
        const lost = this.lease.lost();
        if (lost) throw lost;
        const now = this.clock();
        const r = await this.store.commitDeliveries({
          issueId: this.issueId,
          at: now.toISOString(),
          lease: { name: this.lease.name, holder: this.lease.holder, ttlMs: this.lease.ttlMs, nowMs: now.getTime() },
          marks,
          claims: waiting.map((w) => w.claim),
        });
        if (!r.leaseHeld) throw new PaperboyError('SEND_IN_PROGRESS', `Lost the lease on issue ${this.issueId} (another sender took it over); stopping so two senders never overlap.`, { issueId: this.issueId });
        waiting.forEach((w, i) => w.resolve(r.claimed[i] ?? false));
      } catch (e) {
        this.failure ??= e as Error;
        for (const w of waiting) w.reject(this.failure);
        for (const w of this.claims.splice(0)) w.reject(this.failure);
        this.marks = [];
        return;
      }
    }
  }
}
