// subscribers.json is the source of truth and may be edited by hand while paperboy runs. Every
// change re-reads the file under an inter-process lock, mutates, validates and replaces the file
// atomically; a file that does not validate is refused and never overwritten.
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import lockfile from 'proper-lockfile';
import writeFileAtomic from 'write-file-atomic';
import { z } from 'zod';
import { PaperboyError, formatPath } from '../errors.js';
import { ConsentSchema, SubscriberSchema, normaliseEmail, type Subscriber } from '../domain/subscriber.js';
import { parseObjectWithBigArray, type BadElement } from '../domain/json-big-array.js';
import { ensureDir } from './ensure-dir.js';

export interface SubscriberStore {
  list(): Promise<Subscriber[]>;
  /** Runs `mutate` on the current list (mutate it in place) and saves the result; returns what mutate returned. */
  update<T>(mutate: (subs: Subscriber[]) => T | Promise<T>): Promise<T>;
}

// Unknown keys (a hand-written "note") are kept rather than silently dropped on the next write.
const FileSchema = z.object({ subscribers: z.array(SubscriberSchema.loose()) }).loose();
type FileData = z.infer<typeof FileSchema>;

const MAX_LISTED = 5;

/** From this size on (~1,000 subscribers) the file is parsed entry by entry. */
export const BIG_FILE_BYTES = 256 * 1024;

const EntrySchema = SubscriberSchema.loose();

// Entries validated while a large file was read (json-big-array.ts calls validateEarly on each as
// it is parsed, so the raw entry dies young and the list never exists twice); safeParseFile skips them.
const prevalidated = new WeakSet<object>();

/** A parsed entry, normalised and validated now; an invalid one stays raw for safeParseFile to report. */
function validateEarly(entry: unknown): unknown {
  if (entry && typeof entry === 'object' && typeof (entry as { email?: unknown }).email === 'string') {
    (entry as { email: string }).email = normaliseEmail((entry as { email: string }).email);
  }
  const r = EntrySchema.safeParse(entry);
  if (!r.success) return entry;
  prevalidated.add(r.data);
  return r.data;
}

/**
 * FileSchema.safeParse, entry by entry: each raw entry is replaced by its validated copy as soon as
 * it is made, so a large list is not held twice (raw and typed) at the end of validation. Same
 * result and the same issues (paths, order) as parsing the whole file at once.
 */
function safeParseFile(data: unknown): ReturnType<typeof FileSchema.safeParse> {
  const raw = data as { subscribers?: unknown };
  if (!raw || typeof raw !== 'object' || Array.isArray(raw) || !Array.isArray(raw.subscribers)) return FileSchema.safeParse(data);
  const entries = raw.subscribers as unknown[];
  const issues: z.core.$ZodIssue[] = [];
  for (let i = 0; i < entries.length; i++) {
    if (prevalidated.has(entries[i] as object)) continue;
    const r = EntrySchema.safeParse(entries[i]);
    if (r.success) entries[i] = r.data;
    else for (const issue of r.error.issues) issues.push({ ...issue, path: ['subscribers', i, ...issue.path] });
  }
  if (issues.length > 0) return { success: false, error: new z.ZodError(issues) } as ReturnType<typeof FileSchema.safeParse>;
  // Every entry is a validated copy now; the top level has no other field to check (it is loose).
  return { success: true, data: { ...(raw as Record<string, unknown>), subscribers: entries as Subscriber[] } } as ReturnType<typeof FileSchema.safeParse>;
}

/** Validates parsed JSON (emails normalised first); throws SUBSCRIBERS_INVALID naming entry, address and field. */
export function parseSubscribersData(data: unknown, source: string): FileData {
  const raw = data as { subscribers?: unknown };
  if (raw && typeof raw === 'object' && Array.isArray(raw.subscribers)) {
    for (const entry of raw.subscribers) {
      if (entry && typeof entry === 'object' && typeof (entry as { email?: unknown }).email === 'string') {
        (entry as { email: string }).email = normaliseEmail((entry as { email: string }).email);
      }
    }
  }
  const result = safeParseFile(data);
  const problems: string[] = [];
  if (!result.success) {
    for (const issue of result.error.issues) {
      const [top, index, ...field] = issue.path;
      if (top === 'subscribers' && typeof index === 'number') {
        const email = (raw.subscribers as { email?: unknown }[])[index]?.email;
        const who = typeof email === 'string' && email ? ` (${email})` : '';
        problems.push(`subscribers[${index}]${who}, field "${field.length ? formatPath(field) : '(entry)'}": ${issue.message}`);
      } else {
        problems.push(`field "${formatPath(issue.path)}": ${issue.message}`);
      }
    }
  } else {
    const firstIndex = new Map<string, number>();
    result.data.subscribers.forEach((s, i) => {
      const first = firstIndex.get(s.email);
      if (first === undefined) firstIndex.set(s.email, i);
      else problems.push(`subscribers[${i}] (${s.email}), field "email": same address as subscribers[${first}]; keep one entry`);
    });
  }
  if (problems.length > 0) {
    const listed = problems.slice(0, MAX_LISTED).map((p) => `  - ${p}`);
    if (problems.length > MAX_LISTED) listed.push(`  … and ${problems.length - MAX_LISTED} more`);
    throw new PaperboyError(
      'SUBSCRIBERS_INVALID',
      `Subscribers file ${source} is invalid; paperboy will not change it until it is fixed by hand:\n${listed.join('\n')}`,
      { file: source, problems },
    );
  }
  return result.data!;
}

const SUB_KEYS = Object.keys(SubscriberSchema.shape);
const CONSENT_KEYS = Object.keys(ConsentSchema.shape);

function ordered<T extends object>(obj: T, keys: readonly string[]): T {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (k in obj) out[k] = (obj as Record<string, unknown>)[k];
  for (const [k, v] of Object.entries(obj)) if (!(k in out)) out[k] = v;
  return out as T;
}

/** Stable, readable JSON: schema key order, 2-space indent, trailing newline. */
export function serialiseSubscribers(file: FileData): string {
  const subscribers = file.subscribers.map((s) => ordered({ ...s, consent: ordered(s.consent, CONSENT_KEYS) }, SUB_KEYS));
  return `${JSON.stringify(ordered({ ...file, subscribers }, ['subscribers']), null, 2)}\n`;
}

function jsonErrorWhere(text: string, message: string): string {
  const m = /position (\d+)/.exec(message);
  if (!m) return '';
  const before = text.slice(0, Number(m[1]));
  const line = before.split('\n').length;
  return ` (line ${line}, column ${before.length - before.lastIndexOf('\n')})`;
}

function describeBadElement(bad: BadElement): string {
  if (bad.text.trim() === '') return 'an empty entry (a comma too many?)';
  return bad.message.replace(/ in JSON at position \d+.*$/s, '');
}

/** Line and column (1-based, in characters) of a bad element's error, from its byte offset. */
function elementErrorWhere(bytes: Buffer, bad: BadElement): { line: number; column: number } {
  const lineStart = bytes.lastIndexOf(0x0a, bad.byteOffset - 1) + 1;
  let line = 1;
  for (let i = bytes.indexOf(0x0a); i >= 0 && i < lineStart; i = bytes.indexOf(0x0a, i + 1)) line++;
  // Without a position (an empty element) the error is where the element's text stops being blank.
  const m = /position (\d+)/.exec(bad.message);
  const inElement = bad.text.slice(0, m ? Number(m[1]) : bad.text.length - bad.text.trimStart().length);
  const newlines = inElement.split('\n').length - 1;
  const column = newlines > 0 ? inElement.length - inElement.lastIndexOf('\n') : bytes.toString('utf8', lineStart, bad.byteOffset).length + inElement.length + 1;
  return { line: line + newlines, column };
}

export interface FileStoreOptions {
  /** A lock not refreshed for this long belongs to a dead process and is taken over. */
  lockStaleMs?: number;
  /** How long to wait for another process's lock before giving up. */
  lockWaitMs?: number;
}

// One queue per file per process: updates from the same process wait their turn here instead of
// all polling the file lock.
const queues = new Map<string, Promise<unknown>>();

export class FileSubscriberStore implements SubscriberStore {
  readonly path: string;
  private readonly stale: number;
  private readonly wait: number;

  constructor(path: string, opts: FileStoreOptions = {}) {
    this.path = resolve(path);
    this.stale = opts.lockStaleMs ?? 10_000;
    this.wait = opts.lockWaitMs ?? 20_000;
  }

  async list(): Promise<Subscriber[]> {
    return (await this.read()).file.subscribers;
  }

  update<T>(mutate: (subs: Subscriber[]) => T | Promise<T>): Promise<T> {
    const previous = queues.get(this.path) ?? Promise.resolve();
    const run = previous.then(() => this.lockedUpdate(mutate));
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    queues.set(this.path, tail);
    void tail.then(() => {
      if (queues.get(this.path) === tail) queues.delete(this.path);
    });
    return run;
  }

  private async read(): Promise<{ exists: boolean; file: FileData }> {
    // The file's text is let go before validation makes the second (typed) copy: at 100,000
    // subscribers the text alone is 27 MB or more, and holding it would raise the send's peak.
    const { exists, data } = await this.readJson();
    return { exists, file: data === undefined ? { subscribers: [] } : parseSubscribersData(data, this.path) };
  }

  /** The file parsed as JSON; `data` undefined when it is missing or blank. */
  private async readJson(): Promise<{ exists: boolean; data?: unknown }> {
    let bytes: Buffer;
    try {
      bytes = await readFile(this.path);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return { exists: false };
      const why = code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' || code === 'EPERM' ? 'no permission to read it' : `${code ?? 'error'}: ${(e as Error).message}`;
      throw new PaperboyError('SUBSCRIBERS_INVALID', `Subscribers file ${this.path} cannot be read (${why}): set subscribersPath (PAPERBOY_SUBSCRIBERS) to the subscribers JSON file.`, { file: this.path });
    }
    // A large list is parsed entry by entry, never as one string (json-big-array.ts); anything it
    // does not expect, and every small file, takes the plain path with JSON.parse's error messages.
    if (bytes.length >= BIG_FILE_BYTES) {
      const r = parseObjectWithBigArray(bytes, 'subscribers', validateEarly);
      if (r && 'data' in r) return { exists: true, data: r.data };
      if (r) {
        const { line, column } = elementErrorWhere(bytes, r.bad);
        throw new PaperboyError(
          'SUBSCRIBERS_INVALID',
          `Subscribers file ${this.path} is not valid JSON (line ${line}, column ${column}), in subscribers[${r.bad.index}]: ${describeBadElement(r.bad)}. Fix it by hand; paperboy will not change it until then.`,
          { file: this.path },
        );
      }
    }
    const text = bytes.toString('utf8');
    // A blank file holds nothing that could be lost (e.g. created with `touch`).
    if (text.trim() === '') return { exists: true };
    try {
      return { exists: true, data: JSON.parse(text.replace(/^\uFEFF/, '')) };
    } catch (e) {
      const msg = (e as Error).message;
      throw new PaperboyError(
        'SUBSCRIBERS_INVALID',
        `Subscribers file ${this.path} is not valid JSON${jsonErrorWhere(text, msg)}: ${msg}. Fix it by hand; paperboy will not change it until then.`,
        { file: this.path },
      );
    }
  }

  private async lockedUpdate<T>(mutate: (subs: Subscriber[]) => T | Promise<T>): Promise<T> {
    await ensureDir(dirname(this.path));
    let compromised: Error | undefined;
    let release: () => Promise<void>;
    try {
      // realpath:false because the file may not exist yet; the lock is the directory `<file>.lock`.
      release = await lockfile.lock(this.path, {
        realpath: false,
        stale: this.stale,
        update: Math.max(1000, Math.floor(this.stale / 4)),
        retries: { retries: Math.ceil(this.wait / 150), factor: 1.3, minTimeout: 10, maxTimeout: 200, randomize: true },
        onCompromised: (err) => {
          compromised = err;
        },
      });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ELOCKED') {
        throw new PaperboyError(
          'SUBSCRIBERS_BUSY',
          `Subscribers file ${this.path} stayed locked by another paperboy process for ${Math.round(this.wait / 1000)} s. ` +
            `Try again; if no paperboy is running, remove ${this.path}.lock.`,
          { file: this.path },
        );
      }
      throw e;
    }
    try {
      const { exists, file } = await this.read();
      // Compared as data, so an update that changes nothing leaves a hand-formatted file alone.
      const baseline = exists ? serialiseSubscribers(file) : null;
      const result = await mutate(file.subscribers);
      // Validate what mutate produced exactly as a hand edit would be validated.
      const next = parseSubscribersData(JSON.parse(JSON.stringify(file)), `${this.path} (after update)`);
      const out = serialiseSubscribers(next);
      if (compromised) throw new Error(`Lost the lock on ${this.path} (${compromised.message}); nothing written.`);
      const unchanged = baseline === null ? next.subscribers.length === 0 : out === baseline;
      if (!unchanged) await writeFileAtomic(this.path, out, { fsync: true });
      return result;
    } finally {
      await release().catch(() => undefined);
    }
  }
}

/** In-memory store for unit tests: same validation and serialised updates, no file. */
export class MemorySubscriberStore implements SubscriberStore {
  private subs: Subscriber[];
  private queue: Promise<unknown> = Promise.resolve();

  constructor(initial: z.input<typeof SubscriberSchema>[] = []) {
    this.subs = parseSubscribersData({ subscribers: structuredClone(initial) }, 'memory').subscribers;
  }

  async list(): Promise<Subscriber[]> {
    return structuredClone(this.subs);
  }

  update<T>(mutate: (subs: Subscriber[]) => T | Promise<T>): Promise<T> {
    const run = this.queue.then(async () => {
      const working = structuredClone(this.subs);
      const result = await mutate(working);
      this.subs = parseSubscribersData({ subscribers: structuredClone(working) }, 'memory (after update)').subscribers;
      return result;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}
