// PostgreSQL, for several machines sharing one database (PAPERBOY_DATABASE_URL=postgres://…).
import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import type { Database as Tables } from './schema.js';

// Lease expiry times are bigint (ms since the epoch); pg returns int8 as text by default.
const INT8_OID = 20;
const types = {
  getTypeParser: ((oid: number, format?: string) => (oid === INT8_OID ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text'))) as typeof pg.types.getTypeParser,
};

/** "PostgreSQL database paperboy on db.example.org:5432": the URL without user or password. */
export function postgresLabel(url: string): string {
  try {
    const u = new URL(url);
    const name = decodeURIComponent(u.pathname.replace(/^\//, '')) || '(default)';
    return `PostgreSQL database ${name} on ${u.hostname || 'localhost'}:${u.port || '5432'}`;
  } catch {
    return 'PostgreSQL database (PAPERBOY_DATABASE_URL)';
  }
}

export function openPostgres(url: string, opts: { connections?: number } = {}): { db: Kysely<Tables>; pool: pg.Pool } {
  const pool = new pg.Pool({ connectionString: url, max: opts.connections ?? 10, types, connectionTimeoutMillis: 10_000 });
  // An idle client that loses its server (a restart) emits 'error' on the pool; without a listener
  // that would end the process. The next query gets a fresh connection or a clear error.
  pool.on('error', () => undefined);
  return { db: new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) }), pool };
}
