// What an install kept in files before the database: subscribers.json, and in the state folder the
// ledger (ledger/<issue>.meta.json and <issue>.jsonl, one event per line) and the archive
// (archive/<issue>.json, .html, .txt). Read once, at the first start on a database, so an upgrade
// resumes unfinished issues without sending anyone an issue twice and keeps past issues online.
import { existsSync, statSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { DeliveryState } from '../domain/ledger-state.js';
import type { LegacyIssue, LegacyState } from '../services/legacy-import.js';
import type { ArchiveEntry, DeliveryRecord, IssueMeta } from '../services/store-ports.js';
import { readImportFile } from './import-file.js';

async function names(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch {
    return [];
  }
}

async function json(path: string): Promise<Record<string, unknown> | undefined> {
  try {
    const v = JSON.parse(await readFile(path, 'utf8')) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

function metaFrom(o: Record<string, unknown>): IssueMeta | undefined {
  const issueId = str(o.issueId);
  const date = str(o.date);
  if (!issueId || !date || !Array.isArray(o.paperIds)) return undefined;
  const out: IssueMeta = { issueId, date, paperIds: o.paperIds.filter((p): p is string => typeof p === 'string'), runs: typeof o.runs === 'number' ? o.runs : 0 };
  for (const k of ['digestPath', 'subject', 'startedAt', 'finishedAt', 'lastRunAt', 'skipped'] as const) {
    const v = str(o[k]);
    if (v) out[k] = v;
  }
  if (typeof o.variants === 'number') out.variants = o.variants;
  return out;
}

/** Replays one ledger file's events into a record per address; a torn or bad line is passed over and counted. */
function replay(text: string): { records: DeliveryRecord[]; badLines: number } {
  const byEmail = new Map<string, DeliveryRecord>();
  let badLines = 0;
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let ev: Record<string, unknown>;
    try {
      ev = JSON.parse(line) as Record<string, unknown>;
    } catch {
      badLines++;
      continue;
    }
    const email = str(ev.email);
    const at = str(ev.at);
    const event = str(ev.event);
    if (!email || !at || !event) {
      badLines++;
      continue;
    }
    const rec: DeliveryRecord = byEmail.get(email) ?? { email, state: 'pending', attempts: 0, firstAt: at, updatedAt: at };
    rec.updatedAt = at;
    if (str(ev.variant)) rec.variant = str(ev.variant)!;
    if (str(ev.messageId)) rec.messageId = str(ev.messageId)!;
    if (str(ev.response)) rec.lastResponse = str(ev.response)!;
    if (typeof ev.responseCode === 'number') rec.lastResponseCode = ev.responseCode;
    if (str(ev.kind)) rec.lastKind = str(ev.kind)!;
    const to: Record<string, DeliveryState> = { sending: 'sending', sent: 'sent', failed: 'failed', deferred: 'deferred' };
    const state = to[event];
    if (!state) {
      badLines++;
      continue;
    }
    if (state === 'sending') rec.attempts++;
    if (state === 'sent') rec.sentAt = at;
    // The old ledger retried temporary failures within the run: such an entry is due now.
    if (state === 'deferred') {
      rec.deferredSince ??= at;
      rec.nextAttemptAt = at;
    }
    rec.state = state;
    byEmail.set(email, rec);
  }
  return { records: [...byEmail.values()].filter((r) => r.state !== 'pending'), badLines };
}

async function* issues(ledgerDir: string): AsyncGenerator<LegacyIssue> {
  for (const n of await names(ledgerDir)) {
    if (!n.endsWith('.meta.json')) continue;
    const o = await json(join(ledgerDir, n));
    const meta = o && metaFrom(o);
    if (!meta) continue;
    const text = await readFile(join(ledgerDir, `${meta.issueId}.jsonl`), 'utf8').catch(() => '');
    yield { meta, ...replay(text) };
  }
}

async function* archive(dir: string): AsyncGenerator<ArchiveEntry> {
  for (const n of await names(dir)) {
    if (!n.endsWith('.json')) continue;
    const o = await json(join(dir, n));
    const issueId = str(o?.issueId);
    if (!o || !issueId || `${issueId}.json` !== n) continue;
    const [html, text] = await Promise.all([readFile(join(dir, `${issueId}.html`), 'utf8').catch(() => undefined), readFile(join(dir, `${issueId}.txt`), 'utf8').catch(() => '')]);
    if (html === undefined) continue;
    yield { issueId, date: str(o.date) ?? '', subject: str(o.subject) ?? issueId, paperCount: typeof o.paperCount === 'number' ? o.paperCount : 0, sentAt: str(o.sentAt) ?? '', html, text };
  }
}

export function legacyStateFiles(subscribersPath: string, stateDir: string): LegacyState {
  const ledgerDir = join(stateDir, 'ledger');
  const archiveDir = join(stateDir, 'archive');
  return {
    // Only a file: the setting may still point where an install once kept it.
    subscribers: statSync(subscribersPath, { throwIfNoEntry: false })?.isFile() ? { name: subscribersPath, rows: () => readImportFile(subscribersPath, subscribersPath) } : undefined,
    stateFiles: existsSync(ledgerDir) || existsSync(archiveDir) ? { where: `${ledgerDir} and ${archiveDir}`, issues: () => issues(ledgerDir), archive: () => archive(archiveDir) } : undefined,
  };
}
