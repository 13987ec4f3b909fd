// The MJML compile cache (domain/render/mjml.ts) as a folder of small JSON files, one per compiled
// input, under the state dir. It only ever saves time: an unreadable or damaged entry is a miss, and
// a failed write is ignored (the send goes on; the next run compiles again).
import { readdirSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { MjmlCache } from '../domain/render/mjml.js';
import { ensureDirSync, PRIVATE_DIR_MODE } from './ensure-dir.js';

/** Entries kept: a template's checks make ~5; the rest are older template versions. */
const KEEP = 64;

export function mjmlCacheDir(dir: string): MjmlCache {
  const file = (key: string) => join(dir, `${key}.json`);
  return {
    get(key) {
      try {
        const entry = JSON.parse(readFileSync(file(key), 'utf8')) as { key?: unknown; html?: unknown };
        return entry.key === key && typeof entry.html === 'string' ? entry.html : undefined;
      } catch {
        return undefined;
      }
    },
    set(key, html) {
      try {
        // The cache holds templates only, but may be the first thing made in the state folder.
        ensureDirSync(dir, { mode: PRIVATE_DIR_MODE });
        writeFileAtomic.sync(file(key), JSON.stringify({ key, html }));
        prune(dir);
      } catch {
        // A cache that cannot be written is only slower.
      }
    },
  };
}

/** Removes the least recently written entries beyond KEEP. */
function prune(dir: string): void {
  const names = readdirSync(dir).filter((n) => n.endsWith('.json'));
  if (names.length <= KEEP) return;
  const byAge = names.map((n) => ({ n, t: statSync(join(dir, n)).mtimeMs })).sort((a, b) => a.t - b.t);
  for (const { n } of byAge.slice(0, names.length - KEEP)) unlinkSync(join(dir, n));
}
