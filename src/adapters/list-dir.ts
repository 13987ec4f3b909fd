// Folders paperboy reads (digests, ledger, archive, partials) may not exist yet on a fresh install.
import { readdir } from 'node:fs/promises';
import { PaperboyError } from '../errors.js';

/**
 * The names in a folder; a folder that does not exist lists as empty. A file where the folder
 * should be, or one paperboy may not read, is FOLDER_UNAVAILABLE naming it.
 */
export async function namesIn(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return [];
    if (code === 'ENOTDIR') throw new PaperboyError('FOLDER_UNAVAILABLE', `${dir} is a file, not a folder: check the folder paths in the configuration.`, { dir });
    if (code === 'EACCES' || code === 'EPERM') throw new PaperboyError('FOLDER_UNAVAILABLE', `No permission to read the folder ${dir}.`, { dir });
    throw e;
  }
}
