// The built-in database: one SQLite file in the state folder (better-sqlite3), nothing to install.
// Every write is on disk before paperboy says it happened, so a change the user was told about
// survives a power cut: WAL, and each write transaction's WAL fdatasynced before it returns — what
// synchronous=FULL does at commit, done through Node's thread pool instead of blocking the event loop
// (docs/decisions/007). Write transactions begin IMMEDIATE: two
// processes on one file (a `paperboy subscribers add` beside `paperboy start`) queue for the write
// lock up front instead of failing when a read turns into a write.
import { closeSync, openSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { CompiledQuery, Kysely, SqliteDialect, SqliteDriver, type DatabaseConnection, type SqliteDatabase, type Transaction } from 'kysely';
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
 * Write transactions made durable without blocking the event loop on the disk: committed with
 * synchronous=NORMAL (written to the WAL, not yet synced), then the WAL file is fdatasynced through
 * the thread pool before the caller goes on, so SMTP replies and web requests keep being served
 * while the disk syncs. Concurrent writers share a sync: one that starts after their commit.
 */
export class WalSyncedCommits {
  private wal: Promise<FileHandle> | undefined;

  constructor(private readonly path: string) {}

  /** Commits so far, and how many of them the last finished sync covers. */
  private commits = 0;
  private synced = 0;
  private waiting: { need: number; resolve: () => void; reject: (e: unknown) => void }[] = [];
  private syncing: Promise<void> | undefined;

  async run<T, DB>(db: Kysely<DB>, fn: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
    const result = await db.transaction().execute(fn);
    await this.durable(++this.commits);
    return result;
  }

  /** Resolves once a sync that started after commit number `need` has finished. */
  private durable(need: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ need, resolve, reject });
      this.syncing ??= this.syncLoop().finally(() => (this.syncing = undefined));
    });
  }

  private async syncLoop(): Promise<void> {
    while (this.waiting.length > 0) {
      const covers = this.commits;
      try {
        await this.syncWal();
      } catch (e) {
        for (const w of this.waiting.splice(0)) w.reject(e);
        return;
      }
      this.synced = covers;
      const still = this.waiting.filter((w) => w.need > this.synced);
      for (const w of this.waiting) if (w.need <= this.synced) w.resolve();
      this.waiting = still;
    }
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
    // NORMAL: commits are written, not synced; WalSyncedCommits syncs each write transaction.
    raw.pragma('synchronous = NORMAL');
    return { db: new Kysely<Tables>({ dialect: new ImmediateSqliteDialect(raw) }), raw };
  } catch (e) {
    throw mapStoreError(e, label, 'sqlite');
  }
}
