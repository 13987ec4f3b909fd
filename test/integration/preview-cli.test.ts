// `paperboy preview`: through main() in a temp folder, and `--serve` as a real child process.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

const REPO = resolve('.');
const TRENDING = resolve('../shared/data/digests/hf-trending-page-mar-14.txt');
const env = {
  PAPERBOY_TEMPLATES_DIR: join(REPO, 'templates'),
  PAPERBOY_DIGESTS_DIR: resolve('../shared/data/digests'),
  PAPERBOY_BASE_URL: 'https://papers.example.org',
};

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'paperboy-preview-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const run = (...argv: string[]) => runCli(argv, { env, cwd: dir });

describe('paperboy preview <digest>', () => {
  it('writes the HTML (and text with --text) and prints the path, size and paper count', async () => {
    const r = await run('preview', TRENDING, '--out', 'out/trending.html', '--text');
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const m = /^Wrote out\/trending\.html: ([\d.]+) KB HTML, ([\d.]+) KB as sent of the 92\.8 KB budget, 62 papers, rendered in \d+ ms\n/.exec(r.stdout);
    expect(m).not.toBeNull();
    const bytes = (await stat(join(dir, 'out/trending.html'))).size;
    expect(Number(m![1])).toBeCloseTo(bytes / 1024, 1);
    expect(bytes).toBeLessThanOrEqual(95_000);
    expect(Number(m![2])).toBeLessThanOrEqual(95_000 / 1024);
    expect(r.stdout).toMatch(/Subject: What Can Be Learnt With Wide Convolutional Neural… and 61 more · 14 Mar\n/);
    expect(r.stdout).toMatch(/Wrote out\/trending\.txt: [\d.]+ KB text\n$/);
    const html = await readFile(join(dir, 'out/trending.html'), 'utf8');
    const text = await readFile(join(dir, 'out/trending.txt'), 'utf8');
    expect(html).toContain('Hi Ada,');
    expect(html).toContain('https://papers.example.org/unsubscribe/preview');
    expect(text).toContain('Unsubscribe: https://papers.example.org/unsubscribe/preview');
    expect(html + text).not.toMatch(/[\u0001\u0002]/);
  });

  it('defaults to ./preview/<issueId>[+topics].html', async () => {
    const all = await run('preview', TRENDING);
    expect(all.stdout).toMatch(/^Wrote preview\/2026-03-14-[0-9a-f]{8}\.html: /);
    const one = await run('preview', TRENDING, '--topics', 'foundations,generative');
    const path = /^Wrote (preview\/2026-03-14-[0-9a-f]{8}\+foundations\+generative\.html): /.exec(one.stdout)?.[1];
    expect(path).toBeDefined();
    const html = await readFile(join(dir, path!), 'utf8');
    // Sections by how many papers they hold for this reader.
    expect([...html.matchAll(/<a name="([^"]+)" id="[^"]+"><\/a><h2>/g)].map((m) => m[1])).toEqual(['top', 'foundations', 'generative']);
  });

  it('rejects unknown topics and a missing digest with a message', async () => {
    const bad = await run('preview', TRENDING, '--topics', 'astrology');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/Unknown topic "astrology"; topics are: .*foundations/);
    const missing = await run('preview', join(dir, 'nope.json'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nope\.json: no such digest file/);
    const none = await run('preview');
    expect(none.code).toBe(2);
  });
});

describe('paperboy preview --serve', () => {
  it('prints the URL it listens on and serves the digest list', async () => {
    const child = spawn(process.execPath, [join(REPO, 'bin/paperboy.js'), 'preview', '--serve', '--port', '0'], {
      cwd: dir,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((done, fail) => {
        let out = '';
        child.stdout.on('data', (b: Buffer) => {
          out += b.toString();
          const m = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
          if (m) done(m[1]!);
        });
        child.stderr.on('data', (b: Buffer) => (out += b.toString()));
        child.once('exit', (code) => fail(new Error(`exited ${code}: ${out}`)));
      });
      const page = await (await fetch(url)).text();
      expect(page).toContain('hf-trending-page-mar-14.txt');
      const res = await fetch(`${url}digest/hf-daily-2026-08-20.json/html`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('Hi Ada,');
    } finally {
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      await exited;
    }
  });
});
