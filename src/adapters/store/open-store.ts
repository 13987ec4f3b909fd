// Opens the configured database, brings its schema up to date and hands back the Store. Unset
// PAPERBOY_DATABASE_URL: the SQLite file <stateDir>/paperboy.db. postgres:// or postgresql://:
// that server. A database migrated by a newer paperboy is refused before anything touches it.
import { isAbsolute, join, resolve } from 'node:path';
import type Database from 'better-sqlite3';
import { Migrator, type Kysely } from 'kysely';
import type pg from 'pg';
import { PaperboyError } from '../../errors.js';
import { migrationProvider, migrations, type Dialect } from './migrations.js';
import { openPostgres, postgresLabel } from './postgres.js';
import type { Database as Tables } from './schema.js';
import { SqlStore } from './sql-store.js';
import { WalSyncedCommits, openSqlite, sqliteLabel } from './sqlite.js';
import { mapStoreError } from './store-errors.js';

export type DatabaseTarget = { dialect: 'sqlite'; path: string } | { dialect: 'postgres'; url: string };

/** Where the data lives: a postgres URL, `sqlite:<path>`, a plain path, or (unset) the state folder's file. */
export function databaseTarget(databaseUrl: string | undefined, stateDir: string, cwd: string): DatabaseTarget {
  if (!databaseUrl) return { dialect: 'sqlite', path: join(stateDir, 'paperboy.db') };
  if (/^postgres(ql)?:\/\//i.test(databaseUrl)) return { dialect: 'postgres', url: databaseUrl };
  const path = databaseUrl.replace(/^sqlite:(\/\/)?/i, '');
  return { dialect: 'sqlite', path: isAbsolute(path) ? path : resolve(cwd, path) };
}

export interface OpenedStore {
  store: SqlStore;
  /** The driver underneath, for libraries that bring their own tables (sign-up caps). */
  raw: { dialect: 'sqlite'; db: Database.Database } | { dialect: 'postgres'; pool: pg.Pool };
}

const MIGRATION_TABLE = 'paperboy_migrations';

async function migrate(db: Kysely<Tables>, dialect: Dialect, label: string): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider(dialect), migrationTableName: MIGRATION_TABLE, migrationLockTableName: `${MIGRATION_TABLE}_lock` });
  const known = new Set(Object.keys(migrations(dialect)));
  let applied: string[] = [];
  try {
    applied = (await migrator.getMigrations()).filter((m) => m.executedAt).map((m) => m.name);
  } catch (e) {
    throw mapStoreError(e, label, dialect);
  }
  // getMigrations lists only the migrations this code knows; read the table for the others.
  try {
    const rows = (await db
      .selectFrom(MIGRATION_TABLE as never)
      .select('name' as never)
      .execute()) as { name: string }[];
    applied = rows.map((r) => r.name);
  } catch {
    // No migration table yet: a new database.
  }
  const unknown = applied.filter((n) => !known.has(n));
  if (unknown.length > 0) {
    throw new PaperboyError(
      'STORE_TOO_NEW',
      `The ${label} was upgraded by a newer paperboy (schema ${unknown.sort().at(-1)}; this version knows up to ${[...known].sort().at(-1)}). ` +
        'Upgrade paperboy, or restore a backup made before the upgrade.',
      { store: label },
    );
  }
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    const mapped = mapStoreError(error, label, dialect);
    if (mapped instanceof PaperboyError) throw mapped;
    throw new PaperboyError('STORE_UNAVAILABLE', `Cannot bring the ${label} up to date${failed ? ` (migration ${failed})` : ''}: ${(error as Error).message}`, { store: label });
  }
}

export async function openStore(target: DatabaseTarget): Promise<OpenedStore> {
  if (target.dialect === 'sqlite') {
    const label = sqliteLabel(target.path);
    const { db, raw } = await openSqlite(target.path);
    try {
      await migrate(db, 'sqlite', label);
    } catch (e) {
      await db.destroy();
      throw e;
    }
    const commits = new WalSyncedCommits(target.path);
    const close = async () => {
      await commits.close();
      await db.destroy();
    };
    return { store: new SqlStore(db, 'sqlite', label, close, commits), raw: { dialect: 'sqlite', db: raw } };
  }
  const label = postgresLabel(target.url);
  const { db, pool } = openPostgres(target.url);
  try {
    await migrate(db, 'postgres', label);
  } catch (e) {
    await db.destroy();
    throw e;
  }
  return { store: new SqlStore(db, 'postgres', label, () => db.destroy()), raw: { dialect: 'postgres', pool } };
}
