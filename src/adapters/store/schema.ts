// The tables, as Kysely sees them. Times are ISO-8601 text (as everywhere in paperboy, and they sort
// as text); lists and records are JSON text, so both databases store and compare them the same way.
import type { Generated } from 'kysely';

export interface SubscribersTable {
  id: Generated<number>;
  email: string;
  name: string | null;
  /** JSON array of topic ids, sorted and without duplicates ('[]' = all topics): the send groups by it. */
  topics: string;
  status: string;
  created_at: string;
  updated_at: string | null;
  unsubscribed_at: string | null;
  hard_bounces: number;
  token_version: number;
  /** JSON: ConsentSchema. */
  consent: string;
  /** JSON object of fields paperboy does not know, kept from an imported file so an export gives them back. */
  extra: string | null;
}

export interface IssuesTable {
  id: string;
  digest_path: string | null;
  date: string;
  subject: string | null;
  /** JSON array. */
  paper_ids: string;
  variants: number | null;
  /** JSON object. */
  counts: string | null;
  started_at: string | null;
  finished_at: string | null;
  last_run_at: string | null;
  runs: number;
  skipped: string | null;
  delivered_at: string | null;
}

export interface DeliveriesTable {
  issue_id: string;
  email: string;
  /** sending | sent | failed | deferred (no row: not tried yet). */
  state: string;
  attempts: number;
  variant: string | null;
  message_id: string | null;
  last_response: string | null;
  last_response_code: number | null;
  last_kind: string | null;
  first_at: string;
  updated_at: string;
  sent_at: string | null;
  deferred_since: string | null;
  next_attempt_at: string | null;
}

export interface TestSendsTable {
  message_id: string;
  issue_id: string;
  email: string;
  state: string;
  response: string | null;
  at: string;
}

export interface SentPapersTable {
  paper_id: string;
  issue_id: string;
  sent_at: string;
}

export interface ArchiveTable {
  issue_id: string;
  date: string;
  subject: string;
  paper_count: number;
  sent_at: string;
  html: string;
  text: string;
}

export interface LeasesTable {
  name: string;
  holder: string;
  info: string;
  /** Milliseconds since the epoch (compared with the holder's clock). */
  expires_at: number;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface FetchLogTable {
  source: string;
  date: string;
  /** JSON: FetchRecordSchema (domain/fetch/fetch-record.ts). */
  record: string;
}

export interface Database {
  subscribers: SubscribersTable;
  issues: IssuesTable;
  deliveries: DeliveriesTable;
  test_sends: TestSendsTable;
  sent_papers: SentPapersTable;
  archive: ArchiveTable;
  leases: LeasesTable;
  settings: SettingsTable;
  fetch_log: FetchLogTable;
}
