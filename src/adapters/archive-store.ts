// The web archive: the all-topics web version of every sent issue, served at /archive/<issueId>.
// Files per issue in <stateDir>/archive/: <id>.html, <id>.txt and <id>.json (metadata, written last,
// so an entry is listed only once its bodies are on disk).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { z } from 'zod';
import { namesIn } from './list-dir.js';
import { ensureDir, PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from './ensure-dir.js';

export interface ArchiveEntry {
  issueId: string;
  date: string;
  subject: string;
  paperCount: number;
  sentAt: string;
  html: string;
  text: string;
}
export type ArchiveSummary = Omit<ArchiveEntry, 'html' | 'text'>;

export interface ArchiveStore {
  /** Saves or replaces the entry for e.issueId. */
  save(e: ArchiveEntry): Promise<void>;
  /** Newest first (by date, then sentAt). */
  list(): Promise<ArchiveSummary[]>;
  get(issueId: string): Promise<ArchiveEntry | undefined>;
}

/** Issue ids are also file names and URL segments: no dots, slashes or other surprises. */
const ISSUE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;
export function isValidIssueId(id: string): boolean {
  return ISSUE_ID.test(id);
}

const SummarySchema = z.object({
  issueId: z.string().regex(ISSUE_ID),
  date: z.string(),
  subject: z.string(),
  paperCount: z.number().int().nonnegative(),
  sentAt: z.string(),
});

function newestFirst(a: ArchiveSummary, b: ArchiveSummary): number {
  return b.date.localeCompare(a.date) || b.sentAt.localeCompare(a.sentAt) || a.issueId.localeCompare(b.issueId);
}

function summaryOf(e: ArchiveEntry): ArchiveSummary {
  return { issueId: e.issueId, date: e.date, subject: e.subject, paperCount: e.paperCount, sentAt: e.sentAt };
}

function assertId(id: string): void {
  if (!ISSUE_ID.test(id)) throw new Error(`archive: invalid issue id ${JSON.stringify(id)}`);
}

export class FileArchiveStore implements ArchiveStore {
  constructor(private readonly dir: string) {}

  async save(e: ArchiveEntry): Promise<void> {
    assertId(e.issueId);
    await ensureDir(this.dir, { mode: PRIVATE_DIR_MODE });
    const base = join(this.dir, e.issueId);
    // Served by paperboy itself; nobody else on the machine needs to read them.
    const mode = { mode: PRIVATE_FILE_MODE };
    await writeFileAtomic(`${base}.html`, e.html, mode);
    await writeFileAtomic(`${base}.txt`, e.text, mode);
    await writeFileAtomic(`${base}.json`, JSON.stringify(summaryOf(e), null, 2) + '\n', mode);
  }

  async list(): Promise<ArchiveSummary[]> {
    const names = await namesIn(this.dir);
    const out: ArchiveSummary[] = [];
    for (const name of names) {
      if (!name.endsWith('.json')) continue;
      const meta = await this.readMeta(name.slice(0, -'.json'.length));
      if (meta) out.push(meta);
    }
    return out.sort(newestFirst);
  }

  async get(issueId: string): Promise<ArchiveEntry | undefined> {
    if (!ISSUE_ID.test(issueId)) return undefined;
    const meta = await this.readMeta(issueId);
    if (!meta) return undefined;
    const base = join(this.dir, issueId);
    try {
      const [html, text] = await Promise.all([readFile(`${base}.html`, 'utf8'), readFile(`${base}.txt`, 'utf8')]);
      return { ...meta, html, text };
    } catch {
      return undefined;
    }
  }

  /** A missing or hand-damaged metadata file hides that one entry rather than breaking the archive. */
  private async readMeta(issueId: string): Promise<ArchiveSummary | undefined> {
    if (!ISSUE_ID.test(issueId)) return undefined;
    try {
      const parsed = SummarySchema.safeParse(JSON.parse(await readFile(join(this.dir, `${issueId}.json`), 'utf8')));
      return parsed.success && parsed.data.issueId === issueId ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }
}

export class MemoryArchiveStore implements ArchiveStore {
  private readonly entries = new Map<string, ArchiveEntry>();

  constructor(initial: ArchiveEntry[] = []) {
    for (const e of initial) this.entries.set(e.issueId, { ...e });
  }

  async save(e: ArchiveEntry): Promise<void> {
    assertId(e.issueId);
    this.entries.set(e.issueId, { ...e });
  }

  async list(): Promise<ArchiveSummary[]> {
    return [...this.entries.values()].map(summaryOf).sort(newestFirst);
  }

  async get(issueId: string): Promise<ArchiveEntry | undefined> {
    const e = this.entries.get(issueId);
    return e ? { ...e } : undefined;
  }
}
