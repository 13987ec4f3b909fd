// Admin operations on the subscriber list (CLI, admin HTTP): each is one locked store update.
import type { SubscriberStore } from '../adapters/subscriber-store.js';
import type { ParsedImport } from '../domain/subscriber-import.js';
import {
  activateSubscriber,
  removeSubscriber,
  type AddOutcome,
  type RemoveOutcome,
  type SubscriberInput,
} from '../domain/subscriber-ops.js';

export function addSubscriber(store: SubscriberStore, input: SubscriberInput, now: Date): Promise<AddOutcome> {
  return store.update((subs) => activateSubscriber(subs, input, now, 'admin'));
}

export function unsubscribeOrPurge(store: SubscriberStore, email: string, now: Date, opts: { purge?: boolean } = {}): Promise<RemoveOutcome> {
  return store.update((subs) => removeSubscriber(subs, email, now, opts));
}

export interface ImportReport {
  added: { where: string; email: string }[];
  updated: { where: string; email: string; changes: string[] }[];
  skipped: { where: string; email: string; reason: string }[];
}

/** Applies parsed rows in one update, so an import is all-or-nothing on disk as well. */
export function importSubscribers(store: SubscriberStore, parsed: ParsedImport, now: Date): Promise<ImportReport> {
  return store.update((subs) => {
    const report: ImportReport = { added: [], updated: [], skipped: [...parsed.skipped] };
    for (const row of parsed.rows) {
      const { where, ...input } = row;
      const outcome = activateSubscriber(subs, input, now, 'import');
      if (outcome.action === 'added') report.added.push({ where, email: row.email });
      else if (outcome.action === 'updated') report.updated.push({ where, email: row.email, changes: outcome.changes });
      else report.skipped.push({ where, email: row.email, reason: outcome.reason });
    }
    return report;
  });
}
