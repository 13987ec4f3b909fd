// The Store over Kysely: the same queries for SQLite and PostgreSQL, with the few differences
// (row locks, how a transaction starts) kept here. Every method maps driver errors to
// STORE_UNAVAILABLE naming the database, so a full disk or a lost server is one clear line.
import { sql, type Kysely, type Transaction } from 'kysely';
import { FetchRecordSchema, type FetchRecord } from '../../domain/fetch/fetch-record.js';
import type { DeliveryState } from '../../domain/ledger-state.js';
import { ConsentSchema, SUBSCRIBER_STATUSES, type Subscriber, type SubscriberStatus } from '../../domain/subscriber.js';
import type {
  ArchiveEntry,
  ArchiveSummary,
  DeliveryBatch,
  DeliveryRecord,
  IssueMeta,
  LeaseHolder,
  OwedOptions,
  Recipient,
  RowChange,
  Store,
  StoredSubscriber,
} from '../../services/store-ports.js';
import type { Dialect } from './migrations.js';
import type { Database, DeliveriesTable, IssuesTable, SubscribersTable } from './schema.js';
import { slot, statementTemplate } from './statement-template.js';
import { isUniqueViolation, mapStoreError } from './store-errors.js';

type Db = Kysely<Database> | Transaction<Database>;
type Row<T> = { [K in keyof T]: T[K] extends import('kysely').Generated<infer U> ? U : T[K] };

/** Topic ids as stored: sorted, without duplicates, as a JSON array. The send groups by this text. */
export function topicsKey(topics: readonly string[]): string {
  return JSON.stringify([...new Set(topics)].sort());
}

const KNOWN_KEYS = new Set(['email', 'name', 'topics', 'status', 'createdAt', 'updatedAt', 'unsubscribedAt', 'hardBounces', 'consent', 'tokenVersion', 'id']);

function toRow(s: Subscriber): Omit<Row<SubscribersTable>, 'id'> {
  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s)) if (!KNOWN_KEYS.has(k) && v !== undefined) extra[k] = v;
  return {
    email: s.email,
    name: s.name ?? null,
    topics: topicsKey(s.topics),
    status: s.status,
    created_at: s.createdAt,
    updated_at: s.updatedAt ?? null,
    unsubscribed_at: s.unsubscribedAt ?? null,
    hard_bounces: s.hardBounces,
    token_version: s.tokenVersion,
    consent: JSON.stringify(s.consent ?? {}),
    extra: Object.keys(extra).length > 0 ? JSON.stringify(extra) : null,
  };
}

function fromRow(r: Row<SubscribersTable>): StoredSubscriber {
  const extra = r.extra ? (JSON.parse(r.extra) as Record<string, unknown>) : {};
  return {
    ...extra,
    id: Number(r.id),
    email: r.email,
    ...(r.name !== null ? { name: r.name } : {}),
    topics: JSON.parse(r.topics) as string[],
    status: r.status as SubscriberStatus,
    createdAt: r.created_at,
    ...(r.updated_at !== null ? { updatedAt: r.updated_at } : {}),
    ...(r.unsubscribed_at !== null ? { unsubscribedAt: r.unsubscribed_at } : {}),
    hardBounces: Number(r.hard_bounces),
    consent: ConsentSchema.parse(JSON.parse(r.consent)),
    tokenVersion: Number(r.token_version),
  };
}

function deliveryFromRow(r: Row<DeliveriesTable>): DeliveryRecord {
  return {
    email: r.email,
    state: r.state as DeliveryState,
    attempts: Number(r.attempts),
    ...(r.variant !== null ? { variant: r.variant } : {}),
    ...(r.message_id !== null ? { messageId: r.message_id } : {}),
    ...(r.last_response !== null ? { lastResponse: r.last_response } : {}),
    ...(r.last_response_code !== null ? { lastResponseCode: Number(r.last_response_code) } : {}),
    ...(r.last_kind !== null ? { lastKind: r.last_kind } : {}),
    firstAt: r.first_at,
    updatedAt: r.updated_at,
    ...(r.sent_at !== null ? { sentAt: r.sent_at } : {}),
    ...(r.deferred_since !== null ? { deferredSince: r.deferred_since } : {}),
    ...(r.next_attempt_at !== null ? { nextAttemptAt: r.next_attempt_at } : {}),
  };
}

function issueToRow(m: IssueMeta): Row<IssuesTable> {
  return {
    id: m.issueId,
    digest_path: m.digestPath ?? null,
    date: m.date,
    subject: m.subject ?? null,
    paper_ids: JSON.stringify(m.paperIds),
    variants: m.variants ?? null,
    counts: m.counts ? JSON.stringify(m.counts) : null,
    started_at: m.startedAt ?? null,
    finished_at: m.finishedAt ?? null,
    last_run_at: m.lastRunAt ?? null,
    runs: m.runs,
    skipped: m.skipped ?? null,
    delivered_at: m.deliveredAt ?? null,
  };
}

function issueFromRow(r: Row<IssuesTable>): IssueMeta {
  return {
    issueId: r.id,
    ...(r.digest_path !== null ? { digestPath: r.digest_path } : {}),
    date: r.date,
    ...(r.subject !== null ? { subject: r.subject } : {}),
    paperIds: JSON.parse(r.paper_ids) as string[],
    ...(r.variants !== null ? { variants: Number(r.variants) } : {}),
    ...(r.counts !== null ? { counts: JSON.parse(r.counts) as Record<string, number> } : {}),
    ...(r.started_at !== null ? { startedAt: r.started_at } : {}),
    ...(r.finished_at !== null ? { finishedAt: r.finished_at } : {}),
    ...(r.last_run_at !== null ? { lastRunAt: r.last_run_at } : {}),
    runs: Number(r.runs),
    ...(r.skipped !== null ? { skipped: r.skipped } : {}),
    ...(r.delivered_at !== null ? { deliveredAt: r.delivered_at } : {}),
  };
}

/** SQLite allows ~32k bound values per statement; stay far below for IN lists. */
const IN_CHUNK = 500;
const chunks = <T>(items: readonly T[], n = IN_CHUNK): T[][] => Array.from({ length: Math.ceil(items.length / n) }, (_, i) => items.slice(i * n, i * n + n));

/** How a write transaction is made durable (SQLite: its WAL synced off the event loop; PostgreSQL: its commit). */
export interface GroupCommits {
  run<T>(db: Kysely<Database>, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T>;
}

export class SqlStore implements Store {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
    readonly label: string,
    private readonly onClose: () => Promise<void>,
    private readonly groupCommits: GroupCommits = { run: (db, fn) => db.transaction().execute(fn) },
  ) {}

  /** Runs `fn`, turning driver errors into STORE_UNAVAILABLE. */
  private async guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw mapStoreError(e, this.label, this.dialect);
    }
  }

  /**
   * Every write: one transaction, durable when this resolves (groupCommits), on PostgreSQL a race on
   * a new row's unique key retried once.
   */
  private tx<T>(fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.guard(async () => {
      try {
        return await this.groupCommits.run(this.db, fn);
      } catch (e) {
        if (!isUniqueViolation(e)) throw e;
        return await this.groupCommits.run(this.db, fn);
      }
    });
  }

  private selectSubscribers(db: Db, emails: readonly string[]) {
    let q = db.selectFrom('subscribers').selectAll().where('email', 'in', emails as string[]);
    // SQLite's write transactions already hold the only write lock.
    if (this.dialect === 'postgres') q = q.forUpdate();
    return q.execute();
  }

  private async writeSubscriber(db: Db, email: string, exists: boolean, next: Subscriber | null): Promise<void> {
    if (next === null) {
      if (!exists) return;
      await db.deleteFrom('deliveries').where('email', '=', email).execute();
      await db.deleteFrom('test_sends').where('email', '=', email).execute();
      await db.deleteFrom('subscribers').where('email', '=', email).execute();
      return;
    }
    const row = toRow(next);
    if (exists) await db.updateTable('subscribers').set(row).where('email', '=', email).execute();
    else await db.insertInto('subscribers').values(row).execute();
  }

  // --- subscribers

  findSubscriber(email: string): Promise<StoredSubscriber | undefined> {
    return this.guard(async () => {
      const r = await this.db.selectFrom('subscribers').selectAll().where('email', '=', email).executeTakeFirst();
      return r ? fromRow(r) : undefined;
    });
  }

  changeSubscriber<T>(email: string, change: (current: Subscriber | undefined) => RowChange<T>): Promise<T> {
    return this.tx(async (trx) => {
      const [row] = await this.selectSubscribers(trx, [email]);
      const current = row ? fromRow(row) : undefined;
      const { next, result } = change(current);
      if (next !== undefined) await this.writeSubscriber(trx, email, current !== undefined, next);
      return result;
    });
  }

  changeSubscribers<T>(emails: readonly string[], change: (current: ReadonlyMap<string, Subscriber>) => { next: Map<string, Subscriber | null>; result: T }): Promise<T> {
    return this.tx(async (trx) => {
      const current = new Map<string, Subscriber>();
      for (const part of chunks(emails)) for (const r of await this.selectSubscribers(trx, part)) current.set(r.email, fromRow(r));
      const { next, result } = change(current);
      for (const [email, sub] of next) await this.writeSubscriber(trx, email, current.has(email), sub);
      return result;
    });
  }

  listSubscribers(page: { status?: SubscriberStatus; afterId?: number; limit: number }): Promise<StoredSubscriber[]> {
    return this.guard(async () => {
      let q = this.db.selectFrom('subscribers').selectAll().where('id', '>', page.afterId ?? 0);
      if (page.status) q = q.where('status', '=', page.status);
      return (await q.orderBy('id').limit(page.limit).execute()).map(fromRow);
    });
  }

  countSubscribers(): Promise<Record<SubscriberStatus, number>> {
    return this.guard(async () => {
      const rows = await this.db.selectFrom('subscribers').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status').execute();
      const out = Object.fromEntries(SUBSCRIBER_STATUSES.map((s) => [s, 0])) as Record<SubscriberStatus, number>;
      for (const r of rows) if (r.status in out) out[r.status as SubscriberStatus] = Number(r.n);
      return out;
    });
  }

  // --- recipients

  private owed(issueId: string, opts: OwedOptions) {
    return this.db
      .selectFrom('subscribers as s')
      .leftJoin('deliveries as d', (j) => j.on('d.issue_id', '=', issueId).onRef('d.email', '=', 's.email'))
      .where('s.status', '=', 'active')
      .where((eb) => {
        const owed = [eb('d.state', 'is', null), eb.and([eb('d.state', '=', 'deferred'), eb('d.next_attempt_at', '<=', opts.now)])];
        if (opts.resendUncertain) owed.push(eb('d.state', '=', 'sending'));
        return eb.or(owed);
      });
  }

  owedTopicSets(issueId: string, opts: OwedOptions): Promise<{ topics: string[]; count: number }[]> {
    return this.guard(async () => {
      const rows = await this.owed(issueId, opts)
        .select(['s.topics', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy('s.topics')
        .orderBy('s.topics')
        .execute();
      return rows.map((r) => ({ topics: JSON.parse(r.topics) as string[], count: Number(r.n) }));
    });
  }

  owedRecipients(issueId: string, topics: readonly string[], page: { afterId: number; limit: number }, opts: OwedOptions): Promise<Recipient[]> {
    return this.guard(async () => {
      const rows = await this.owed(issueId, opts)
        .where('s.topics', '=', topicsKey(topics))
        .where('s.id', '>', page.afterId)
        .select(['s.id', 's.email', 's.name', 's.token_version', 'd.state', 'd.attempts', 'd.deferred_since'])
        .orderBy('s.id')
        .limit(page.limit)
        .execute();
      return rows.map((r) => ({
        id: Number(r.id),
        email: r.email,
        ...(r.name !== null ? { name: r.name } : {}),
        tokenVersion: Number(r.token_version),
        ...(r.state ? { state: r.state as DeliveryState, attempts: Number(r.attempts ?? 0) } : {}),
        ...(r.deferred_since ? { deferredSince: r.deferred_since } : {}),
      }));
    });
  }

  // --- deliveries

  /** The send's per-message statements, compiled once (statement-template.ts). */
  private hot?: ReturnType<SqlStore['hotStatements']>;

  private hotStatements() {
    const db = this.db;
    const reply = { last_response: slot('response'), last_response_code: slot<number>('code'), last_kind: slot('kind'), updated_at: slot('at') };
    const sending = (q: ReturnType<typeof db.updateTable<'deliveries'>>) => q.where('issue_id', '=', slot('issue')).where('email', '=', slot('email')).where('state', '=', 'sending');
    const claim = (resend: boolean) =>
      statementTemplate(
        db
          .insertInto('deliveries')
          .columns(['issue_id', 'email', 'state', 'attempts', 'variant', 'message_id', 'first_at', 'updated_at'])
          .expression(
            db
              .selectFrom('subscribers')
              .select((eb) => [
                eb.val(slot('issue')).as('issue_id'),
                'email',
                eb.val('sending').as('state'),
                eb.val(1).as('attempts'),
                eb.val(slot('variant')).as('variant'),
                eb.val(slot('messageId')).as('message_id'),
                eb.val(slot('at')).as('first_at'),
                eb.val(slot('at')).as('updated_at'),
              ])
              .where('email', '=', slot('email'))
              .where('status', '=', 'active')
              .where('token_version', '=', slot<number>('tokenVersion')),
          )
          .onConflict((oc) =>
            oc
              .columns(['issue_id', 'email'])
              .doUpdateSet((eb) => ({
                state: 'sending',
                attempts: eb('deliveries.attempts', '+', 1),
                variant: eb.ref('excluded.variant'),
                message_id: eb.ref('excluded.message_id'),
                updated_at: eb.ref('excluded.updated_at'),
              }))
              .where((eb) => (resend ? eb('deliveries.state', 'in', ['deferred', 'sending']) : eb('deliveries.state', '=', 'deferred'))),
          )
          .returning('email'),
      );
    return {
      renewLease: statementTemplate(db.updateTable('leases').set({ expires_at: slot<number>('expires') }).where('name', '=', slot('name')).where('holder', '=', slot('holder'))),
      sent: statementTemplate(sending(db.updateTable('deliveries').set({ ...reply, state: 'sent', sent_at: slot('at'), deferred_since: null, next_attempt_at: null }))),
      failed: statementTemplate(sending(db.updateTable('deliveries').set({ ...reply, state: 'failed', next_attempt_at: null }))),
      deferred: statementTemplate(
        sending(db.updateTable('deliveries').set((eb) => ({ ...reply, state: 'deferred', deferred_since: eb.fn.coalesce('deferred_since', eb.val(slot('at'))), next_attempt_at: slot('next') }))),
      ),
      bounce: statementTemplate(
        db
          .updateTable('subscribers')
          .set((eb) => ({
            hard_bounces: eb('hard_bounces', '+', 1),
            updated_at: slot('at'),
            status: eb.case().when(eb.and([eb('status', '=', 'active'), eb('hard_bounces', '>=', slot<number>('limitLess1'))])).then('bounced').else(eb.ref('status')).end(),
          }))
          .where('email', '=', slot('email')),
      ),
      claim: claim(false),
      resendClaim: claim(true),
    };
  }

  commitDeliveries(batch: DeliveryBatch): Promise<{ leaseHeld: boolean; claimed: boolean[] }> {
    const { issueId, at, lease } = batch;
    const q = (this.hot ??= this.hotStatements());
    return this.tx(async (trx) => {
        const renewed = await trx.executeQuery(q.renewLease({ expires: lease.nowMs + lease.ttlMs, name: lease.name, holder: lease.holder }));
        if (Number(renewed.numAffectedRows ?? 0) === 0) return { leaseHeld: false, claimed: [] };

        for (const m of batch.marks) {
          const v = { issue: issueId, email: m.email, at, response: m.response ?? null, code: m.responseCode ?? null, kind: m.kind ?? null, next: m.nextAttemptAt ?? at };
          const r = await trx.executeQuery(q[m.outcome](v));
          // A bounce counts only for a record this mark moved (a repeated mark changes nothing).
          if (m.outcome === 'failed' && m.bounceLimit !== undefined && Number(r.numAffectedRows ?? 0) > 0) {
            await trx.executeQuery(q.bounce({ at, email: m.email, limitLess1: m.bounceLimit - 1 }));
          }
        }

        const claimed: boolean[] = [];
        for (const c of batch.claims) {
          const stmt = c.resend ? q.resendClaim : q.claim;
          const r = await trx.executeQuery(stmt({ issue: issueId, email: c.email, variant: c.variant, messageId: c.messageId, at, tokenVersion: c.tokenVersion }));
          claimed.push(r.rows.length > 0);
        }
        return { leaseHeld: true, claimed };
    });
  }

  deliveryCounts(issueId: string): Promise<Record<DeliveryState, number>> {
    return this.guard(async () => {
      const rows = await this.db
        .selectFrom('deliveries')
        .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
        .where('issue_id', '=', issueId)
        .groupBy('state')
        .execute();
      const out: Record<DeliveryState, number> = { pending: 0, sending: 0, sent: 0, failed: 0, deferred: 0 };
      for (const r of rows) if (r.state in out) out[r.state as DeliveryState] = Number(r.n);
      return out;
    });
  }

  listDeliveries(issueId: string, state: DeliveryState, limit = 10_000): Promise<DeliveryRecord[]> {
    return this.guard(async () => {
      const rows = await this.db
        .selectFrom('deliveries')
        .selectAll()
        .where('issue_id', '=', issueId)
        .where('state', '=', state)
        .orderBy('updated_at')
        .orderBy('email')
        .limit(limit)
        .execute();
      return rows.map(deliveryFromRow);
    });
  }

  nextDeferredAttempt(issueId?: string): Promise<string | undefined> {
    return this.guard(async () => {
      let q = this.db.selectFrom('deliveries').select((eb) => eb.fn.min<string>('next_attempt_at').as('next')).where('state', '=', 'deferred');
      if (issueId) q = q.where('issue_id', '=', issueId);
      const r = await q.executeTakeFirst();
      return r?.next ?? undefined;
    });
  }

  expireDeferred(issueId: string, olderThan: string, at: string): Promise<number> {
    return this.tx(async (trx) => {
      const r = await trx
        .updateTable('deliveries')
        .set({
          state: 'failed',
          updated_at: at,
          next_attempt_at: null,
          last_response: sql<string>`${'gave up: failing temporarily since '} || deferred_since || ${': '} || coalesce(last_response, '')`,
        })
        .where('issue_id', '=', issueId)
        .where('state', '=', 'deferred')
        .where('deferred_since', '<', olderThan)
        .executeTakeFirst();
      return Number(r.numUpdatedRows);
    });
  }

  restoreDeliveries(issueId: string, records: readonly DeliveryRecord[]): Promise<void> {
    return this.tx(async (trx) => {
      for (const part of chunks(records, 100)) {
        await trx
          .insertInto('deliveries')
          .values(
            part.map((r) => ({
              issue_id: issueId,
              email: r.email,
              state: r.state,
              attempts: r.attempts,
              variant: r.variant ?? null,
              message_id: r.messageId ?? null,
              last_response: r.lastResponse ?? null,
              last_response_code: r.lastResponseCode ?? null,
              last_kind: r.lastKind ?? null,
              first_at: r.firstAt,
              updated_at: r.updatedAt,
              sent_at: r.sentAt ?? null,
              deferred_since: r.deferredSince ?? null,
              next_attempt_at: r.nextAttemptAt ?? null,
            })),
          )
          .onConflict((oc) => oc.columns(['issue_id', 'email']).doNothing())
          .execute();
      }
    });
  }

  recordTestSend(row: { issueId: string; messageId: string; email: string; outcome: 'sent' | 'failed'; response: string; at: string }): Promise<void> {
    return this.tx(async (trx) => {
      const values = { message_id: row.messageId, issue_id: row.issueId, email: row.email, state: row.outcome, response: row.response, at: row.at };
      await trx
        .insertInto('test_sends')
        .values(values)
        .onConflict((oc) => oc.column('message_id').doUpdateSet({ state: row.outcome, response: row.response, at: row.at }))
        .execute();
    });
  }

  testSendCounts(issueId: string): Promise<{ sent: number; failed: number }> {
    return this.guard(async () => {
      const rows = await this.db
        .selectFrom('test_sends')
        .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
        .where('issue_id', '=', issueId)
        .groupBy('state')
        .execute();
      const n = (s: string) => Number(rows.find((r) => r.state === s)?.n ?? 0);
      return { sent: n('sent'), failed: n('failed') };
    });
  }

  // --- issues and papers

  getIssue(issueId: string): Promise<IssueMeta | undefined> {
    return this.guard(async () => {
      const r = await this.db.selectFrom('issues').selectAll().where('id', '=', issueId).executeTakeFirst();
      return r ? issueFromRow(r) : undefined;
    });
  }

  saveIssue(meta: IssueMeta): Promise<void> {
    return this.tx(async (trx) => {
      const { id, ...rest } = issueToRow(meta);
      // delivered_at is set once by markIssueDelivered and never cleared by a later save.
      const { delivered_at: _keep, ...update } = rest;
      await trx
        .insertInto('issues')
        .values({ id, ...rest })
        .onConflict((oc) => oc.column('id').doUpdateSet(update))
        .execute();
    });
  }

  listIssues(): Promise<IssueMeta[]> {
    return this.guard(async () => (await this.db.selectFrom('issues').selectAll().orderBy('date', 'desc').orderBy('id', 'desc').execute()).map(issueFromRow));
  }

  papersSentBefore(paperIds: readonly string[], exceptIssue: string): Promise<Map<string, string>> {
    return this.guard(async () => {
      const out = new Map<string, string>();
      for (const part of chunks(paperIds)) {
        const rows = await this.db.selectFrom('sent_papers').select(['paper_id', 'issue_id']).where('paper_id', 'in', part).where('issue_id', '!=', exceptIssue).execute();
        for (const r of rows) out.set(r.paper_id, r.issue_id);
      }
      return out;
    });
  }

  markIssueDelivered(issueId: string, paperIds: readonly string[], at: string): Promise<void> {
    return this.tx(async (trx) => {
      await trx
        .updateTable('issues')
        .set((eb) => ({ delivered_at: eb.fn.coalesce('delivered_at', eb.val(at)) }))
        .where('id', '=', issueId)
        .execute();
      for (const part of chunks(paperIds, 200)) {
        if (part.length === 0) continue;
        await trx
          .insertInto('sent_papers')
          .values(part.map((paper_id) => ({ paper_id, issue_id: issueId, sent_at: at })))
          .onConflict((oc) => oc.column('paper_id').doNothing())
          .execute();
      }
    });
  }

  // --- archive

  saveArchive(e: ArchiveEntry): Promise<void> {
    return this.tx(async (trx) => {
      const row = { issue_id: e.issueId, date: e.date, subject: e.subject, paper_count: e.paperCount, sent_at: e.sentAt, html: e.html, text: e.text };
      const { issue_id: _id, ...update } = row;
      await trx
        .insertInto('archive')
        .values(row)
        .onConflict((oc) => oc.column('issue_id').doUpdateSet(update))
        .execute();
    });
  }

  listArchive(): Promise<ArchiveSummary[]> {
    return this.guard(async () => {
      const rows = await this.db
        .selectFrom('archive')
        .select(['issue_id', 'date', 'subject', 'paper_count', 'sent_at'])
        .orderBy('date', 'desc')
        .orderBy('sent_at', 'desc')
        .orderBy('issue_id')
        .execute();
      return rows.map((r) => ({ issueId: r.issue_id, date: r.date, subject: r.subject, paperCount: Number(r.paper_count), sentAt: r.sent_at }));
    });
  }

  getArchive(issueId: string): Promise<ArchiveEntry | undefined> {
    return this.guard(async () => {
      const r = await this.db.selectFrom('archive').selectAll().where('issue_id', '=', issueId).executeTakeFirst();
      return r ? { issueId: r.issue_id, date: r.date, subject: r.subject, paperCount: Number(r.paper_count), sentAt: r.sent_at, html: r.html, text: r.text } : undefined;
    });
  }

  // --- leases

  acquireLease(name: string, me: { holder: string; info: string }, ttlMs: number, nowMs: number, takeOver?: string): Promise<{ held: true } | { held: false; by: LeaseHolder }> {
    return this.tx(async (trx) => {
      await trx
        .insertInto('leases')
        .values({ name, holder: me.holder, info: me.info, expires_at: nowMs + ttlMs })
        .onConflict((oc) =>
          oc
            .column('name')
            .doUpdateSet((eb) => ({ holder: eb.ref('excluded.holder'), info: eb.ref('excluded.info'), expires_at: eb.ref('excluded.expires_at') }))
            .where((eb) => eb.or([eb('leases.expires_at', '<', nowMs), eb('leases.holder', '=', me.holder), ...(takeOver ? [eb('leases.holder', '=', takeOver)] : [])])),
        )
        .execute();
      const r = await trx.selectFrom('leases').selectAll().where('name', '=', name).executeTakeFirstOrThrow();
      if (r.holder === me.holder) return { held: true as const };
      return { held: false as const, by: { holder: r.holder, info: r.info, expiresAtMs: Number(r.expires_at) } };
    });
  }

  renewLease(name: string, holder: string, ttlMs: number, nowMs: number): Promise<boolean> {
    return this.tx(async (trx) => {
      const r = await trx.updateTable('leases').set({ expires_at: nowMs + ttlMs }).where('name', '=', name).where('holder', '=', holder).executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    });
  }

  releaseLease(name: string, holder: string): Promise<void> {
    return this.tx(async (trx) => {
      await trx.deleteFrom('leases').where('name', '=', name).where('holder', '=', holder).execute();
    });
  }

  readLease(name: string): Promise<LeaseHolder | undefined> {
    return this.guard(async () => {
      const r = await this.db.selectFrom('leases').selectAll().where('name', '=', name).executeTakeFirst();
      return r ? { holder: r.holder, info: r.info, expiresAtMs: Number(r.expires_at) } : undefined;
    });
  }

  // --- settings

  getSetting(key: string): Promise<string | undefined> {
    return this.guard(async () => (await this.db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst())?.value);
  }

  putSettingOnce(key: string, value: string): Promise<string> {
    return this.tx(async (trx) => {
      await trx
        .insertInto('settings')
        .values({ key, value })
        .onConflict((oc) => oc.column('key').doNothing())
        .execute();
      return (await trx.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirstOrThrow()).value;
    });
  }

  // --- fetch log

  getFetchRecord(source: string, date: string): Promise<FetchRecord | undefined> {
    return this.guard(async () => {
      const r = await this.db.selectFrom('fetch_log').select('record').where('source', '=', source).where('date', '=', date).executeTakeFirst();
      return r ? FetchRecordSchema.parse(JSON.parse(r.record)) : undefined;
    });
  }

  putFetchRecord(record: FetchRecord): Promise<void> {
    return this.tx(async (trx) => {
      const row = { source: record.source, date: record.date, record: JSON.stringify(record) };
      await trx
        .insertInto('fetch_log')
        .values(row)
        .onConflict((oc) => oc.columns(['source', 'date']).doUpdateSet({ record: row.record }))
        .execute();
    });
  }

  listFetchRecords(sinceDate: string): Promise<FetchRecord[]> {
    return this.guard(async () => {
      const rows = await this.db.selectFrom('fetch_log').select('record').where('date', '>=', sinceDate).orderBy('date').orderBy('source').execute();
      return rows.map((r) => FetchRecordSchema.parse(JSON.parse(r.record)));
    });
  }

  close(): Promise<void> {
    return this.onClose();
  }
}
