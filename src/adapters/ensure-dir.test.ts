import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { EnsureDirError, ensureDir, ensureDirSync } from './ensure-dir.js';

const roots: string[] = [];
const root = () => {
  const d = mkdtempSync(join(tmpdir(), 'pb-ensure-dir-'));
  roots.push(d);
  return d;
};
afterEach(() => {
  for (const d of roots.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe.each([
  ['ensureDir', ensureDir],
  ['ensureDirSync', async (d: string) => ensureDirSync(d)],
])('%s', (_name, make) => {
  it('creates every missing level, and accepts a folder that exists', async () => {
    const dir = join(root(), 'a', 'b', 'c');
    await make(dir);
    expect(statSync(dir).isDirectory()).toBe(true);
    await make(dir);
    await make(join(dir, '..'));
  });

  it('names the file that stands where a folder should be', async () => {
    const r = root();
    writeFileSync(join(r, 'state'), 'not a folder');
    const err = await make(join(r, 'state', 'ledger')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EnsureDirError);
    expect((err as Error).message).toBe(`Cannot create the folder ${join(r, 'state', 'ledger')}: ${join(r, 'state')} is a file, not a folder.`);
  });

  it('says when a level is a symbolic link to nothing', async () => {
    const r = root();
    symlinkSync(join(r, 'unmounted'), join(r, 'state'));
    const err = await make(join(r, 'state', 'ledger')).catch((e: unknown) => e);
    expect((err as Error).message).toBe(`Cannot create the folder ${join(r, 'state', 'ledger')}: ${join(r, 'state')} is a symbolic link to something that does not exist.`);
  });

});

// Node's recursive mkdir spins forever under /proc; these must fail at once. In a child process with
// a time limit, so that a regression fails the test instead of freezing the run (a synchronous spin
// cannot be interrupted from inside).
describe.runIf(existsSync('/proc/self'))('under /proc', () => {
  it.each(['ensureDir', 'ensureDirSync'])('%s fails instead of spinning', (fn) => {
    const module = pathToFileURL(join(import.meta.dirname, 'ensure-dir.ts')).href;
    const script = `const m = await import(${JSON.stringify(module)}); try { await m.${fn}('/proc/paperboy-test/state'); console.log('created?'); } catch (e) { console.log(e.code, e.message); }`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(r.signal, 'killed by the time limit: it spun').toBeNull();
    expect(r.stdout.trim()).toBe('FOLDER_UNAVAILABLE Cannot create the folder /proc/paperboy-test/state: /proc does not accept new folders.');
  });
});
