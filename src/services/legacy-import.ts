// The first start on a database of an install that kept its data in files: its subscribers file is
// imported (records restored as they were), and its ledger and archive come in, so unfinished issues
// resume without sending anyone an issue twice. Each happens once (a setting records it); the
// files are left where they are, no longer read, and the log says so.
import { PaperboyError } from '../errors.js';
import type { ArchiveEntry, DeliveryRecord, IssueMeta, Store } from './store-ports.js';
import { importSubscribers, type ImportSource } from './subscriber-import.js';

export interface LegacyIssue {
  meta: IssueMeta;
  records: DeliveryRecord[];
  /** Ledger lines that could not be read (a torn last line after a crash, a hand edit). */
  badLines: number;
}

export interface LegacyState {
  subscribers?: ImportSource;
  stateFiles?: { where: string; issues: () => AsyncIterable<LegacyIssue>; archive: () => AsyncIterable<ArchiveEntry> };
}

const SUBSCRIBERS_DONE = 'imported:subscribers-file';
const STATE_DONE = 'imported:state-files';

export async function importLegacyState(store: Store, legacy: LegacyState, now: Date, log: (line: string) => void): Promise<void> {
  if (legacy.subscribers && !(await store.getSetting(SUBSCRIBERS_DONE))) {
    const counts = await store.countSubscribers();
    if (Object.values(counts).every((n) => n === 0)) {
      try {
        // Topic ids are kept as they are: one the taxonomy no longer has is reported at send time.
        const r = await importSubscribers(store, legacy.subscribers, undefined, now);
        if (r.restored + r.added > 0)
          log(
          `imported ${legacy.subscribers.name} into the ${store.label}: ${r.restored + r.added} subscribers${r.skipped ? `, ${r.skipped} skipped` : ''}. ` +
            'The file is no longer read; `paperboy subscribers export` writes one from the database.',
        );
      } catch (e) {
        if (e instanceof PaperboyError) throw new PaperboyError(e.code, `Cannot import the subscribers file into the database: ${e.message}`, e.details);
        throw e;
      }
    }
    await store.putSettingOnce(SUBSCRIBERS_DONE, now.toISOString());
  }
  if (legacy.stateFiles && !(await store.getSetting(STATE_DONE))) {
    if ((await store.listIssues()).length === 0) {
      let issues = 0;
      let entries = 0;
      let bad = 0;
      for await (const { meta, records, badLines } of legacy.stateFiles.issues()) {
        await store.saveIssue(meta);
        await store.restoreDeliveries(meta.issueId, records);
        const firstSent = records.filter((r) => r.sentAt).map((r) => r.sentAt!).sort()[0];
        if (firstSent) await store.markIssueDelivered(meta.issueId, meta.paperIds, firstSent);
        issues++;
        entries += records.length;
        bad += badLines;
      }
      let archived = 0;
      for await (const e of legacy.stateFiles.archive()) {
        await store.saveArchive(e);
        archived++;
      }
      if (issues + archived > 0) {
        log(`imported ${issues} issues (${entries} delivery records${bad ? `, ${bad} unreadable ledger lines passed over` : ''}) and ${archived} archived issues from ${legacy.stateFiles.where}; those files are no longer read.`);
      }
    }
    await store.putSettingOnce(STATE_DONE, now.toISOString());
  }
}
