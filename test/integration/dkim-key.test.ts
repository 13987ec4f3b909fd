// A DKIM key paperboy cannot sign with stops start-up with CONFIG_INVALID naming the setting,
// instead of mail going out unsigned: missing, unreadable, not a key, not RSA, too short. A good key
// pasted into one environment line with its line breaks written as \n is taken.
import { generateKeyPairSync } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, startPaperboy } from '../helpers/paperboy-process.js';
import { runCli } from '../helpers/run-cli.js';

const SAMPLE = resolve(REPO_ROOT, 'docs/examples/sample-digest.json');
const SETTING = /^paperboy: Invalid configuration: dkim\.privateKey \(PAPERBOY_DKIM_PRIVATE_KEY\): /;
let dir: string;

const pem = (type: 'rsa' | 'ec' | 'ed25519', bits = 2048) => {
  const { privateKey } =
    type === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: bits }) : type === 'ec' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('ed25519');
  return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'paperboy-dkim-'));
  await mkdir(join(dir, 'folder.pem'));
  await writeFile(join(dir, 'garbage.pem'), '-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n');
  await writeFile(join(dir, 'public.pem'), generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString());
  await writeFile(join(dir, 'ec.pem'), pem('ec'));
  await writeFile(join(dir, 'ed25519.pem'), pem('ed25519'));
  await writeFile(join(dir, 'short.pem'), pem('rsa', 512));
  await writeFile(join(dir, 'locked.pem'), pem('rsa'));
  await chmod(join(dir, 'locked.pem'), 0o000);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const env = (key: string) => ({
  PAPERBOY_DKIM_DOMAIN: 'example.org',
  PAPERBOY_DKIM_SELECTOR: 'pb2026',
  PAPERBOY_DKIM_PRIVATE_KEY: key,
  PAPERBOY_STATE_DIR: join(dir, 'state'),
  PAPERBOY_SUBSCRIBERS: join(dir, 'subscribers.json'),
});

describe('a DKIM key paperboy cannot use', () => {
  it('stops paperboy start before anything runs, with CONFIG_INVALID naming the setting', async () => {
    const pb = startPaperboy(['start'], { ...env(join(dir, 'missing.pem')), PAPERBOY_PORT: '0', PAPERBOY_LOG_FORMAT: 'json' }, dir);
    expect(await pb.exited).toBe(2);
    expect(pb.otherOutput()).toMatch(SETTING);
    expect(pb.otherOutput()).toMatch(/cannot read .*missing\.pem \(no such file\)\. Set it to the path of an RSA private key/);
    expect(pb.events.map((e) => e.event)).not.toContain('web.started');
  }, 30_000);

  it('is refused the same way by every command that builds the app, saying what is wrong with it', async () => {
    const root = process.getuid?.() === 0; // root reads a file whatever its mode
    const cases: [string, RegExp][] = [
      [join(dir, 'folder.pem'), /folder\.pem \(it is a folder\)/],
      [join(dir, 'garbage.pem'), /garbage\.pem is not a private key paperboy can read \(/],
      [join(dir, 'public.pem'), /public\.pem is not a private key paperboy can read \(/],
      [join(dir, 'ec.pem'), /ec\.pem is an ec key; DKIM signing here needs an RSA key/],
      [join(dir, 'ed25519.pem'), /ed25519\.pem is an ed25519 key/],
      [join(dir, 'short.pem'), /short\.pem is a 512-bit RSA key; receivers ignore DKIM keys under 1024 bits/],
      ['-----BEGIN RSA PRIVATE KEY-----\\ngarbage\\n-----END RSA PRIVATE KEY-----', /the PEM text is not a private key paperboy can read/],
      ...(root ? [] : [[join(dir, 'locked.pem'), /locked\.pem \(no permission to read it\)/] as [string, RegExp]]),
    ];
    for (const [key, why] of cases) {
      const r = await runCli(['send', SAMPLE, '--dry-run'], { env: env(key), cwd: dir });
      expect(r.code, key).toBe(2);
      expect(r.stderr, key).toMatch(SETTING);
      expect(r.stderr, key).toMatch(why);
      expect(r.stderr, key).not.toMatch(/\n\s+at /);
    }
  }, 60_000);

  it('takes a good key inline, even with its line breaks written as \\n', async () => {
    const oneLine = pem('rsa').trim().replace(/\n/g, '\\n');
    expect(oneLine).not.toContain('\n');
    const r = await runCli(['send', SAMPLE, '--dry-run'], { env: env(oneLine), cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });
});
