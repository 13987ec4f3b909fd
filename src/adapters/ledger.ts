// The durable record of what was sent: one append-only JSONL file per issue in <stateDir>/ledger/,
// replayed on open, plus <issueId>.meta.json (digest, subject, papers, counts, run times). Lines
// are fsynced before and after each SMTP transaction; concurrent appends share one fsync (group
// commit), so durability costs one fsync per batch, not per message.
import { open, readFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { z } from 'zod';
import { LedgerBriefs } from '../domain/ledger-briefs.js';
import { applyEvent, LedgerEventSchema, LedgerTransitionError, type LedgerBriefState, type LedgerEvent, type LedgerRecord, type LedgerState } from '../domain/ledger-state.js';
import { PaperboyError } from '../errors.js';
import { isIssueLocked, lockIssueFile, type HeldLock } from './issue-lock.js';
import { namesIn } from './list-dir.js';
import { ensureDir } from './ensure-dir.js';

export const IssueMetaSchema = z.object({
  issueId: z.string(),
  digestPath: z.string().optional(),
  date: z.string(),
  subject: z.string().optional(),
  /** Papers this issue carries, fixed at its first send so a resumed run sends the same content. */
  paperIds: z.array(z.string()),
  variants: z.number().int().optional(),
  counts: z.record(z.string(), z.number()).optional(),
  startedAt: z.string().optional(),
  /** Set when a run got through every recipient; unset while unfinished or stopped early. */
  finishedAt: z.string().optional(),
  lastRunAt: z.string().optional(),
  runs: z.number().int().default(0),
  /** Why the issue was not sent at all (e.g. every paper went out in earlier issues). */
  skipped: z.string().optional(),
});
export type IssueMeta = z.infer<typeof IssueMetaSchema>;

/** An issue's ledger opened for sending: holds the issue's lock until closed. */
export interface OpenLedger {
  readonly issueId: string;
  /** State and attempts per recipient (kept compact for large runs; Ledger.read has the details). */
  state(): LedgerBriefState;
  /** Resolves once the event is on disk (fsynced). */
  append(ev: LedgerEvent): Promise<void>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** The test-send ledger (<issueId>.test.jsonl): never marks anyone sent for the issue. */
  test?: boolean;
  wait?: boolean;
  signal?: AbortSignal;
}

export interface Ledger {
  /** Locks the issue (SEND_IN_PROGRESS if another process sends it) and replays its file. */
  open(issueId: string, opts?: OpenOptions): Promise<OpenLedger>;
  /** Current state without locking (status, dry runs). */
  read(issueId: string, opts?: { test?: boolean }): Promise<LedgerState>;
  readMeta(issueId: string): Promise<IssueMeta | undefined>;
  writeMeta(meta: IssueMeta): Promise<void>;
  listMeta(): Promise<IssueMeta[]>;
  /** Whether some process holds the issue's send lock right now. */
  inProgress(issueId: string): Promise<boolean>;
}

/**
 * Records are per address; in the test ledger every test message is its own record (an address may
 * get any number of test copies), keyed by Message-ID.
 */
const keyOf = (ev: LedgerEvent, test: boolean | undefined) => (test ? (ev.messageId ?? ev.email) : ev.email);

/**
 * Replays JSONL text into `apply` (which validates each move). A torn last line (no newline) is
 * ignored; any other bad line is an error. Returns the byte length of the complete lines.
 */
function replayLedger(text: string, file: string, apply: (ev: LedgerEvent) => void): number {
  const end = text.lastIndexOf('\n') + 1;
  let start = 0;
  for (let i = 0; start < end; i++) {
    const nl = text.indexOf('\n', start);
    const line = text.slice(start, nl);
    start = nl + 1;
    if (line.trim() === '') continue;
    try {
      apply(LedgerEventSchema.parse(JSON.parse(line)));
    } catch (e) {
      const why = e instanceof LedgerTransitionError ? e.message : 'not a valid ledger entry';
      throw new PaperboyError('LEDGER_INVALID', `Ledger ${file} line ${i + 1}: ${why}. The file is append-only; restore it from a backup or move it aside.`, { file, line: i + 1 });
    }
  }
  return Buffer.byteLength(text.slice(0, end));
}

/** Replays JSONL text into full records (times, Message-ID, last reply) per address. */
export function parseLedger(text: string, file: string, test = false): { state: Map<string, LedgerRecord>; goodBytes: number } {
  const state = new Map<string, LedgerRecord>();
  const goodBytes = replayLedger(text, file, (ev) => {
    const key = keyOf(ev, test);
    state.set(key, applyEvent(state.get(key), ev));
  });
  return { state, goodBytes };
}

/** Appends lines and fsyncs them in batches: every append() waiting while a sync runs joins the next. */
class GroupCommitWriter {
  private buffer: string[] = [];
  private waiters: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  private flushing: Promise<void> | undefined;

  constructor(private readonly fh: FileHandle) {}

  append(line: string): Promise<void> {
    const p = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    this.buffer.push(line);
    this.flushing ??= this.flushLoop();
    return p;
  }

  private async flushLoop(): Promise<void> {
    while (this.buffer.length > 0) {
      const data = Buffer.from(this.buffer.join(''));
      const waiters = this.waiters;
      this.buffer = [];
      this.waiters = [];
      try {
        let off = 0;
        while (off < data.length) off += (await this.fh.write(data, off)).bytesWritten;
        await this.fh.datasync();
        for (const w of waiters) w.resolve();
      } catch (e) {
        for (const w of waiters) w.reject(e);
      }
    }
    this.flushing = undefined;
  }

  async drain(): Promise<void> {
    while (this.flushing) await this.flushing;
  }
}

const readText = async (path: string) => {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw e;
  }
};

export class FileLedger implements Ledger {
  constructor(readonly dir: string) {}

  private file(issueId: string, test = false) {
    if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/.test(issueId)) throw new Error(`ledger: invalid issue id ${JSON.stringify(issueId)}`);
    return join(this.dir, `${issueId}${test ? '.test' : ''}.jsonl`);
  }

  async open(issueId: string, opts: OpenOptions = {}): Promise<OpenLedger> {
    await ensureDir(this.dir);
    const path = this.file(issueId, opts.test);
    // The lock needs the file to exist; 'a' creates it without touching what is there.
    await (await open(path, 'a')).close();
    const lock: HeldLock = await lockIssueFile(path, { wait: opts.wait, signal: opts.signal, label: issueId });
    try {
      const text = await readText(path);
      const state = new LedgerBriefs();
      const goodBytes = replayLedger(text, path, (ev) => state.apply(keyOf(ev, opts.test), ev));
      const fh = await open(path, 'r+');
      // Cut a torn last line so the next entry starts on a line of its own.
      if (goodBytes < Buffer.byteLength(text)) await fh.truncate(goodBytes);
      await fh.close();
      const appendFh = await open(path, 'a');
      const writer = new GroupCommitWriter(appendFh);
      return {
        issueId,
        state: () => state,
        append: async (ev) => {
          const broken = lock.compromised();
          if (broken) throw new PaperboyError('SEND_IN_PROGRESS', `Lost the lock on issue ${issueId} (${broken.message}); stopping so two senders never overlap.`);
          // Validate the move before it is written: the file must always replay.
          state.apply(keyOf(ev, opts.test), ev);
          await writer.append(JSON.stringify(ev) + '\n');
        },
        close: async () => {
          await writer.drain();
          await appendFh.close();
          await lock.release();
        },
      };
    } catch (e) {
      await lock.release();
      throw e;
    }
  }

  async read(issueId: string, opts: { test?: boolean } = {}): Promise<LedgerState> {
    const path = this.file(issueId, opts.test);
    return parseLedger(await readText(path), path, opts.test).state;
  }

  async readMeta(issueId: string): Promise<IssueMeta | undefined> {
    const path = join(this.dir, `${issueId}.meta.json`);
    const text = await readText(path);
    if (!text) return undefined;
    try {
      return IssueMetaSchema.parse(JSON.parse(text));
    } catch {
      throw new PaperboyError('LEDGER_INVALID', `Ledger metadata ${path} is damaged: restore it from a backup or delete it (it is rebuilt on the next send of that issue).`, { file: path });
    }
  }

  async writeMeta(meta: IssueMeta): Promise<void> {
    await ensureDir(this.dir);
    this.file(meta.issueId);
    await writeFileAtomic(join(this.dir, `${meta.issueId}.meta.json`), JSON.stringify(meta, null, 2) + '\n');
  }

  inProgress(issueId: string): Promise<boolean> {
    return isIssueLocked(this.file(issueId));
  }

  async listMeta(): Promise<IssueMeta[]> {
    const names = await namesIn(this.dir);
    const out: IssueMeta[] = [];
    for (const n of names.filter((n) => n.endsWith('.meta.json')).sort()) {
      const m = await this.readMeta(n.slice(0, -'.meta.json'.length));
      if (m) out.push(m);
    }
    return out;
  }
}

/** In-process ledger for tests: same state machine and locking semantics, nothing on disk. */
export class MemoryLedger implements Ledger {
  readonly events = new Map<string, LedgerEvent[]>();
  readonly metas = new Map<string, IssueMeta>();
  private readonly held = new Set<string>();

  async open(issueId: string, opts: OpenOptions = {}): Promise<OpenLedger> {
    const key = `${issueId}${opts.test ? '.test' : ''}`;
    while (this.held.has(key)) {
      if (!opts.wait) throw new PaperboyError('SEND_IN_PROGRESS', `A send of issue ${issueId} is in progress (pid ${process.pid}).`);
      await new Promise((r) => setTimeout(r, 10));
    }
    this.held.add(key);
    const log = this.events.get(key) ?? [];
    this.events.set(key, log);
    const state = new Map<string, LedgerRecord>();
    const apply = (ev: LedgerEvent) => state.set(keyOf(ev, opts.test), applyEvent(state.get(keyOf(ev, opts.test)), ev));
    for (const ev of log) apply(ev);
    return {
      issueId,
      state: () => state,
      append: async (ev) => {
        apply(ev);
        log.push(ev);
      },
      close: async () => {
        this.held.delete(key);
      },
    };
  }

  async read(issueId: string, opts: { test?: boolean } = {}): Promise<LedgerState> {
    const state = new Map<string, LedgerRecord>();
    for (const ev of this.events.get(`${issueId}${opts.test ? '.test' : ''}`) ?? []) state.set(keyOf(ev, opts.test), applyEvent(state.get(keyOf(ev, opts.test)), ev));
    return state;
  }

  async readMeta(issueId: string): Promise<IssueMeta | undefined> {
    const m = this.metas.get(issueId);
    return m ? structuredClone(m) : undefined;
  }

  async writeMeta(meta: IssueMeta): Promise<void> {
    this.metas.set(meta.issueId, structuredClone(meta));
  }

  async inProgress(issueId: string): Promise<boolean> {
    return this.held.has(issueId);
  }

  async listMeta(): Promise<IssueMeta[]> {
    return [...this.metas.values()].sort((a, b) => a.issueId.localeCompare(b.issueId)).map((m) => structuredClone(m));
  }
}
