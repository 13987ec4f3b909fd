// `paperboy preview --serve` as a real child process, asked the way a browser asks: by loopback name
// it answers with its pages and their security headers; by any other name — what a DNS-rebinding
// page's requests carry once its name points at 127.0.0.1 — it refuses and shows nothing.
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/chromium.js';
import { REPO_ROOT } from '../helpers/paperboy-process.js';

const DIGESTS = resolve(REPO_ROOT, '../shared/data/digests');
let dir: string;
let child: ChildProcess;
let port: number;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'paperboy-preview-guard-'));
  child = spawn(process.execPath, [join(REPO_ROOT, 'bin/paperboy.js'), 'preview', '--serve', '--port', '0'], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PAPERBOY_DIGESTS_DIR: DIGESTS, PAPERBOY_STATE_DIR: join(dir, 'state'), PAPERBOY_TEMPLATES_DIR: join(REPO_ROOT, 'templates') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  port = await new Promise<number>((done, fail) => {
    let out = '';
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
      if (m) done(Number(m[1]));
    });
    child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
    child.once('exit', (code) => fail(new Error(`exited ${code}: ${out}`)));
  });
}, 60_000);

afterAll(async () => {
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGTERM');
  await exited;
  await rm(dir, { recursive: true, force: true });
});

/** A GET to 127.0.0.1:<port> with the given Host header (fetch may not set Host). */
function get(path: string, host: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((done, fail) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', fail);
    req.end();
  });
}

describe('paperboy preview --serve: Host check and headers', () => {
  it('answers for 127.0.0.1, localhost and [::1] (any case, with or without the port)', async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, 'LOCALHOST', '127.0.0.1']) {
      const r = await get('/', host);
      expect(r.status, host).toBe(200);
      expect(r.body, host).toContain('hf-trending-page-mar-14.txt');
    }
  });

  it('refuses any other Host with 403 and a way to the right address, showing nothing of the folder', async () => {
    for (const host of [`attacker.example:${port}`, `127.0.0.1.attacker.example:${port}`, `localhost.attacker.example`, `10.0.0.5:${port}`]) {
      for (const path of ['/', '/digest/hf-daily-2026-08-20.json/html', '/version']) {
        const r = await get(path, host);
        expect(r.status, `${host} ${path}`).toBe(403);
        expect(r.body).toMatch(/^This preview server only answers requests for localhost, 127\.0\.0\.1, \[::1\], not ".*" .* Open http:\/\/127\.0\.0\.1:\d+\/ instead\.$/);
        expect(r.body).not.toContain('hf-');
        expect(r.headers['x-content-type-options']).toBe('nosniff');
      }
    }
  });

  it('sends a CSP, nosniff and no framing by other sites; the email part may be framed by the preview only', async () => {
    const shell = await get('/digest/hf-daily-2026-08-20.json', `127.0.0.1:${port}`);
    expect(shell.status).toBe(200);
    expect(shell.headers['content-security-policy']).toMatch(/default-src 'none';.*frame-ancestors 'none'/);
    expect(shell.headers['x-frame-options']).toBe('DENY');
    expect(shell.headers['x-content-type-options']).toBe('nosniff');
    expect(shell.headers['cross-origin-resource-policy']).toBe('same-origin');
    expect(shell.body).toMatch(/<iframe [^>]*\bsandbox\b/);

    const email = await get('/digest/hf-daily-2026-08-20.json/html', `127.0.0.1:${port}`);
    expect(email.status).toBe(200);
    const csp = String(email.headers['content-security-policy']);
    expect(csp).toContain("frame-ancestors 'self'");
    expect(csp).not.toContain('script-src');
    expect(email.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(email.headers['x-content-type-options']).toBe('nosniff');

    const missing = await get('/digest/nope.json', `localhost:${port}`);
    expect(missing.status).toBe(404);
    expect(missing.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  });

  it('in Chromium, the preview still works under its policy: the page, its reload script and the email in its frame', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const violations: string[] = [];
      page.on('console', (m) => {
        if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
      });
      const versions: string[] = [];
      page.on('request', (r) => {
        if (r.url().endsWith('/version')) versions.push(r.url());
      });
      await page.goto(`http://127.0.0.1:${port}/digest/hf-daily-2026-08-20.json`);
      const frame = page.frameLocator('iframe.desktop');
      await expect.poll(() => frame.locator('body').innerText(), { timeout: 15_000 }).toContain('Hi Ada,');
      // The inline reload script runs: it polls /version every second.
      await expect.poll(() => versions.length, { timeout: 5_000 }).toBeGreaterThan(0);
      expect(violations).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
