// `mkdir -p` that always ends. Node's own `mkdir(dir, { recursive: true })` reads a child's ENOENT
// as "the parent is missing", creates the parent (it exists) and tries again: where a parent exists
// but cannot hold children, as anywhere under /proc, that spins at 100% CPU forever, and a send
// would hang without a word. This walks down from the deepest existing folder, one mkdir per level,
// so every failure is an error, and says which folder could not be made and why.
import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { PaperboyError } from '../errors.js';

/** What is wrong, in words, for the codes a folder path usually fails with. */
function reason(e: NodeJS.ErrnoException, path: string): string {
  switch (e.code) {
    case 'ENOENT':
      return `${path} does not accept new folders`;
    case 'EDANGLING':
      return `${path} is a symbolic link to something that does not exist`;
    case 'ENOTDIR':
    case 'EEXIST':
      return `${path} is a file, not a folder`;
    case 'EACCES':
    case 'EPERM':
      return `no permission to create ${path}`;
    case 'EROFS':
      return `${path} is on a read-only file system`;
    case 'ENOSPC':
      return 'the disk is full';
    default:
      return `${e.code ?? 'error'}: ${e.message}`;
  }
}

/** FOLDER_UNAVAILABLE, naming the folder asked for and the level that failed. */
export class EnsureDirError extends PaperboyError {
  constructor(dir: string, errno: NodeJS.ErrnoException, failedAt: string) {
    super('FOLDER_UNAVAILABLE', `Cannot create the folder ${dir}: ${reason(errno, failedAt)}.`, { dir, failedAt, errno: errno.code });
    this.name = 'EnsureDirError';
  }
}

const errno = (code: string) => Object.assign(new Error(code), { code }) as NodeJS.ErrnoException;

/** Whether `p` is a folder; undefined when nothing is there (or the path runs through a file, found going up). */
function isDir(p: string): boolean | undefined {
  try {
    return statSync(p).isDirectory();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw e;
  }
}

/** Folders from `dir` up that do not exist yet, outermost first; throws if one on the way is a file. */
function missingLevels(dir: string): string[] {
  const missing: string[] = [];
  for (let p = resolve(dir); ; p = dirname(p)) {
    const d = isDir(p);
    if (d === true) break;
    if (d === false) throw new EnsureDirError(dir, errno('ENOTDIR'), p);
    missing.unshift(p);
    if (dirname(p) === p) break;
  }
  return missing;
}

/**
 * Modes for what paperboy keeps about people (addresses, IPs, consent records, mail as sent): the
 * state folder and its folders for the owner only, and their files readable by the owner only.
 */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Creates `dir` and any missing parents: a few stat and mkdir calls, once per folder per run.
 * `mode` applies to the folders it creates (less the umask), never to ones already there.
 */
export function ensureDirSync(dir: string, opts: { mode?: number } = {}): void {
  for (const level of missingLevels(dir)) {
    try {
      mkdirSync(level, opts.mode);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (err.code === 'EEXIST') {
        // Made meanwhile by another process (fine), or a link pointing nowhere.
        const d = isDir(level);
        if (d === true) continue;
        throw new EnsureDirError(dir, d === undefined ? errno('EDANGLING') : err, level);
      }
      throw new EnsureDirError(dir, err, err.code === 'ENOENT' ? dirname(level) : level);
    }
  }
}

/** ensureDirSync for async callers (errors come as a rejected promise). */
export async function ensureDir(dir: string, opts: { mode?: number } = {}): Promise<void> {
  ensureDirSync(dir, opts);
}
