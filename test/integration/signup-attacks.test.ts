// Attacks on the sign-up form over HTTP, as a stranger would try them: a real web server on a port,
// the SQLite database, sign-up mails to a real SMTP server (smtp-server on port 0, read with
// mailparser). A stranger re-submitting a victim's pending address must not get the victim's link
// to confirm the stranger's name and topics; address variants (+tags, Gmail's dots) must not
// multiply the mails one mailbox gets; the per-domain and overall caps hold.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { webDepsFromApp } from '../../src/http/app.js';
import { startWebServer, type RunningServer } from '../../src/http/server.js';
import { createWebApp, type WebApp } from '../../src/http/web-app.js';
import { startSmtpSink, type SinkMessage, type SmtpSink } from '../helpers/smtp-sink.js';
import { TEMPLATES_DIR } from '../helpers/web-fixture.js';

const PUBLIC = 'https://papers.example.org';
const VICTIM = 'victim@example.org';
let dir: string;
let sink: SmtpSink;
let app: App;
let web: WebApp;
let server: RunningServer;
const logs: string[] = [];

async function start(signup: Record<string, number> = {}): Promise<void> {
  const config = parseConfig(
    {
      baseUrl: PUBLIC,
      secret: 'attack-test-secret-0123456789',
      from: 'Paper Digest <news@papers.example.org>',
      smtpUrl: sink.url,
      stateDir: 'state',
      subscribersPath: 'subscribers.json',
      digestsDir: 'digests',
      templatesDir: TEMPLATES_DIR,
      // Behind a reverse proxy, so each test can speak from the IP it needs.
      trustProxy: true,
      signup,
    },
    {},
  );
  app = await createApp(config, { cwd: dir, log: (l) => logs.push(l) });
  web = createWebApp(webDepsFromApp(app));
  server = await startWebServer(web, { port: 0, host: '127.0.0.1' });
}

async function signUp(fields: { email: string; name?: string; topics?: string[] }, ip: string): Promise<void> {
  const body = new URLSearchParams({ email: fields.email, name: fields.name ?? '' });
  for (const t of fields.topics ?? []) body.append('topics', t);
  const r = await fetch(`${server.url}/subscribe`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': ip, origin: PUBLIC }, body });
  expect(r.status).toBe(200);
  expect(await r.text()).toContain('Check your inbox');
  // The state work and the mail happen after the answer.
  await web.tasks.idle();
}

/** The confirm link of a mail, as a path on this server. */
function confirmPath(mail: SinkMessage): string {
  const path = /https:\/\/papers\.example\.org(\/confirm\/[A-Za-z0-9._-]+)/.exec(mail.parsed.text ?? '')?.[1];
  expect(path, mail.parsed.text).toBeDefined();
  return path!;
}

const open = async (path: string) => {
  const r = await fetch(`${server.url}${path}`);
  return { status: r.status, text: await r.text() };
};
const press = async (path: string, ip: string) => (await fetch(`${server.url}${path}`, { method: 'POST', headers: { origin: PUBLIC, 'x-forwarded-for': ip } })).status;
const recipients = () => sink.messages.map((m) => m.to.join(','));

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pb-attacks-'));
  sink = await startSmtpSink();
  logs.length = 0;
});
afterEach(async () => {
  await server?.close();
  await app?.close();
  await sink?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('a stranger re-submitting a pending address', () => {
  it('voids the links mailed before; the newest link shows what it confirms; the victim’s own newest request is what gets confirmed', async () => {
    // Three mails per 10 minutes stand for three requests, each after the per-address window.
    await start({ perAddressPer10Min: 3 });
    await signUp({ email: VICTIM, name: 'Ada', topics: ['language'] }, '198.51.100.1');
    const victimsLink = confirmPath(sink.received(VICTIM)[0]!);

    await signUp({ email: 'Victim@Example.org', name: 'Mallory Was Here', topics: ['security'] }, '203.0.113.66');
    expect(sink.received(VICTIM)).toHaveLength(2);
    const strangersLink = confirmPath(sink.received(VICTIM)[1]!);

    // The victim's link confirms nothing now, and says why it may have stopped working.
    const old = await open(victimsLink);
    expect(old.status).toBe(400);
    expect(old.text).toContain('replaced by a newer sign-up for the same address');
    expect(await press(victimsLink, '198.51.100.1')).toBe(400);
    expect(await app.store.findSubscriber(VICTIM)).toMatchObject({ status: 'pending', tokenVersion: 1 });

    // The newest link, in the victim's inbox, shows the stranger's choices before anything is confirmed.
    const shown = await open(strangersLink);
    expect(shown.status).toBe(200);
    expect(shown.text).toContain('<strong>victim@example.org</strong>');
    expect(shown.text).toContain('<strong>Mallory Was Here</strong>');
    expect(shown.text).toContain('<strong>Safety, security &amp; privacy</strong>');
    expect(shown.text).not.toContain('Language models');

    // The victim asks again with their own choices: only that link works, and it confirms them.
    await signUp({ email: VICTIM, name: 'Ada', topics: ['language'] }, '198.51.100.1');
    const newest = confirmPath(sink.received(VICTIM)[2]!);
    expect(await press(strangersLink, '198.51.100.1')).toBe(400);
    const page = await open(newest);
    expect(page.text).toContain('<strong>Ada</strong>');
    expect(page.text).toContain('<strong>Language models &amp; NLP</strong>');
    expect(await press(newest, '198.51.100.1')).toBe(200);
    expect(await app.store.findSubscriber(VICTIM)).toMatchObject({
      status: 'active',
      name: 'Ada',
      topics: ['language'],
      consent: { requestedIp: '198.51.100.1', topics: ['language'], confirmedIp: '198.51.100.1' },
    });
    // The stranger's words never reached the victim's inbox.
    for (const m of sink.received(VICTIM)) expect(`${m.parsed.text}${m.parsed.html || ''}`).not.toContain('Mallory');
  });

  it('within the per-address window changes nothing: the victim’s link confirms the victim’s choices', async () => {
    await start();
    await signUp({ email: VICTIM, name: 'Ada', topics: ['language'] }, '198.51.100.1');
    await signUp({ email: VICTIM, name: 'Mallory', topics: ['security'] }, '203.0.113.66');
    expect(sink.received(VICTIM)).toHaveLength(1);
    const link = confirmPath(sink.received(VICTIM)[0]!);
    expect((await open(link)).text).toContain('<strong>Ada</strong>');
    expect(await press(link, '198.51.100.1')).toBe(200);
    expect(await app.store.findSubscriber(VICTIM)).toMatchObject({ status: 'active', name: 'Ada', topics: ['language'] });
    expect(logs.join('\n')).toContain('sign-up for victim@example.org over the per-address cap: no mail');
  });
});

describe('address variants', () => {
  it('victim+1…+14@ from one IP get the per-address cap of mails, one, however the address is written', async () => {
    await start();
    for (let i = 1; i <= 14; i++) await signUp({ email: `victim+${i}@example.org` }, '192.0.2.50');
    expect(recipients()).toEqual(['victim+1@example.org']);
    // Gmail delivers v.i.c.t.i.m@, Victim+x@ and googlemail.com to one inbox too.
    for (const email of ['vic.tim@gmail.com', 'v.i.c.t.i.m@gmail.com', 'Victim+x@gmail.com', 'victim@googlemail.com']) await signUp({ email }, '192.0.2.51');
    expect(recipients()).toEqual(['victim+1@example.org', 'vic.tim@gmail.com']);
    expect(logs.filter((l) => l.includes('over the per-address cap'))).toHaveLength(13 + 3);
  });

  it('over a day: the per-address daily cap, counted over every variant', async () => {
    await start({ perAddressPer10Min: 100 });
    for (let i = 1; i <= 14; i++) await signUp({ email: `victim+${i}@example.org` }, '192.0.2.50');
    expect(recipients()).toEqual(['victim+1@example.org', 'victim+2@example.org', 'victim+3@example.org']);
  });
});

describe('per-domain and overall caps', () => {
  it('hold sign-up mails to one domain, and to all, per hour, and say so: a refused request uses up no wider allowance', async () => {
    await start({ perDomainPerHour: 3, totalPerHour: 5 });
    const statuses: number[] = [];
    const pages: Record<number, string> = {};
    for (const email of ['a1@example.org', 'a2@example.org', 'a3@example.org', 'a4@example.org', 'b1@example.net', 'b2@example.net', 'b3@example.net']) {
      const r = await fetch(`${server.url}/subscribe`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: PUBLIC }, body: new URLSearchParams({ email }) });
      statuses.push(r.status);
      pages[statuses.length - 1] = `${r.headers.get('retry-after')} ${await r.text()}`;
      await web.tasks.idle();
    }
    expect(statuses).toEqual([200, 200, 200, 503, 200, 200, 503]);
    // example.org: its cap of 3. example.net: what the overall 5 leaves, as the refusal at example.org did not count.
    expect(recipients()).toEqual(['a1@example.org', 'a2@example.org', 'a3@example.org', 'b1@example.net', 'b2@example.net']);
    // The caps concern no one address, so the page may say what happened and when to come back.
    expect(pages[3]).toMatch(/^\d+ [\s\S]*confirmation emails per hour for addresses at your email provider[\s\S]*try again in \d+ minutes?/);
    expect(Number(pages[3]!.split(' ')[0])).toBeGreaterThan(3000);
    expect(pages[6]).toContain('confirmation emails per hour in all');
    expect(logs.join('\n')).toMatch(/sign-up for a4@example\.org refused: its domain's hourly cap is used up for another (59|60) minutes/);
    // Refused requests leave no record behind.
    expect((await app.store.listSubscribers({ limit: 100 })).map((s) => s.email).sort()).toEqual(recipients().sort());
  });

  it('a burst at one mailbox stops at its own cap and leaves the domain’s allowance to everyone else', async () => {
    await start({ perDomainPerHour: 3 });
    for (let i = 1; i <= 10; i++) await signUp({ email: `victim+${i}@example.org` }, '192.0.2.50');
    await signUp({ email: 'ann@example.org' }, '192.0.2.60');
    await signUp({ email: 'bob@example.org' }, '192.0.2.61');
    expect(recipients()).toEqual(['victim+1@example.org', 'ann@example.org', 'bob@example.org']);
  });
});
