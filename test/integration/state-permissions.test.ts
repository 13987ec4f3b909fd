// What paperboy writes about people — the state folder, the secret, mail in the outbox, the archive —
// is created for the owner only (folders 0700, files 0600), whoever else shares the machine.
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/paperboy-process.js';
import { runCli } from '../helpers/run-cli.js';

const SAMPLE = resolve(REPO_ROOT, 'docs/examples/sample-digest.json');
let dir: string;
let umask: number;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'paperboy-modes-'));
  // The usual umask, which leaves new files world-readable unless paperboy says otherwise.
  umask = process.umask(0o022);
});
afterEach(async () => {
  process.umask(umask);
  await rm(dir, { recursive: true, force: true });
});

const mode = async (p: string) => ((await stat(p)).mode & 0o777).toString(8);

describe('modes of the state paperboy creates', () => {
  it.each([
    ['with a generated secret', {}],
    ['with PAPERBOY_SECRET set', { PAPERBOY_SECRET: 'modes-test-secret-0123456789' }],
  ])('folders 0700 and files 0600 after a send to the outbox, %s', async (_, extra: Record<string, string>) => {
    const env = { PAPERBOY_STATE_DIR: join(dir, 'var/state'), PAPERBOY_SUBSCRIBERS: join(dir, 'subscribers.json'), ...extra };
    expect((await runCli(['subscribers', 'add', 'ann@example.org'], { env, cwd: dir })).code).toBe(0);
    const r = await runCli(['send', SAMPLE], { env, cwd: dir });
    expect(r.code).toBe(0);
    const state = join(dir, 'var/state');
    expect(await mode(state)).toBe('700');
    expect(await mode(join(state, 'outbox'))).toBe('700');
    const mails = await readdir(join(state, 'outbox'));
    expect(mails.length).toBeGreaterThan(0);
    for (const f of mails) expect(await mode(join(state, 'outbox', f)), `outbox/${f}`).toBe('600');
    // The database (subscribers, consent records, the archive, the secret) and its WAL files.
    const db = (await readdir(state)).filter((f) => f.includes('.db'));
    expect(db).toEqual(expect.arrayContaining(['paperboy.db', 'paperboy-limits.db']));
    for (const f of db) expect(await mode(join(state, f)), f).toBe('600');
  });
});
