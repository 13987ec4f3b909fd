// The built-in database: one SQLite file in the state folder (better-sqlite3), nothing to install.
// WAL with synchronous=FULL: every commit is fsynced before it returns, so a change the user was
// told about survives a power cut (docs/decisions/007). Write transactions begin IMMEDIATE: two
// processes on one file (a `paperboy subscribers add` beside `paperboy start`) queue for the write
// lock up front instead of failing when a read turns into a write.
import { closeSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { CompiledQuery, Kysely, SqliteDialect, SqliteDriver, type DatabaseConnection } from 'kysely';
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

class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly database: Database.Database) {
    super({ database });
  }
  override createDriver() {
    return new ImmediateSqliteDriver({ database: this.database });
  }
}

export function sqliteLabel(path: string): string {
  return `SQLite database ${path}`;
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
