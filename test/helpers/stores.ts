// Real databases for tests: a SQLite file in a temporary folder, or a fresh database on the test
// run's PostgreSQL server (test/global-setup.ts).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { openStore, type DatabaseTarget, type OpenedStore } from '../../src/adapters/store/open-store.js';

export type Backend = 'sqlite' | 'postgres';
export const BACKENDS: Backend[] = ['sqlite', 'postgres'];

let counter = 0;

/** A new, empty PostgreSQL database on the test server; returns its URL. */
export async function createPostgresDatabase(): Promise<string> {
  const admin = inject('postgresAdminUrl');
  const name = `pb_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const u = new URL(admin);
  u.pathname = `/${name}`;
  return u.toString();
}

export interface TestStore extends OpenedStore {
  target: DatabaseTarget;
  /** PAPERBOY_DATABASE_URL for a child process or a config. */
  databaseUrl: string;
  dispose(): Promise<void>;
}

/** Opens a new store of the given kind (migrated, empty). */
export async function testStore(backend: Backend): Promise<TestStore> {
  if (backend === 'sqlite') {
    const dir = await mkdtemp(join(tmpdir(), 'paperboy-db-'));
    const path = join(dir, 'paperboy.db');
    const target: DatabaseTarget = { dialect: 'sqlite', path };
    const opened = await openStore(target);
    return { ...opened, target, databaseUrl: `sqlite:${path}`, dispose: async () => (await opened.store.close(), await rm(dir, { recursive: true, force: true })) };
  }
  const url = await createPostgresDatabase();
  const target: DatabaseTarget = { dialect: 'postgres', url };
  const opened = await openStore(target);
  return { ...opened, target, databaseUrl: url, dispose: () => opened.store.close() };
}
