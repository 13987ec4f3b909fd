// The built-in database: one SQLite file in the state folder (better-sqlite3), nothing to install.
// WAL with synchronous=FULL: every commit is fsynced before it returns, so a change the user was
// told about survives a power cut (docs/decisions/007). Write transactions begin IMMEDIATE: two
// processes on one file (a `paperboy subscribers add` beside `paperboy start`) queue for the write
// lock up front instead of failing when a read turns into a write.
import { closeSync, openSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { CompiledQuery, Kysely, SqliteDialect, SqliteDriver, sql, type DatabaseConnection, type SqliteDatabase, type Transaction } from 'kysely';
import { ensureDir } from '../ensure-dir.js';
import { mapStoreError } from './store-errors.js';
import type { Database as Tables } from './schema.js';

/** How long a write waits for another process's write lock before failing with SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5_000;

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

/** Statements prepared once and kept (better-sqlite3 statements are reusable): Kysely prepares per query. */
const STATEMENTS_KEPT = 256;

function withStatementCache(db: Database.Database): SqliteDatabase {
  const kept = new Map<string, Database.Statement>();
  return {
    close: () => db.close(),
    prepare(text: string) {
      let stmt = kept.get(text);
      if (stmt) {
        kept.delete(text);
      } else {
        stmt = db.prepare(text);
        if (kept.size >= STATEMENTS_KEPT) kept.delete(kept.keys().next().value!);
      }
      kept.set(text, stmt);
      return stmt;
    },
  };
}

class ImmediateSqliteDialect extends SqliteDialect {
  private readonly database: SqliteDatabase;
  constructor(raw: Database.Database) {
    const database = withStatementCache(raw);
    super({ database });
    this.database = database;
  }
  override createDriver() {
    return new ImmediateSqliteDriver({ database: this.database });
  }
}

export function sqliteLabel(path: string): string {
  return `SQLite database ${path}`;
}

/**
 * Group commits of a send without blocking the event loop on the disk: the transaction is committed
 * with synchronous=NORMAL (written to the WAL, not yet fsynced), then the WAL file is fdatasynced
 * through Node's thread pool before the caller goes on — what synchronous=FULL does at commit, only
 * off the main thread, so SMTP replies keep being read while the disk syncs. The rest of paperboy's
 * writes stay FULL. (docs/decisions/007)
 */
export class WalSyncedCommits {
  private wal: Promise<FileHandle> | undefined;

  constructor(private readonly path: string) {}

  async run<T, DB>(db: Kysely<DB>, fn: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
    // One connection for the three steps, so no other transaction runs under NORMAL in between.
    const result = await db.connection().execute(async (c) => {
      await sql`pragma synchronous = NORMAL`.execute(c);
      try {
        return await c.transaction().execute(fn);
      } finally {
        await sql`pragma synchronous = FULL`.execute(c);
      }
    });
    await this.syncWal();
    return result;
  }

  private async syncWal(): Promise<void> {
    for (let tries = 0; ; tries++) {
      try {
        this.wal ??= open(`${this.path}-wal`, 'r+');
        await (await this.wal).datasync();
        return;
      } catch (e) {
        // The WAL is removed when the last connection closes and made anew: open it again.
        this.wal = undefined;
        if (tries > 0 || (e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
    }
  }

  async close(): Promise<void> {
    const fh = await this.wal?.catch(() => undefined);
    this.wal = undefined;
    await fh?.close();
  }
}

/** Opens (creating it 0600 if missing) the file and returns Kysely over it plus the raw handle. */
export async function openSqlite(path: string): Promise<{ db: Kysely<Tables>; raw: Database.Database }> {
  await ensureDir(dirname(path));
  const label = sqliteLabel(path);
  try {
    // Addresses and IPs live here: readable by the owner only. SQLite gives its -wal and -shm
    // files the same permissions.
    closeSync(openSync(path, 'a', 0o600));
    const raw = new Database(path, { timeout: BUSY_TIMEOUT_MS });
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = FULL');
    return { db: new Kysely<Tables>({ dialect: new ImmediateSqliteDialect(raw) }), raw };
  } catch (e) {
    throw mapStoreError(e, label, 'sqlite');
  }
}
