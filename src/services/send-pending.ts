// "Send every digest that is not fully sent": what the scheduler's tick and start-up run, and what
// `paperboy send` without a digest does. Idempotent: finished issues are passed over, unfinished
// ones resume. Digests go out oldest first, so "already sent" papers are judged in date order.
import { listDigestFiles, type DigestFileEntry } from '../adapters/digest-folder.js';
import type { Digest } from '../domain/digest.js';
import { digestAgeDays, isTooOld } from '../domain/digest-age.js';
import { issueIdFor } from '../domain/issue-id.js';
import { PaperboyError, isPaperboyError } from '../errors.js';
import type { SendOptions, SendPorts, SendReport } from './send-common.js';
import { digestWorkInThread } from './prepare-issue.js';
import { sendIssue } from './send-issue.js';

export interface PendingResult {
  file: string;
  /** Version of the file that was read (the scheduler reports a bad file once per version). */
  mtimeMs?: number;
  /** busy: when the other sender's lease runs out (a takeover is due then if it has died). */
  retryAt?: string;
  issueId?: string;
  /**
   * invalid: the file is not a digest; done: sent before; busy: another process sends it; too-old:
   * dated more than maxDigestAgeDays ago and never started, so left for an explicit send; changed: the
   * file's content changed after an issue from it had started, so left for an explicit send.
   */
  outcome: SendReport['outcome'] | 'invalid' | 'done' | 'busy' | 'error' | 'too-old' | 'changed';
  message?: string;
  report?: SendReport;
}

export interface PendingOptions extends Pick<SendOptions, 'signal' | 'onProgress' | 'onStart'> {
  /** Files to leave alone this time (the scheduler passes bad files it has already reported). */
  skip?: (file: DigestFileEntry) => boolean;
}

export interface PendingSummary {
  results: PendingResult[];
  /** Set when the SMTP server could not be used: later digests were not tried. */
  stopped?: PaperboyError;
  /** The earliest time worth checking again: a deferred retry falling due, or a busy issue's lease running out. */
  retryAt?: string;
}

const earliest = (a: string | undefined, b: string | undefined) => (!a ? b : !b ? a : a < b ? a : b);

export async function sendPending(p: SendPorts, opts: PendingOptions = {}): Promise<PendingSummary> {
  const results: PendingResult[] = [];
  const digests: { file: string; mtimeMs: number; digest: Digest }[] = [];
  for (const entry of await listDigestFiles(p.config.digestsDir)) {
    if (opts.skip?.(entry)) continue;
    if (opts.signal?.aborted) break;
    const file = entry.path;
    try {
      digests.push({ file, mtimeMs: entry.mtimeMs, digest: await (p.digestWork ?? digestWorkInThread).read(file, p.clock(), opts.signal) });
    } catch (e) {
      if (opts.signal?.aborted) break;
      // One bad file must not hold up the others, even one that trips a bug in a parser: the caller
      // reports it (once) and we go on.
      const message = isPaperboyError(e) ? e.message : `${file}: unexpected error while reading it (please report it with the file): ${e instanceof Error ? e.message : String(e)}`;
      results.push({ file, mtimeMs: entry.mtimeMs, outcome: 'invalid', message });
    }
  }
  digests.sort((a, b) => a.digest.date.localeCompare(b.digest.date) || a.file.localeCompare(b.file));

  for (const { file, mtimeMs, digest } of digests) {
    if (opts.signal?.aborted) break;
    const issueId = issueIdFor(digest);
    const meta = await p.store.getIssue(issueId);
    if (meta?.finishedAt) {
      results.push({ file, mtimeMs, issueId, outcome: 'done' });
      continue;
    }
    // One issue per file, automatically: a file rewritten after its issue started (a fetch racing a
    // send in another process, an edit) would otherwise go out again as a new issue the same day.
    const earlier = !meta ? (await p.store.listIssues()).find((m) => m.digestPath === file && m.issueId !== issueId && (m.startedAt || m.skipped)) : undefined;
    if (earlier) {
      results.push({
        file,
        mtimeMs,
        issueId,
        outcome: 'changed',
        message: `changed after issue ${earlier.issueId} was made from it, so it is not sent again automatically (one issue per file). Send it on purpose with \`paperboy send ${file}\`.`,
      });
      continue;
    }
    // An old digest nobody started sending is more likely a restored backup than news; a started
    // one is finished whatever its age, or some subscribers would never get it.
    const maxAge = p.config.maxDigestAgeDays;
    if (!meta && isTooOld(digest.date, p.clock(), maxAge)) {
      const age = digestAgeDays(digest.date, p.clock());
      results.push({
        file,
        mtimeMs,
        issueId,
        outcome: 'too-old',
        message: `dated ${digest.date}, ${age} days ago: older than maxDigestAgeDays (${maxAge}), so it is not sent automatically. Send it with \`paperboy send ${file}\`, or raise PAPERBOY_MAX_DIGEST_AGE_DAYS (0 = no limit).`,
      });
      continue;
    }
    try {
      const { skip: _skip, ...sendOpts } = opts;
      const report = await sendIssue(p, file, { ...sendOpts, preparsed: digest });
      results.push({ file, mtimeMs, issueId, outcome: report.outcome, report, ...(report.message ? { message: report.message } : {}) });
      if (report.outcome === 'aborted') break;
    } catch (e) {
      if (opts.signal?.aborted && !isPaperboyError(e)) {
        results.push({ file, mtimeMs, issueId, outcome: 'aborted' });
        break;
      }
      if (!isPaperboyError(e)) throw e;
      if (e.code === 'SEND_IN_PROGRESS') {
        const retryAt = typeof e.details.retryAt === 'string' ? e.details.retryAt : undefined;
        results.push({ file, mtimeMs, issueId, outcome: 'busy', message: e.message, ...(retryAt ? { retryAt } : {}) });
        continue;
      }
      const report = e.details.report as SendReport | undefined;
      if (e.code === 'SMTP_UNREACHABLE' || e.code === 'SMTP_REJECTED') {
        results.push({ file, mtimeMs, issueId, outcome: 'stopped', message: e.message, ...(report ? { report } : {}) });
        return { results, stopped: e, ...(report?.nextAttemptAt ? { retryAt: report.nextAttemptAt } : {}) };
      }
      results.push({ file, mtimeMs, issueId, outcome: 'error', message: e.message });
      p.log(`${file}: ${e.message}`);
    }
  }
  let retryAt = await p.store.nextDeferredAttempt();
  for (const r of results) retryAt = earliest(retryAt, r.retryAt);
  return { results, ...(retryAt ? { retryAt } : {}) };
}
