// `paperboy subscribers import` (and the one-time import of a subscribers file at start): two passes
// over the rows. The first checks every row and writes nothing, so a file with any bad row is
// refused whole; the second applies the rows in batches, each batch one transaction. Memory stays
// flat whatever the file's size (only the addresses seen are kept, with a number each, to report repeats).
import { checkImportRow, importRefused, rowNamesTopics, type ImportSkip, type RawRow } from '../domain/subscriber-import.js';
import { activateSubscriber } from '../domain/subscriber-ops.js';
import type { Subscriber } from '../domain/subscriber.js';
import type { SubscriberRows } from './store-ports.js';

const BATCH = 1000;
/** Updated and skipped rows listed in a report; the counts are always complete. */
const LISTED = 200;

export interface ImportReport {
  added: number;
  restored: number;
  updated: number;
  skipped: number;
  /** The first LISTED of each, for the report. */
  updates: { where: string; email: string; changes: string[] }[];
  skips: ImportSkip[];
}

export interface ImportSource {
  /** File name, for messages. */
  name: string;
  /** Reads the rows from the start; called once per pass. */
  rows: () => AsyncIterable<RawRow>;
}

type Planned = { kind: 'add'; where: string; email: string; name?: string; topics?: string[] } | { kind: 'restore'; where: string; sub: Subscriber };

/** `topicIds` given: topic ids in the file are checked against the taxonomy (undefined: taken as they are). */
export async function importSubscribers(store: Pick<SubscriberRows, 'changeSubscribers'>, source: ImportSource, topicIds: (() => Promise<string[]>) | undefined, now: Date): Promise<ImportReport> {
  const report: ImportReport = { added: 0, restored: 0, updated: 0, skipped: 0, updates: [], skips: [] };
  const skip = (s: ImportSkip) => {
    report.skipped++;
    if (report.skips.length < LISTED) report.skips.push(s);
  };

  // Pass 1: check everything, write nothing.
  let known: string[] | undefined;
  const errors: string[] = [];
  let errorCount = 0;
  for await (const raw of source.rows()) {
    if (!known && topicIds && rowNamesTopics(raw)) known = await topicIds();
    const c = checkImportRow(raw, known);
    if (c.kind === 'error') {
      errorCount++;
      if (errors.length < 20) errors.push(c.message);
    }
  }
  if (errorCount > 0) throw importRefused(source.name, errors, errorCount);

  // Pass 2: apply, a batch per transaction. Repeated addresses to add are found by address (the
  // first row's number is kept, not its label: a million labels would cost more memory than the
  // rest of the import). A whole record repeated needs no such list: its row is in the database by
  // then, and a record is never restored over one that exists.
  const firstSeen = new Map<string, number>();
  const rowNumber = (where: string) => Number(/\d+/.exec(where)?.[0] ?? -1);
  let batch: Planned[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const rows = batch;
    batch = [];
    await store.changeSubscribers(
      rows.map((r) => (r.kind === 'add' ? r.email : r.sub.email)),
      (current) => {
        const next = new Map<string, Subscriber | null>();
        for (const r of rows) {
          const email = r.kind === 'add' ? r.email : r.sub.email;
          const existing = next.get(email) ?? current.get(email);
          if (r.kind === 'restore') {
            if (existing) skip({ where: r.where, email, reason: `already in the database (${existing.status}, there before the import or from an earlier row of the file); remove it first to restore this record` });
            else {
              next.set(email, r.sub);
              report.restored++;
            }
            continue;
          }
          const { kind: _k, where, ...input } = r;
          const outcome = activateSubscriber(existing ?? undefined, input, now, 'import');
          if (outcome.action === 'skipped') {
            skip({ where, email, reason: outcome.reason });
            continue;
          }
          next.set(email, outcome.subscriber);
          if (outcome.action === 'added') report.added++;
          else {
            report.updated++;
            if (report.updates.length < LISTED) report.updates.push({ where, email, changes: outcome.changes });
          }
        }
        return { next, result: undefined };
      },
    );
  };
  for await (const raw of source.rows()) {
    const c = checkImportRow(raw, known);
    if (c.kind === 'error') continue; // checked in pass 1; a file changed in between is caught by the rows' own checks
    if (c.kind === 'skip') {
      skip(c.skip);
      continue;
    }
    const where = c.kind === 'add' ? c.row.where : c.where;
    const email = c.kind === 'add' ? c.row.email : c.sub.email;
    if (c.kind === 'add') {
      const first = firstSeen.get(email);
      if (first !== undefined) {
        skip({ where, email, reason: `same address as ${where.replace(/\d+/, String(first))}` });
        continue;
      }
      firstSeen.set(email, rowNumber(where));
    }
    batch.push(c.kind === 'add' ? { kind: 'add', ...c.row } : { kind: 'restore', where, sub: c.sub });
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  return report;
}
