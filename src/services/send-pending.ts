// "Send every digest that is not fully sent": what the scheduler's tick and start-up run, and what
// `paperboy send` without a digest does. Idempotent: finished issues are passed over, unfinished
// ones resume. Digests go out oldest first, so "already sent" papers are judged in date order.
import { readDigestFile } from '../adapters/digest-file.js';
import { listDigestFiles, type DigestFileEntry } from '../adapters/digest-folder.js';
import type { Digest } from '../domain/digest.js';
import { digestAgeDays, isTooOld } from '../domain/digest-age.js';
import { issueIdFor } from '../domain/issue-id.js';
import { PaperboyError, isPaperboyError } from '../errors.js';
import type { SendOptions, SendPorts, SendReport } from './send-common.js';
import { sendIssue } from './send-issue.js';

export interface PendingResult {
  file: string;
  /** Version of the file that was read (the scheduler reports a bad file once per version). */
  mtimeMs?: number;
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
}

export async function sendPending(p: SendPorts, opts: PendingOptions = {}): Promise<PendingSummary> {
  const results: PendingResult[] = [];
  const digests: { file: string; mtimeMs: number; digest: Digest }[] = [];
  for (const entry of await listDigestFiles(p.config.digestsDir)) {
    if (opts.skip?.(entry)) continue;
    const file = entry.path;
    try {
      digests.push({ file, mtimeMs: entry.mtimeMs, digest: await readDigestFile(file, p.clock()) });
    } catch (e) {
      if (!isPaperboyError(e)) throw e;
      // One bad file must not hold up the others: the caller reports it (once) and we go on.
      results.push({ file, mtimeMs: entry.mtimeMs, outcome: 'invalid', message: e.message });
    }
  }
  digests.sort((a, b) => a.digest.date.localeCompare(b.digest.date) || a.file.localeCompare(b.file));

  for (const { file, mtimeMs, digest } of digests) {
    if (opts.signal?.aborted) break;
    const issueId = issueIdFor(digest);
    const meta = await p.ledger.readMeta(issueId);
    if (meta?.finishedAt) {
      results.push({ file, mtimeMs, issueId, outcome: 'done' });
      continue;
    }
    // One issue per file, automatically: a file rewritten after its issue started (a fetch racing a
    // send in another process, an edit) would otherwise go out again as a new issue the same day.
    const earlier = !meta ? (await p.ledger.listMeta()).find((m) => m.digestPath === file && m.issueId !== issueId && (m.startedAt || m.skipped)) : undefined;
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
      if (!isPaperboyError(e)) throw e;
      if (e.code === 'SEND_IN_PROGRESS') {
        results.push({ file, mtimeMs, issueId, outcome: 'busy', message: e.message });
        continue;
      }
      const report = e.details.report as SendReport | undefined;
      if (e.code === 'SMTP_UNREACHABLE' || e.code === 'SMTP_REJECTED') {
        results.push({ file, mtimeMs, issueId, outcome: 'stopped', message: e.message, ...(report ? { report } : {}) });
        return { results, stopped: e };
      }
      results.push({ file, mtimeMs, issueId, outcome: 'error', message: e.message });
      p.log(`${file}: ${e.message}`);
    }
  }
  return { results };
}
