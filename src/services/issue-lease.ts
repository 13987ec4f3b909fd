// One sender per issue, across processes and machines: a lease row in the database, renewed while
// the send runs (by a timer and by every delivery commit). A holder that dies stops renewing, and
// its lease is free once it expires — at once, when the holder was a process on this machine that
// no longer exists. A holder is a random id per send, so a reused pid cannot pass for the old owner
// (it only makes us wait for the expiry). The delivery rows' own claims keep anyone from being sent an issue twice
// even if two senders ever overlapped; the lease keeps the issue's run (meta, archive, report) single.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { PaperboyError } from '../errors.js';
import type { LeaseHolder, LeaseRows } from './store-ports.js';

/** A dead sender's issue is free this long after its last renewal. */
export const LEASE_TTL_MS = 10_000;
const RENEW_EVERY_MS = 3_000;

/** Where a holder runs: for messages, and to tell a dead holder on this machine. */
const where = `${hostname()} pid ${process.pid}`;

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A holder that ran on this machine in a process that is gone (kill -9, a crash). */
export function holderIsGone(info: string): boolean {
  const m = /^(.*) pid (\d+)$/.exec(info);
  return m !== null && m[1] === hostname() && Number(m[2]) !== process.pid && !processExists(Number(m[2]));
}

export const issueLeaseName = (issueId: string) => `send:${issueId}`;

export interface HeldLease {
  readonly name: string;
  readonly holder: string;
  readonly ttlMs: number;
  /** Set when a renewal found the lease taken or gone: the run must stop. */
  lost(): Error | undefined;
  release(): Promise<void>;
}

export interface LeaseOptions {
  /** Wait for the other sender instead of failing with SEND_IN_PROGRESS. */
  wait?: boolean;
  signal?: AbortSignal;
  clock: () => Date;
  ttlMs?: number;
}

export function busyMessage(what: string, by: LeaseHolder, nowMs: number): string {
  const secs = Math.max(0, Math.ceil((by.expiresAtMs - nowMs) / 1000));
  return `${what[0]!.toUpperCase()}${what.slice(1)} is in progress (${by.info}). Wait for it to finish, or run again with --wait; if that process has stopped, its lease expires within ${secs} s and a new send resumes.`;
}

/** Takes the issue's lease (SEND_IN_PROGRESS with the holder and retryAt when taken) and keeps renewing it. */
export function acquireIssueLease(store: LeaseRows, issueId: string, opts: LeaseOptions): Promise<HeldLease> {
  return acquireLease(store, issueLeaseName(issueId), `a send of issue ${issueId}`, opts);
}

/** Whether someone holds the lease `name` right now (an expired one does not count). */
export async function isLeaseHeld(store: Pick<LeaseRows, 'readLease'>, name: string, now: Date): Promise<boolean> {
  const l = await store.readLease(name);
  return l !== undefined && l.expiresAtMs > now.getTime();
}

/** Takes the lease `name` (`what` holds it, for messages: "a send of issue X") and keeps renewing it until released. */
export async function acquireLease(store: LeaseRows, name: string, what: string, opts: LeaseOptions): Promise<HeldLease> {
  const ttlMs = opts.ttlMs ?? LEASE_TTL_MS;
  // A new holder per send: two sends in one process exclude each other too.
  const me = { holder: randomUUID(), info: where };
  for (;;) {
    const nowMs = opts.clock().getTime();
    let r = await store.acquireLease(name, me, ttlMs, nowMs);
    // Right after a kill -9 on this machine: no need to wait for the dead holder's lease to expire.
    if (!r.held && holderIsGone(r.by.info)) r = await store.acquireLease(name, me, ttlMs, nowMs, r.by.holder);
    if (r.held) break;
    if (!opts.wait || opts.signal?.aborted) {
      throw new PaperboyError('SEND_IN_PROGRESS', busyMessage(what, r.by, nowMs), { holder: r.by.info, retryAt: new Date(r.by.expiresAtMs + 250).toISOString() });
    }
    await sleep(Math.min(Math.max(r.by.expiresAtMs - nowMs, 100), RENEW_EVERY_MS), undefined, opts.signal ? { signal: opts.signal } : {}).catch(() => undefined);
  }
  let lost: Error | undefined;
  const timer = setInterval(() => {
    store.renewLease(name, me.holder, ttlMs, opts.clock().getTime()).then(
      (ok) => {
        if (!ok) lost ??= new PaperboyError('SEND_IN_PROGRESS', `Lost the lease for ${what} (another process took it over); stopping so two never overlap.`);
      },
      // A failed renewal is not yet a lost lease: the next delivery commit renews it or says so.
      () => undefined,
    );
  }, RENEW_EVERY_MS);
  timer.unref();
  return {
    name,
    holder: me.holder,
    ttlMs,
    lost: () => lost,
    async release() {
      clearInterval(timer);
      if (!lost) await store.releaseLease(name, me.holder).catch(() => undefined);
    },
  };
}
