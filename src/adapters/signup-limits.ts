// Caps that keep the sign-up form from being used to mail-bomb an address or flood the list:
// sign-up mails per mailbox (per 10 minutes and per day; `ada+1@` and `ada+2@` are one mailbox),
// per domain and in all (per hour), and sign-up requests per client IP.
// Counted in the database (rate-limiter-flexible's SQLite and PostgreSQL stores), so a restart
// keeps them and every paperboy process on the same database shares them.
//
// On SQLite the counters live in a file of their own beside the database, synchronous=NORMAL: a
// count lost to a power cut only ever allows one more mail, and an fsync per count would cost
// more than the sign-up itself. A file of its own also never waits on the main file's write lock.
import { closeSync, openSync } from 'node:fs';
import Database from 'better-sqlite3';
import type pg from 'pg';
import { RateLimiterPostgres, RateLimiterSQLite, type RateLimiterAbstract, type RateLimiterRes } from 'rate-limiter-flexible';
import type { Config } from '../config.js';
import { canonicalMailbox, mailDomain } from '../domain/mailbox.js';
import { PaperboyError } from '../errors.js';
import type { HourlyCap, MailCap, SignupLimits } from '../services/web-subscriptions.js';
import { mapStoreError } from './store/store-errors.js';

function storeFailure(e: Error, label: string, dialect: 'sqlite' | 'postgres'): PaperboyError {
  const mapped = mapStoreError(e, label, dialect);
  return mapped instanceof PaperboyError ? mapped : new PaperboyError('STORE_UNAVAILABLE', `Cannot use the ${label}: ${e.message}.`, { store: label });
}

async function take(limiter: RateLimiterAbstract, key: string, label: string, dialect: 'sqlite' | 'postgres'): Promise<boolean> {
  try {
    await limiter.consume(key);
    return true;
  } catch (e) {
    // consume() rejects with a RateLimiterRes when over the cap, with an Error when the store fails.
    if (!(e instanceof Error)) return false;
    throw storeFailure(e, label, dialect);
  }
}

/** What is counted for `key` in the current window, without counting anything; null when nothing is. */
async function peek(limiter: RateLimiterAbstract, key: string, label: string, dialect: 'sqlite' | 'postgres'): Promise<RateLimiterRes | null> {
  try {
    return await limiter.get(key);
  } catch (e) {
    throw e instanceof Error ? storeFailure(e, label, dialect) : e;
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
  // Narrowest first: a burst at one mailbox stops at its own cap and uses up neither the day's
  // allowance nor the domain's or everyone's.
  const hourly: { cap: HourlyCap; points: number; limiter: RateLimiterAbstract; key: (email: string) => string }[] = [
    { cap: 'domain', points: caps.perDomainPerHour, limiter: make('dom', caps.perDomainPerHour, 3600), key: mailDomain },
    { cap: 'total', points: caps.totalPerHour, limiter: make('all', caps.totalPerHour, 3600), key: () => 'all' },
  ];
  const mailCaps: { cap: MailCap; limiter: RateLimiterAbstract; key: (email: string) => string }[] = [
    { cap: 'address', limiter: make('a10', caps.perAddressPer10Min, 600), key: canonicalMailbox },
    { cap: 'address', limiter: make('aday', caps.perAddressPerDay, 86_400), key: canonicalMailbox },
    ...hourly,
  ];
  const dialect = backend.dialect;
  return {
    allowRequestFrom: (ip) => take(perIp, ipKey(ip), label, dialect),
    async hourlyCapReached(email) {
      for (const { cap, points, limiter, key } of hourly) {
        const counted = await peek(limiter, key(email), label, dialect);
        if (counted && counted.consumedPoints >= points) return { cap, retryAfterS: Math.max(1, Math.ceil(counted.msBeforeNext / 1000)) };
      }
      return null;
    },
    async takeMailTo(email) {
      for (const { cap, limiter, key } of mailCaps) if (!(await take(limiter, key(email), label, dialect))) return cap;
      return null;
    },
    close,
  };
}
