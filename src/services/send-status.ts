// What the ledger knows: every issue with its counts per state, failures with the SMTP reply,
// deferred entries with their next attempt, and uncertain entries (left in "sending" by a run that
// died). Read-only.
import type { StateCounts } from '../domain/ledger-state.js';
import { PaperboyError } from '../errors.js';
import { issueLeaseName } from './issue-lease.js';
import type { DeliveryRows, IssueRows, LeaseRows } from './store-ports.js';

/** Rows listed per state; the counts are always complete. */
const LISTED = 1000;

export interface IssueStatus {
  issueId: string;
  date: string;
  digestPath?: string;
  subject?: string;
  startedAt?: string;
  finishedAt?: string;
  lastRunAt?: string;
  runs: number;
  /** Why the issue was skipped, if it was. */
  skipped?: string;
  /** A send of this issue is running now (its "sending" entries are in flight, not uncertain), and where. */
  inProgress: boolean;
  sender?: string;
  counts: StateCounts;
  uncertain: string[];
  failures: { email: string; attempts: number; response?: string; responseCode?: number; at: string }[];
  deferred: { email: string; attempts: number; response?: string; since?: string; nextAttemptAt?: string }[];
  testSends: { sent: number; failed: number };
}

export async function issueStatus(store: IssueRows & DeliveryRows & LeaseRows, now: Date, issueId?: string): Promise<IssueStatus[]> {
  const metas = await store.listIssues();
  const chosen = issueId ? metas.filter((m) => m.issueId === issueId) : metas;
  if (issueId && chosen.length === 0) {
    throw new PaperboyError('INPUT_INVALID', `No issue ${issueId} is known. Run \`paperboy status\` to list known issues.`);
  }
  const out: IssueStatus[] = [];
  for (const m of chosen) {
    const [counts, lease, testSends] = await Promise.all([store.deliveryCounts(m.issueId), store.readLease(issueLeaseName(m.issueId)), store.testSendCounts(m.issueId)]);
    const inProgress = lease !== undefined && lease.expiresAtMs > now.getTime();
    const [sending, failed, deferred] = await Promise.all([
      inProgress || counts.sending === 0 ? [] : store.listDeliveries(m.issueId, 'sending', LISTED),
      counts.failed === 0 ? [] : store.listDeliveries(m.issueId, 'failed', LISTED),
      counts.deferred === 0 ? [] : store.listDeliveries(m.issueId, 'deferred', LISTED),
    ]);
    out.push({
      issueId: m.issueId,
      date: m.date,
      ...(m.digestPath ? { digestPath: m.digestPath } : {}),
      ...(m.subject ? { subject: m.subject } : {}),
      ...(m.startedAt ? { startedAt: m.startedAt } : {}),
      ...(m.finishedAt ? { finishedAt: m.finishedAt } : {}),
      ...(m.lastRunAt ? { lastRunAt: m.lastRunAt } : {}),
      runs: m.runs,
      ...(m.skipped ? { skipped: m.skipped } : {}),
      inProgress,
      ...(inProgress ? { sender: lease.info } : {}),
      counts,
      uncertain: sending.map((r) => r.email),
      failures: failed.map((r) => ({
        email: r.email,
        attempts: r.attempts,
        ...(r.lastResponse ? { response: r.lastResponse } : {}),
        ...(r.lastResponseCode ? { responseCode: r.lastResponseCode } : {}),
        at: r.updatedAt,
      })),
      deferred: deferred
        .map((r) => ({
          email: r.email,
          attempts: r.attempts,
          ...(r.lastResponse ? { response: r.lastResponse } : {}),
          ...(r.deferredSince ? { since: r.deferredSince } : {}),
          ...(r.nextAttemptAt ? { nextAttemptAt: r.nextAttemptAt } : {}),
        }))
        .sort((a, b) => (a.nextAttemptAt ?? '').localeCompare(b.nextAttemptAt ?? '')),
      testSends,
    });
  }
  return out;
}
