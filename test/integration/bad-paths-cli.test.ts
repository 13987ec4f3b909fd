// Configured paths that are not what they should be: each gets one line naming the path and what
// is wrong, exit code 1, and never "unexpected error" with a stack trace, nor a hang.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { REPO, SAMPLE_DIGEST } from '../helpers/send-fixture.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-paths-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'a-file'), 'not a folder');
  mkdirSync(join(dir, 'a-folder'));
  symlinkSync(join(dir, 'unmounted'), join(dir, 'a-dead-link'));
  writeFileSync(join(dir, 'subscribers.json'), '{"subscribers": []}');
  const env = {
    PAPERBOY_STATE_DIR: join(dir, 'state'),
    PAPERBOY_SUBSCRIBERS: join(dir, 'subscribers.json'),
    PAPERBOY_DIGESTS_DIR: join(dir, 'digests'),
    PAPERBOY_TEMPLATES_DIR: join(REPO, 'templates'),
    PAPERBOY_BASE_URL: 'https://papers.example.org',
    PAPERBOY_FROM: 'Paperboy <papers@example.org>',
  };
  return { dir, env };
}

describe('bad paths in the configuration', () => {
  it.each([
    ['the database path is a folder', ['subscribers', 'list'], { PAPERBOY_DATABASE_URL: 'a-folder' }, /^paperboy: Cannot use the SQLite database \S+a-folder: that path is a folder; set PAPERBOY_DATABASE_URL to a file path/],
    ['the database is under a file', ['subscribers', 'list'], { PAPERBOY_DATABASE_URL: 'a-file/paperboy.db' }, /^paperboy: Cannot create the folder \S+a-file: \S+a-file is a file, not a folder\./],
    ['the state folder is a file', ['send', SAMPLE_DIGEST], { PAPERBOY_STATE_DIR: 'a-file' }, /^paperboy: Cannot create the folder \S+a-file: \S+a-file is a file, not a folder\./],
    ['the state folder is a link to nothing', ['send', SAMPLE_DIGEST], { PAPERBOY_STATE_DIR: 'a-dead-link/state' }, /^paperboy: Cannot create the folder \S+state: \S+a-dead-link is a symbolic link to something that does not exist\./],
    ['the digests folder is a file', ['send'], { PAPERBOY_DIGESTS_DIR: 'a-file' }, /^paperboy: \S+a-file is a file, not a folder: check the folder paths/],
  ])('%s', async (_what, args, paths, message) => {
    const { dir, env } = setup();
    const rel = Object.fromEntries(Object.entries(paths).map(([k, v]) => [k, join(dir, v)]));
    const r = await runCli(args, { env: { ...env, ...rel }, cwd: dir });
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toContain('unexpected error');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.code).toBe(1);
  });
});
