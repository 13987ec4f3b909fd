// What the ledger knows: every issue with its counts per state, failures with the SMTP reply, and
// uncertain entries (left in "sending" by a run that died). Read-only; takes no locks.
import type { Ledger } from '../adapters/ledger.js';
import { countStates, type StateCounts } from '../domain/ledger-state.js';
import { PaperboyError } from '../errors.js';

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
  /** A send of this issue is running now (its "sending" entries are in flight, not uncertain). */
  inProgress: boolean;
  counts: StateCounts;
  uncertain: string[];
  failures: { email: string; attempts: number; response?: string; responseCode?: number; at: string }[];
  testSends: { sent: number; failed: number };
}

export async function ledgerStatus(ledger: Ledger, issueId?: string): Promise<IssueStatus[]> {
  const metas = await ledger.listMeta();
  const chosen = issueId ? metas.filter((m) => m.issueId === issueId) : metas;
  if (issueId && chosen.length === 0) {
    throw new PaperboyError('INPUT_INVALID', `No issue ${issueId} in the ledger. Run \`paperboy status\` to list known issues.`);
  }
  const out: IssueStatus[] = [];
  for (const m of chosen.sort((a, b) => b.date.localeCompare(a.date) || b.issueId.localeCompare(a.issueId))) {
    const [state, test, inProgress] = await Promise.all([ledger.read(m.issueId), ledger.read(m.issueId, { test: true }), ledger.inProgress(m.issueId)]);
    const records = [...state.values()];
    const testCounts = countStates(test);
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
      counts: countStates(state),
      uncertain: inProgress ? [] : records.filter((r) => r.state === 'sending').map((r) => r.email),
      failures: records
        .filter((r) => r.state === 'failed')
        .map((r) => ({
          email: r.email,
          attempts: r.attempts,
          ...(r.lastResponse ? { response: r.lastResponse } : {}),
          ...(r.lastResponseCode ? { responseCode: r.lastResponseCode } : {}),
          at: r.updatedAt,
        })),
      testSends: { sent: testCounts.sent, failed: testCounts.failed },
    });
  }
  return out;
}
