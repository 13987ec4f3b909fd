// Caps that keep the sign-up form from being used to mail-bomb an address or flood the list:
// confirmation mails per address (per 10 minutes and per day) and sign-up requests per client IP.
// Counted in the database (rate-limiter-flexible's SQLite and PostgreSQL stores), so a restart
// keeps them and every paperboy process on the same database shares them.
//
// On SQLite the counters live in a file of their own beside the database, synchronous=NORMAL: a
// count lost to a power cut only ever allows one more mail, and an fsync per count would cost
// more than the sign-up itself. A file of its own also never waits on the main file's write lock.
import { closeSync, openSync } from 'node:fs';
import Database from 'better-sqlite3';
import type pg from 'pg';
import { RateLimiterPostgres, RateLimiterSQLite, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Config } from '../config.js';
import { normaliseEmail } from '../domain/subscriber.js';
import { PaperboyError } from '../errors.js';
import type { SignupLimits } from '../services/web-subscriptions.js';
import { mapStoreError } from './store/store-errors.js';

async function take(limiter: RateLimiterAbstract, key: string, label: string, dialect: 'sqlite' | 'postgres'): Promise<boolean> {
  try {
    await limiter.consume(key);
    return true;
  } catch (e) {
    // consume() rejects with a RateLimiterRes when over the cap, with an Error when the store fails.
    if (!(e instanceof Error)) return false;
    const mapped = mapStoreError(e, label, dialect);
    throw mapped instanceof PaperboyError ? mapped : new PaperboyError('STORE_UNAVAILABLE', `Cannot use the ${label}: ${e.message}.`, { store: label });
  }
}

/** IPv6 clients usually own a whole /64: count the prefix, not the address they rotate through. */
export function ipKey(ip: string): string {
  if (!ip.includes(':')) return ip;
  const groups = ip.split('%')[0]!.split('::');
  const head = (groups[0] ?? '').split(':').filter(Boolean);
  const tail = groups.length > 1 ? (groups[1] ?? '').split(':').filter(Boolean) : [];
  const full = [...head, ...Array<string>(Math.max(0, 8 - head.length - tail.length)).fill('0'), ...tail];
  return `${full.slice(0, 4).map((g) => g.toLowerCase().replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

export type LimitsBackend = { dialect: 'sqlite'; path: string } | { dialect: 'postgres'; pool: pg.Pool; label: string };

export interface StoredSignupLimits extends SignupLimits {
  close(): void;
}

/** Counters for `caps` in the given database; tables are created on first use. */
export function createSignupLimits(backend: LimitsBackend, caps: Config['signup']): StoredSignupLimits {
  let make: (keyPrefix: string, points: number, duration: number) => RateLimiterAbstract;
  let close = () => {};
  let label: string;
  if (backend.dialect === 'sqlite') {
    label = `SQLite database ${backend.path}`;
    let db: Database.Database;
    try {
      closeSync(openSync(backend.path, 'a', 0o600));
      db = new Database(backend.path, { timeout: 5_000 });
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      // rate-limiter-flexible's own table shape, made here so the first count never races its creation.
      db.exec('CREATE TABLE IF NOT EXISTS signup_limits (key TEXT PRIMARY KEY, points INTEGER NOT NULL DEFAULT 0, expire INTEGER)');
    } catch (e) {
      throw mapStoreError(e, label, 'sqlite');
    }
    make = (keyPrefix, points, duration) => new RateLimiterSQLite({ storeClient: db, storeType: 'better-sqlite3', tableName: 'signup_limits', tableCreated: true, keyPrefix, points, duration });
    close = () => db.close();
  } else {
    label = backend.label;
    // The table comes with the schema (adapters/store/migrations.ts).
    make = (keyPrefix, points, duration) => new RateLimiterPostgres({ storeClient: backend.pool, storeType: 'pool', tableName: 'signup_limits', tableCreated: true, keyPrefix, points, duration });
  }
  const perIp = make('ip', caps.perIpPerHour, 3600);
  const perAddress10Min = make('a10', caps.perAddressPer10Min, 600);
  const perAddressDay = make('aday', caps.perAddressPerDay, 86_400);
  const dialect = backend.dialect;
  return {
    allowRequestFrom: (ip) => take(perIp, ipKey(ip), label, dialect),
    async allowMailTo(email) {
      const key = normaliseEmail(email);
      // The short window first, so a burst does not use up the day's allowance.
      return (await take(perAddress10Min, key, label, dialect)) && (await take(perAddressDay, key, label, dialect));
    },
    close,
  };
}
