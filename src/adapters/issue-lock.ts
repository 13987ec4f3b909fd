// One sender per issue across processes: proper-lockfile on the issue's ledger file, plus an owner
// file saying which process holds it (proper-lockfile records no pid). A lock left by a process
// that died (same host, pid gone, lock no longer refreshed) is taken over at once instead of
// waiting for proper-lockfile's staleness timeout, so a restart after a crash resumes immediately.
import { readFile, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import lockfile from 'proper-lockfile';
import { PaperboyError } from '../errors.js';

const STALE_MS = 10_000;
const UPDATE_MS = 2_000;
const WAIT_POLL_MS = 250;

interface Owner {
  pid: number;
  host: string;
  since: string;
}

export interface HeldLock {
  /** Set once proper-lockfile reports the lock compromised (another process took it over). */
  readonly compromised: () => Error | undefined;
  release(): Promise<void>;
}

export interface LockOptions {
  /** Wait for the other sender to finish instead of failing with SEND_IN_PROGRESS. */
  wait?: boolean;
  signal?: AbortSignal;
  /** Used in messages: "a send of issue X is in progress". */
  label: string;
}

async function readOwner(path: string): Promise<Owner | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Owner;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True when the holder is certainly gone: same host, no such process, lock not refreshed lately. */
async function holderIsDead(lockPath: string, owner: Owner | undefined): Promise<boolean> {
  if (!owner || owner.host !== hostname() || owner.pid === process.pid || isAlive(owner.pid)) return false;
  try {
    const s = await stat(lockPath);
    // A lock just created by a new holder that has not written its owner file yet is fresh.
    return Date.now() - s.mtimeMs > 1_000;
  } catch {
    return false;
  }
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

/** Locks `file` (which must exist). Throws SEND_IN_PROGRESS naming the holder's pid. */
export async function lockIssueFile(file: string, opts: LockOptions): Promise<HeldLock> {
  const lockPath = `${file}.lock`;
  const ownerPath = `${file}.owner`;
  let compromised: Error | undefined;
  for (;;) {
    try {
      const release = await lockfile.lock(file, {
        realpath: false,
        stale: STALE_MS,
        update: UPDATE_MS,
        onCompromised: (err) => {
          compromised = err;
        },
      });
      const owner: Owner = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
      await writeFile(ownerPath, JSON.stringify(owner) + '\n');
      return {
        compromised: () => compromised,
        release: async () => {
          if (compromised) return;
          await rm(ownerPath, { force: true });
          await release().catch(() => undefined);
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ELOCKED') throw e;
      const owner = await readOwner(ownerPath);
      if (await holderIsDead(lockPath, owner)) {
        await rmdir(lockPath).catch(() => undefined);
        continue;
      }
      if (opts.wait && !opts.signal?.aborted) {
        await sleep(WAIT_POLL_MS, opts.signal);
        continue;
      }
      const who = owner ? ` (pid ${owner.pid}${owner.host !== hostname() ? ` on ${owner.host}` : ''}, since ${owner.since})` : '';
      throw new PaperboyError(
        'SEND_IN_PROGRESS',
        `A send of issue ${opts.label} is in progress${who}. Wait for it to finish, or run again with --wait.`,
        { issueId: opts.label, pid: owner?.pid },
      );
    }
  }
}

/** Whether a live process holds the lock on `file` (a dead holder's lock does not count). */
export async function isIssueLocked(file: string): Promise<boolean> {
  try {
    if (!(await lockfile.check(file, { realpath: false, stale: STALE_MS }))) return false;
  } catch {
    return false;
  }
  return !(await holderIsDead(`${file}.lock`, await readOwner(`${file}.owner`)));
}
