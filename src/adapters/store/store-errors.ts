// Driver errors → STORE_UNAVAILABLE with what happened in words and what to do, naming the
// database (file or server, never a password). Anything else is a bug and stays as it is.
import { PaperboyError } from '../../errors.js';

interface DriverError {
  code?: string;
  message?: string;
}

/** Why, in words, for SQLite result codes (better-sqlite3's `code`) and the errno codes it may surface. */
function sqliteReason(code: string, message: string): string | undefined {
  if (code === 'SQLITE_FULL' || /ENOSPC|disk is full|database or disk is full/i.test(message)) return 'the disk is full; free some space and try again (nothing was changed)';
  if (code.startsWith('SQLITE_READONLY') || code === 'EROFS') return 'it is read-only (a read-only file system, or no write permission on the file or its folder)';
  if (code === 'SQLITE_CANTOPEN') return 'it cannot be opened (check that its folder exists and is writable)';
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') return 'another process held its write lock for too long; try again';
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB') return 'it is damaged or not a paperboy database; restore it from a backup';
  if (code === 'SQLITE_PERM' || code === 'SQLITE_AUTH' || code === 'EACCES' || code === 'EPERM') return 'no permission to use it';
  if (code === 'EISDIR') return 'that path is a folder; set PAPERBOY_DATABASE_URL to a file path (or leave it unset for <stateDir>/paperboy.db)';
  if (code === 'ENOTDIR' || code === 'ENOENT') return 'its folder cannot be used (a file stands in the path)';
  if (code === 'ENOSPC') return 'the disk is full; free some space and try again (nothing was changed)';
  if (code.startsWith('SQLITE_IOERR')) return `a disk error (${code}); check the disk and free space`;
  return undefined;
}

/** PostgreSQL SQLSTATE classes and socket errors. */
function postgresReason(code: string, message: string): string | undefined {
  if (code === 'ECONNREFUSED') return 'nothing is listening there (is PostgreSQL running?)';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'its host name does not resolve';
  if (code === 'ETIMEDOUT' || code === 'ECONNRESET' || code === 'EPIPE' || /Connection terminated|timeout/i.test(message)) return `the connection failed (${code || message})`;
  if (code === '28P01' || code === '28000') return 'the login was refused (check the user and password in PAPERBOY_DATABASE_URL)';
  if (code === '3D000') return 'the database does not exist (create it, e.g. `createdb paperboy`)';
  if (code === '53100') return 'the server disk is full';
  if (code === '25006') return 'the server is read-only (a standby?)';
  if (code.startsWith('57P') || code.startsWith('08')) return `the server is not available (${code}: ${message})`;
  if (code === '42501') return 'permission denied for the configured user';
  if (code === '53300') return 'the server has too many connections';
  return undefined;
}

export function mapStoreError(e: unknown, label: string, dialect: 'sqlite' | 'postgres'): unknown {
  if (e instanceof PaperboyError) return e;
  const err = (e ?? {}) as DriverError;
  const code = String(err.code ?? '');
  const message = String(err.message ?? '');
  const why = dialect === 'sqlite' ? sqliteReason(code, message) : postgresReason(code, message);
  if (!why) return e;
  return new PaperboyError('STORE_UNAVAILABLE', `Cannot use the ${label}: ${why}.`, { store: label, code });
}

/** A unique-key violation: two writers inserted the same new row at once. */
export function isUniqueViolation(e: unknown): boolean {
  const code = String((e as DriverError)?.code ?? '');
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
