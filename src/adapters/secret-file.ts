// The secret that signs links in mail. Configured, or generated once into <stateDir>/secret (mode
// 0600) and reused: a new secret would break every unsubscribe link already sent.
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PaperboyError } from '../errors.js';
import { ensureDir, PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from './ensure-dir.js';
import { sleep } from './sleep.js';

export async function loadOrCreateSecret(stateDir: string): Promise<string> {
  const path = join(stateDir, 'secret');
  // First, so that a state folder that cannot exist (a file, a link to nothing) is said so plainly.
  await ensureDir(stateDir, { mode: PRIVATE_DIR_MODE });
  const existing = await readSecret(path);
  if (existing) return existing;
  try {
    // 'wx': of two processes starting at once, one creates it and the other reads that one.
    await writeFile(path, randomBytes(32).toString('base64url') + '\n', { flag: 'wx', mode: PRIVATE_FILE_MODE });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  for (let i = 0; i < 20; i++) {
    const s = await readSecret(path);
    if (s) return s;
    await sleep(25); // the other process is still writing it
  }
  throw new PaperboyError('CONFIG_INVALID', `${path} is empty: delete it (a new secret is generated) or set PAPERBOY_SECRET.`);
}

async function readSecret(path: string): Promise<string | undefined> {
  try {
    const s = (await readFile(path, 'utf8')).trim();
    if (s && s.length < 16) throw new PaperboyError('CONFIG_INVALID', `${path} holds a secret shorter than 16 characters: delete it or set PAPERBOY_SECRET.`);
    return s || undefined;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}
