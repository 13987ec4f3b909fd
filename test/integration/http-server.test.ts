// The running web server (real port, the SQLite database, outbox mailer, real templates): 200
// simultaneous sign-ups all land in the database; the confirmation mail is rendered from
// templates/emails/confirm and its link works end to end over HTTP.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { simpleParser } from 'mailparser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { startHttpServer, type RunningServer } from '../../src/http/server.js';
import { TEMPLATES_DIR } from '../helpers/web-fixture.js';

const BIN = fileURLToPath(new URL('../../bin/paperboy.js', import.meta.url));
let dir: string;
let app: App;
let server: RunningServer;
const logs: string[] = [];

async function start(extra: Record<string, unknown> = {}) {
  const config = parseConfig(
    {
      baseUrl: 'https://papers.example.org',
      secret: 'server-test-secret-0123456789',
      from: 'Paper Digest <news@papers.example.org>',
      stateDir: 'state',
      subscribersPath: 'subscribers.json',
      digestsDir: 'digests',
      templatesDir: TEMPLATES_DIR,
      port: 0,
      signup: { perIpPerHour: 10_000, perDomainPerHour: 10_000, totalPerHour: 10_000 },
      ...extra,
    },
    {},
  );
  app = await createApp(config, { cwd: dir, log: (l) => logs.push(l) });
  server = await startHttpServer(app);
}

const form = (fields: Record<string, string | string[]>) => {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const one of ([] as string[]).concat(v)) body.append(k, one);
  return { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body };
};

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pb-web-'));
  logs.length = 0;
});
afterEach(async () => {
  await server?.close();
  await app?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('web server', () => {
  it('records 200 simultaneous sign-ups, none lost', async () => {
    await start();
    const emails = Array.from({ length: 200 }, (_, i) => `reader${i}@example.org`);
    const statuses = await Promise.all(emails.map(async (email) => (await fetch(`${server.url}/subscribe`, form({ email, topics: ['language'] }))).status));
    expect(statuses.every((s) => s === 200)).toBe(true);
    await server.close(); // waits for the confirmation mails

    const subs = await app.store.listSubscribers({ limit: 1000 });
    expect(subs.map((s) => s.email).sort()).toEqual([...emails].sort());
    expect(subs.every((s) => s.status === 'pending' && s.consent.requestedIp === '127.0.0.1')).toBe(true);
    const outbox = await readdir(join(dir, 'state', 'outbox'));
    expect(outbox.filter((f) => f.endsWith('.eml'))).toHaveLength(200);
    expect(logs.filter((l) => l.includes('failed'))).toEqual([]);
  });

  it('mails a rendered confirmation whose link confirms over HTTP; nothing typed but the address is in it', async () => {
    await start();
    const r = await fetch(`${server.url}/subscribe`, form({ email: 'Ada@Example.org', name: 'Ada <b>Evil</b> Lovelace', topics: ['language', 'other'] }));
    expect(r.status).toBe(200);
    expect(r.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    await server.close();

    const [eml] = await readdir(join(dir, 'state', 'outbox'));
    const mail = await simpleParser(await readFile(join(dir, 'state', 'outbox', eml!)));
    expect(mail.from?.value[0]).toMatchObject({ name: 'Paper Digest', address: 'news@papers.example.org' });
    expect(mail.to && 'text' in mail.to ? mail.to.text : '').toBe('ada@example.org');
    expect(mail.subject).toMatch(/confirm/i);
    expect(mail.text).toContain('ada@example.org');
    for (const part of [mail.text ?? '', mail.html || '']) {
      expect(part).not.toContain('Evil');
      expect(part).not.toContain('Lovelace');
    }
    const link = /https:\/\/papers\.example\.org(\/confirm\/[A-Za-z0-9._-]+)/.exec(mail.text ?? '')?.[1];
    expect(link).toBeDefined();
    expect(mail.html).toContain(`https://papers.example.org${link}`);

    // A fresh server over the same files: the link still works (tokens are stateless).
    await app.close();
    await start();
    const page = await fetch(`${server.url}${link}`);
    expect(page.status).toBe(200);
    const done = await fetch(`${server.url}${link}`, { method: 'POST', headers: { origin: 'https://papers.example.org' } });
    expect(done.status).toBe(200);
    const [ada] = (await app.store.listSubscribers({ limit: 1000 })).filter((s) => s.email === 'ada@example.org');
    expect(ada).toMatchObject({ status: 'active', topics: ['language', 'other'], consent: { method: 'web', confirmedIp: '127.0.0.1' } });
  });

  it('mails an already-active address a rendered note with its preferences link, and changes nothing', async () => {
    // An install from before the database: its subscribers file is imported at start.
    await writeFile(
      join(dir, 'subscribers.json'),
      JSON.stringify({ subscribers: [{ email: 'ada@example.org', status: 'active', topics: ['vision'], createdAt: '2026-01-01T00:00:00.000Z' }] }),
    );
    await start();
    expect(logs.join('\n')).toMatch(/imported \S+subscribers\.json into the SQLite database \S+paperboy\.db: 1 subscribers\. The file is no longer read/);
    const before = await app.store.findSubscriber('ada@example.org');
    expect(before).toMatchObject({ status: 'active', topics: ['vision'] });
    expect((await fetch(`${server.url}/subscribe`, form({ email: 'ada@example.org', topics: ['language'] }))).status).toBe(200);
    await server.close();
    expect(await app.store.findSubscriber('ada@example.org')).toEqual(before);
    const [eml] = await readdir(join(dir, 'state', 'outbox'));
    const mail = await simpleParser(await readFile(join(dir, 'state', 'outbox', eml!)));
    expect(mail.subject).toMatch(/already subscribed/i);
    expect(mail.text).toMatch(/https:\/\/papers\.example\.org\/preferences\/[A-Za-z0-9._-]+/);
    expect(mail.html).toMatch(/href="https:\/\/papers\.example\.org\/preferences\/[A-Za-z0-9._-]+"/);
    expect(mail.text).not.toContain('/confirm/');
  });

  it('`paperboy serve --port 0` serves the pages and stops on SIGTERM', async () => {
    await writeFile(join(dir, 'c.json'), JSON.stringify({ secret: 'server-test-secret-0123456789', templatesDir: TEMPLATES_DIR, stateDir: 'state' }));
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PAPERBOY_')));
    const child = spawn(process.execPath, [BIN, '--config', 'c.json', 'serve', '--port', '0'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
    });
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Language models &amp; NLP');
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    expect(code, out).toBe(0);
  });

  it('answers on the configured host only and reports a port in use', async () => {
    await start();
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const port = server.port;
    const other = await createApp(app.config, { cwd: dir });
    await expect(startHttpServer(other, { port })).rejects.toThrow(/already in use/);
    await other.close();
  });
});
