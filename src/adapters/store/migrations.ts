// Versioned schema changes, run at start (Kysely's Migrator: one at a time across processes, each in
// a transaction). Add a migration, never edit one that has shipped. A database that has run a
// migration this code does not know was upgraded by a newer paperboy and is refused.
import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

export type Dialect = 'sqlite' | 'postgres';

function initial(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('subscribers')
        .addColumn('id', 'integer', (c) => (dialect === 'postgres' ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey()))
        .addColumn('email', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text')
        .addColumn('topics', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text')
        .addColumn('unsubscribed_at', 'text')
        .addColumn('hard_bounces', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('token_version', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('consent', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('extra', 'text')
        .execute();
      // A send reads active subscribers one topic set at a time, in id order.
      await db.schema.createIndex('subscribers_status_topics_id').on('subscribers').columns(['status', 'topics', 'id']).execute();

      await db.schema
        .createTable('issues')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('digest_path', 'text')
        .addColumn('date', 'text', (c) => c.notNull())
        .addColumn('subject', 'text')
        .addColumn('paper_ids', 'text', (c) => c.notNull())
        .addColumn('variants', 'integer')
        .addColumn('counts', 'text')
        .addColumn('started_at', 'text')
        .addColumn('finished_at', 'text')
        .addColumn('last_run_at', 'text')
        .addColumn('runs', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('skipped', 'text')
        .addColumn('delivered_at', 'text')
        .execute();

      await db.schema
        .createTable('deliveries')
        .addColumn('issue_id', 'text', (c) => c.notNull())
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('variant', 'text')
        .addColumn('message_id', 'text')
        .addColumn('last_response', 'text')
        .addColumn('last_response_code', 'integer')
        .addColumn('last_kind', 'text')
        .addColumn('first_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('sent_at', 'text')
        .addColumn('deferred_since', 'text')
        .addColumn('next_attempt_at', 'text')
        .addPrimaryKeyConstraint('deliveries_pk', ['issue_id', 'email'])
        .execute();
      await db.schema.createIndex('deliveries_issue_state').on('deliveries').columns(['issue_id', 'state', 'next_attempt_at']).execute();
      // Erasure (`subscribers remove --purge`) deletes an address's rows in every issue.
      await db.schema.createIndex('deliveries_email').on('deliveries').column('email').execute();

      await db.schema
        .createTable('test_sends')
        .addColumn('message_id', 'text', (c) => c.primaryKey())
        .addColumn('issue_id', 'text', (c) => c.notNull())
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('response', 'text')
        .addColumn('at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('test_sends_issue').on('test_sends').column('issue_id').execute();

      await db.schema
        .createTable('sent_papers')
        .addColumn('paper_id', 'text', (c) => c.primaryKey())
        .addColumn('issue_id', 'text', (c) => c.notNull())
        .addColumn('sent_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('archive')
        .addColumn('issue_id', 'text', (c) => c.primaryKey())
        .addColumn('date', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('paper_count', 'integer', (c) => c.notNull())
        .addColumn('sent_at', 'text', (c) => c.notNull())
        .addColumn('html', 'text', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('leases')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('holder', 'text', (c) => c.notNull())
        .addColumn('info', 'text', (c) => c.notNull())
        .addColumn('expires_at', dialect === 'postgres' ? 'bigint' : 'integer', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('settings')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();

      // Sign-up caps (adapters/signup-limits.ts), in the shape rate-limiter-flexible's PostgreSQL
      // store expects; on SQLite they live in a file of their own.
      if (dialect === 'postgres') {
        await db.schema
          .createTable('signup_limits')
          .addColumn('key', 'varchar(255)', (c) => c.primaryKey())
          .addColumn('points', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('expire', 'bigint')
          .execute();
      }
    },
    async down(db: Kysely<unknown>) {
      for (const t of ['signup_limits', 'settings', 'leases', 'archive', 'sent_papers', 'test_sends', 'deliveries', 'issues', 'subscribers']) {
        await sql`drop table if exists ${sql.table(t)}`.execute(db);
      }
    },
  };
}

/** What each source gave per day (services/fetch-sources.ts): the record as JSON, keyed by source and day. */
const fetchLog: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('fetch_log')
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('date', 'text', (c) => c.notNull())
      .addColumn('record', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('fetch_log_pk', ['source', 'date'])
      .execute();
    await db.schema.createIndex('fetch_log_date').on('fetch_log').column('date').execute();
  },
  async down(db: Kysely<unknown>) {
    await sql`drop table if exists fetch_log`.execute(db);
  },
};

/** Every migration this version knows, by name; names sort in the order they run. */
export function migrations(dialect: Dialect): Record<string, Migration> {
  return { '001-initial': initial(dialect), '002-fetch-log': fetchLog };
}

export function migrationProvider(dialect: Dialect): MigrationProvider {
  return { getMigrations: async () => migrations(dialect) };
}
