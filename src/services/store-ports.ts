// What the services need to keep beyond a process, as row operations: subscribers with their
// consent records, issues, the delivery ledger, papers already sent, the archive, settings and the
// sender's lease. One store (src/adapters/store/) implements all of it over SQLite or PostgreSQL;
// each service asks only for the part it uses.
import type { FetchRecord } from '../domain/fetch/fetch-record.js';
import type { DeliveryState } from '../domain/ledger-state.js';
import type { Subscriber, SubscriberStatus } from '../domain/subscriber.js';

export interface StoredSubscriber extends Subscriber {
  /** Row id: the order subscribers are listed and sent in. */
  id: number;
}

/** What a change to one row decided: `next` left out = no write, null = delete the row. */
export interface RowChange<T> {
  next?: Subscriber | null;
  result: T;
}

export interface SubscriberRows {
  findSubscriber(email: string): Promise<StoredSubscriber | undefined>;
  /** Reads the address's row, lets `change` decide, and writes the outcome, as one transaction. */
  changeSubscriber<T>(email: string, change: (current: Subscriber | undefined) => RowChange<T>): Promise<T>;
  /**
   * The same for many addresses at once (imports): `change` gets the rows that exist and returns
   * the rows to write (null = delete); all of them are written, or none.
   */
  changeSubscribers<T>(emails: readonly string[], change: (current: ReadonlyMap<string, Subscriber>) => { next: Map<string, Subscriber | null>; result: T }): Promise<T>;
  /** One page in id order (keyset paging: pass the last id seen). */
  listSubscribers(page: { status?: SubscriberStatus; afterId?: number; limit: number }): Promise<StoredSubscriber[]>;
  countSubscribers(): Promise<Record<SubscriberStatus, number>>;
}

/** An active subscriber owed an issue, with what a message to them needs. */
export interface Recipient {
  id: number;
  email: string;
  name?: string;
  tokenVersion: number;
  /** Their delivery row for this issue, when a run already tried them. */
  state?: DeliveryState;
  attempts?: number;
  deferredSince?: string;
}

export interface OwedOptions {
  /** Also those a crashed run left "sending" (they may get the issue twice). */
  resendUncertain?: boolean;
  /** ISO time: deferred entries count as owed once their next attempt is due. */
  now: string;
}

export interface RecipientRows {
  /** The topic sets (sorted ids, [] = all topics) of active subscribers owed the issue, with how many chose each. */
  owedTopicSets(issueId: string, opts: OwedOptions): Promise<{ topics: string[]; count: number }[]>;
  /** One page of those owed the issue among subscribers who chose exactly `topics`, in id order. */
  owedRecipients(issueId: string, topics: readonly string[], page: { afterId: number; limit: number }, opts: OwedOptions): Promise<Recipient[]>;
}

export interface DeliveryRecord {
  email: string;
  state: DeliveryState;
  attempts: number;
  variant?: string;
  messageId?: string;
  lastResponse?: string;
  lastResponseCode?: number;
  lastKind?: string;
  firstAt: string;
  updatedAt: string;
  sentAt?: string;
  /** Deferred: when the first temporary failure happened, and when it is tried next. */
  deferredSince?: string;
  nextAttemptAt?: string;
}

/** "About to hand this message to an SMTP connection": claimed only if the subscriber is still active and nobody else has it. */
export interface DeliveryClaim {
  email: string;
  variant: string;
  messageId: string;
  /** The token version the message's links were made with; a change since (unsubscribed and back) refuses the claim. */
  tokenVersion: number;
  /** A deliberate resend of an entry left "sending" by a crashed run. */
  resend?: boolean;
}

/** What became of a message the server answered (or a local failure). */
export interface DeliveryMark {
  email: string;
  outcome: 'sent' | 'failed' | 'deferred';
  response?: string;
  responseCode?: number;
  kind?: string;
  /** Deferred: when to try again. */
  nextAttemptAt?: string;
  /** Failed permanently: count a hard bounce, and mark the subscriber bounced at this many. */
  bounceLimit?: number;
}

export interface DeliveryBatch {
  issueId: string;
  at: string;
  /** The sender's lease on the issue, renewed by the same transaction. */
  lease: { name: string; holder: string; ttlMs: number; nowMs: number };
  marks: readonly DeliveryMark[];
  claims: readonly DeliveryClaim[];
}

export interface DeliveryRows {
  /**
   * One transaction: renews the lease (when it is no longer held, nothing is written and
   * `leaseHeld` is false), applies the marks in order, then tries the claims; `claimed[i]` says
   * whether claims[i] is now "sending".
   */
  commitDeliveries(batch: DeliveryBatch): Promise<{ leaseHeld: boolean; claimed: boolean[] }>;
  deliveryCounts(issueId: string): Promise<Record<DeliveryState, number>>;
  listDeliveries(issueId: string, state: DeliveryState, limit?: number): Promise<DeliveryRecord[]>;
  /** The earliest next attempt of a deferred entry (of this issue, or of any issue). */
  nextDeferredAttempt(issueId?: string): Promise<string | undefined>;
  /** Deferred entries first deferred before `olderThan` fail for good; returns how many. */
  expireDeferred(issueId: string, olderThan: string, at: string): Promise<number>;
  /** Writes delivery records as they are (an import of an older install's ledger). */
  restoreDeliveries(issueId: string, records: readonly DeliveryRecord[]): Promise<void>;
  recordTestSend(row: { issueId: string; messageId: string; email: string; outcome: 'sent' | 'failed'; response: string; at: string }): Promise<void>;
  testSendCounts(issueId: string): Promise<{ sent: number; failed: number }>;
}

export interface IssueMeta {
  issueId: string;
  digestPath?: string;
  date: string;
  subject?: string;
  /** Papers this issue carries, fixed at its first send so a resumed run sends the same content. */
  paperIds: string[];
  variants?: number;
  counts?: Record<string, number>;
  startedAt?: string;
  /** Set when a run got through every recipient with nobody left deferred. */
  finishedAt?: string;
  lastRunAt?: string;
  runs: number;
  /** Why the issue was not sent at all (e.g. every paper went out in earlier issues). */
  skipped?: string;
  /** When the server first accepted a message of this issue: from then on its papers count as sent. */
  deliveredAt?: string;
}

export interface IssueRows {
  getIssue(issueId: string): Promise<IssueMeta | undefined>;
  saveIssue(meta: IssueMeta): Promise<void>;
  /** Newest date first. */
  listIssues(): Promise<IssueMeta[]>;
  /** Of `paperIds`, those an earlier issue (not `exceptIssue`) delivered to someone: paper id → issue id. */
  papersSentBefore(paperIds: readonly string[], exceptIssue: string): Promise<Map<string, string>>;
  /** The issue reached a reader: sets deliveredAt (once) and counts its papers as sent. */
  markIssueDelivered(issueId: string, paperIds: readonly string[], at: string): Promise<void>;
}

export interface ArchiveEntry {
  issueId: string;
  date: string;
  subject: string;
  paperCount: number;
  sentAt: string;
  html: string;
  text: string;
}
export type ArchiveSummary = Omit<ArchiveEntry, 'html' | 'text'>;

export interface ArchiveRows {
  /** Saves or replaces the entry for e.issueId. */
  saveArchive(e: ArchiveEntry): Promise<void>;
  /** Newest first (by date, then sentAt). */
  listArchive(): Promise<ArchiveSummary[]>;
  getArchive(issueId: string): Promise<ArchiveEntry | undefined>;
}

export interface LeaseHolder {
  holder: string;
  /** Host and pid, for messages. */
  info: string;
  expiresAtMs: number;
}

export interface LeaseRows {
  /**
   * Takes the lease when it is free, expired or already ours (or still held by `takeOver`, a holder
   * known to be dead); otherwise says who holds it.
   */
  acquireLease(name: string, me: { holder: string; info: string }, ttlMs: number, nowMs: number, takeOver?: string): Promise<{ held: true } | { held: false; by: LeaseHolder }>;
  renewLease(name: string, holder: string, ttlMs: number, nowMs: number): Promise<boolean>;
  releaseLease(name: string, holder: string): Promise<void>;
  readLease(name: string): Promise<LeaseHolder | undefined>;
}

export interface SettingRows {
  getSetting(key: string): Promise<string | undefined>;
  /** Stores `value` unless the key has one; returns the value stored (ours or the earlier one). */
  putSettingOnce(key: string, value: string): Promise<string>;
}

/** What fetching each source gave per day (services/fetch-sources.ts keeps it through its FetchLog). */
export interface FetchRows {
  getFetchRecord(source: string, date: string): Promise<FetchRecord | undefined>;
  putFetchRecord(record: FetchRecord): Promise<void>;
  /** Every record from `sinceDate` on, by date, then source. */
  listFetchRecords(sinceDate: string): Promise<FetchRecord[]>;
}

/** Everything above, from one database. */
export interface Store extends SubscriberRows, RecipientRows, DeliveryRows, IssueRows, ArchiveRows, LeaseRows, SettingRows, FetchRows {
  /** "SQLite database /srv/paperboy/state/paperboy.db" or "PostgreSQL database paperboy on db.example.org:5432", for messages. */
  readonly label: string;
  close(): Promise<void>;
}
