// The folder digests are dropped into (config.digestsDir). Listing is cheap and stateless; what has
// been sent is the ledger's business, so a restart simply lists again.
import { stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { namesIn } from './list-dir.js';

export const DIGEST_EXTENSIONS = ['.json', '.txt', '.xml', '.atom'] as const;

export interface DigestFileEntry {
  /** File name inside the folder, e.g. "2026-03-14.json". */
  name: string;
  /** Absolute path. */
  path: string;
  /** Changes when the file is rewritten: a fixed file is a new version worth another try. */
  mtimeMs: number;
  size: number;
}

/** Editor swap files, partial downloads and dotfiles are never digests. */
function looksLikeDigest(name: string): boolean {
  return !name.startsWith('.') && !name.endsWith('~') && (DIGEST_EXTENSIONS as readonly string[]).includes(extname(name).toLowerCase());
}

/** Digest files sorted by name (date-named files come out oldest first); a missing folder lists as empty. */
export async function listDigestFiles(dir: string): Promise<DigestFileEntry[]> {
  const root = resolve(dir);
  const names = await namesIn(root);
  const entries: DigestFileEntry[] = [];
  for (const name of names.filter(looksLikeDigest)) {
    const path = join(root, name);
    try {
      const st = await stat(path);
      if (st.isFile()) entries.push({ name, path, mtimeMs: st.mtimeMs, size: st.size });
    } catch (e) {
      // Removed between readdir and stat: simply not there any more.
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
