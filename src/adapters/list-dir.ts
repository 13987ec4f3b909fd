// Folders paperboy reads (digests, ledger, archive, partials) may not exist yet on a fresh install.
import { readdir } from 'node:fs/promises';

/** The names in a folder; a folder that does not exist lists as empty, any other error is thrown. */
export async function namesIn(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}
