// The link-signing secret of an install from before the database: <stateDir>/secret. Read once, so
// links in mail sent before the upgrade keep working; the database holds the secret from then on.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export async function readSecretFile(stateDir: string): Promise<string | undefined> {
  try {
    const s = (await readFile(join(stateDir, 'secret'), 'utf8')).trim();
    return s.length >= 16 ? s : undefined;
  } catch {
    return undefined;
  }
}
