// paperboy installed and started the ways the README gives: `npm install -g .` from the checkout
// (into a temporary prefix) and run from another folder, and `npm exec paperboy` in the checkout. A
// SIGTERM to whatever process was started — the bin itself or npm's wrapper, which passes it only to
// the shell it runs paperboy in — stops `serve` and `start` and frees the port. npm runs offline,
// with a cache of its own: nothing is fetched and the machine's npm cache is left alone.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/paperboy-process.js';

let dir: string;
let prefix: string;

const npmEnv = () => ({ PATH: process.env.PATH ?? '', HOME: join(dir, 'home'), npm_config_cache: join(dir, 'npm-cache'), npm_config_update_notifier: 'false' });
const paperboyEnv = (name: string) => ({
  PAPERBOY_STATE_DIR: join(dir, name, 'state'),
  PAPERBOY_SUBSCRIBERS: join(dir, name, 'subscribers.json'),
  PAPERBOY_DIGESTS_DIR: join(dir, name, 'digests'),
  PAPERBOY_PORT: '0',
  PAPERBOY_LOG_FORMAT: 'pretty',
});

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'paperboy-install-'));
  prefix = join(dir, 'prefix');
  // --ignore-scripts: the checkout is built already (npm ci); "prepare" would rebuild dist/ under the other tests' feet.
  await promisify(execFile)('npm', ['install', '-g', '.', '--prefix', prefix, '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: REPO_ROOT, env: npmEnv(), timeout: 120_000 });
}, 150_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Pids of live processes whose command line mentions `text` (the children npm started). */
function processesMentioning(text: string): number[] {
  const out: number[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text)) out.push(Number(pid));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((done) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), done(true)));
    s.once('error', () => done(false));
  });
}

/** Starts `command`, waits for the web app's port in its output. */
async function launch(command: string, args: string[], cwd: string, env: Record<string, string>): Promise<{ child: ChildProcess; port: number; output: () => string; exited: Promise<number | null> }> {
  const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const port = await new Promise<number>((done, fail) => {
    const look = (b: Buffer) => {
      out += b.toString();
      const m = /http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) done(Number(m[1]));
    };
    child.stdout!.on('data', look);
    child.stderr!.on('data', look);
    void exited.then((code) => fail(new Error(`${command} exited (${code}) before listening:\n${out}`)));
  });
  return { child, port, output: () => out, exited };
}

async function until(check: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) if (await check()) return true;
  return check();
}

describe('installed and run as a service', () => {
  it('npm install -g . puts a paperboy command on the PATH that runs outside the checkout', async () => {
    const { stdout } = await promisify(execFile)(join(prefix, 'bin/paperboy'), ['validate', join(REPO_ROOT, 'docs/examples/sample-digest.json')], { cwd: dir, env: { PATH: process.env.PATH ?? '' } });
    expect(stdout).toMatch(/^ok +.*sample-digest\.json +paperboy-json, 2026-03-14, \d+ papers\n$/);
  }, 30_000);

  it.each(['serve', 'start'])('SIGTERM to the installed bin stops %s and frees its port', async (command) => {
    const env = { PATH: process.env.PATH ?? '', HOME: join(dir, 'home'), ...paperboyEnv(`bin-${command}`) };
    const p = await launch(join(prefix, 'bin/paperboy'), [command], dir, env);
    expect(await portOpen(p.port)).toBe(true);
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    expect(await portOpen(p.port)).toBe(false);
  }, 60_000);

  it.each(['serve', 'start'])('SIGTERM to npm exec stops %s below it and frees its port', async (command) => {
    const env = { ...npmEnv(), ...paperboyEnv(`npx-${command}`) };
    // --ignore-scripts: npm would otherwise rebuild this checkout's dist/ ("prepare") under the other tests' feet.
    const p = await launch('npm', ['exec', '--offline', '--ignore-scripts', '--', 'paperboy', command], REPO_ROOT, env);
    const ours = join(dir, 'npm-cache');
    expect(processesMentioning(ours).length).toBeGreaterThan(0);
    expect(await portOpen(p.port)).toBe(true);
    p.child.kill('SIGTERM');
    await p.exited;
    // paperboy sees its wrapper gone, stops as on SIGTERM, and leaves nothing behind.
    expect(await until(async () => !(await portOpen(p.port)) && processesMentioning(ours).length === 0, 15_000)).toBe(true);
  }, 90_000);
});
