// The FetchLog (services/fetch-sources.ts) as one JSON file in the state folder,
// <stateDir>/fetch-log.json: {"records": [...]}, replaced atomically (temp file, fsync, rename) under
// an inter-process lock, so `paperboy fetch` and `paperboy start` never lose each other's records.
// Records older than KEEP_DAYS are dropped on write. The database store will replace this file.
import { readFile } from 'node:fs/promises';
import lockfile from 'proper-lockfile';
import writeFileAtomic from 'write-file-atomic';
import { z } from 'zod';
import { FetchRecordSchema, type FetchRecord } from '../domain/fetch/fetch-record.js';
import type { SourceName } from '../domain/fetch/sources.js';
import { addDays } from '../domain/fetch/zoned-time.js';
import { PaperboyError, formatPath } from '../errors.js';
import type { FetchLog } from '../services/fetch-sources.js';
import { ensureDir } from './ensure-dir.js';
import { dirname } from 'node:path';

/** Days of fetch history kept (`paperboy sources` shows the last week). */
export const KEEP_DAYS = 60;

const FileSchema = z.object({ records: z.array(FetchRecordSchema) });

const byKey = (a: FetchRecord, b: FetchRecord) => a.date.localeCompare(b.date) || a.source.localeCompare(b.source);

export class FileFetchLog implements FetchLog {
  constructor(private readonly path: string) {}

  async get(source: SourceName, date: string): Promise<FetchRecord | undefined> {
    return (await this.readAll()).find((r) => r.source === source && r.date === date);
  }

  async listSince(sinceDate: string): Promise<FetchRecord[]> {
    return (await this.readAll()).filter((r) => r.date >= sinceDate).sort(byKey);
  }

  async put(record: FetchRecord): Promise<void> {
    const checked = FetchRecordSchema.parse(record);
    await ensureDir(dirname(this.path));
    const release = await lockfile.lock(this.path, { realpath: false, stale: 10_000, retries: { retries: 50, minTimeout: 20, maxTimeout: 200 } });
    try {
      const keepFrom = addDays(checked.date, -KEEP_DAYS);
      const records = (await this.readAll()).filter((r) => !(r.source === checked.source && r.date === checked.date) && r.date >= keepFrom);
      records.push(checked);
      records.sort(byKey);
      await writeFileAtomic(this.path, JSON.stringify({ records }, null, 1) + '\n');
    } finally {
      await release();
    }
  }

  private async readAll(): Promise<FetchRecord[]> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new PaperboyError('FETCH_LOG_INVALID', `${this.path}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}). Check its permissions.`);
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw new PaperboyError('FETCH_LOG_INVALID', `${this.path}: not valid JSON (${(e as Error).message}). Fix it, or delete it: only the fetch history is lost, and today's sources are fetched again.`);
    }
    const r = FileSchema.safeParse(value);
    if (!r.success) {
      const first = r.error.issues[0];
      throw new PaperboyError(
        'FETCH_LOG_INVALID',
        `${this.path}: ${first ? `${formatPath(first.path)}: ${first.message}` : 'not a fetch log'}. Fix it, or delete it: only the fetch history is lost, and today's sources are fetched again.`,
      );
    }
    return r.data.records;
  }
}

/** For unit tests: the same contract in memory. */
export class MemoryFetchLog implements FetchLog {
  private readonly records = new Map<string, FetchRecord>();

  async get(source: SourceName, date: string): Promise<FetchRecord | undefined> {
    const r = this.records.get(`${date} ${source}`);
    return r ? structuredClone(r) : undefined;
  }

  async put(record: FetchRecord): Promise<void> {
    this.records.set(`${record.date} ${record.source}`, structuredClone(FetchRecordSchema.parse(record)));
  }

  async listSince(sinceDate: string): Promise<FetchRecord[]> {
    return [...this.records.values()].filter((r) => r.date >= sinceDate).sort(byKey).map((r) => structuredClone(r));
  }
}
