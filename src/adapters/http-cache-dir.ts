// Earlier answers of the sources' servers (the HttpCache of http-client.ts) as one small JSON file
// per URL under <stateDir>/cache/http. Only ever saves requests: an unreadable entry is a miss, a
// failed write is ignored, and the folder is safe to delete.
import { createHash } from 'node:crypto';
import { readFile, readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { CachedAnswer, HttpCache } from './http-client.js';
import { ensureDir } from './ensure-dir.js';

/** Entries kept: a day of fetching makes a handful (pages, feed, API batches). */
const KEEP = 200;

export function httpCacheDir(dir: string): HttpCache {
  const file = (url: string) => join(dir, `${createHash('sha256').update(url).digest('hex').slice(0, 32)}.json`);
  return {
    async get(url) {
      try {
        const entry = JSON.parse(await readFile(file(url), 'utf8')) as Partial<CachedAnswer>;
        if (entry.url !== url || typeof entry.body !== 'string' || typeof entry.storedAtMs !== 'number') return undefined;
        return entry as CachedAnswer;
      } catch {
        return undefined;
      }
    },
    async put(entry) {
      try {
        await ensureDir(dir);
        await writeFileAtomic(file(entry.url), JSON.stringify(entry));
        await prune(dir);
      } catch {
        // A cache that cannot be written only means asking again next time.
      }
    },
  };
}

async function prune(dir: string): Promise<void> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.json'));
  if (names.length <= KEEP) return;
  const byAge = await Promise.all(names.map(async (n) => ({ n, t: (await stat(join(dir, n))).mtimeMs })));
  byAge.sort((a, b) => a.t - b.t);
  for (const { n } of byAge.slice(0, byAge.length - KEEP)) await unlink(join(dir, n)).catch(() => undefined);
}
