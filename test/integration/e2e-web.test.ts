// End to end, as a reader meets paperboy: `paperboy start` as a child process (temp dir config, SMTP
// to an in-process smtp-server), real headless Chromium on the sign-up page. Sign up for two topics →
// confirmation mail → confirm in the browser → admin send → the issue has only those two topics →
// RFC 8058 one-click unsubscribe → the next send delivers nothing to that address.
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../helpers/chromium.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { freePort, startSmtpSink, type SinkMessage, type SmtpSink } from '../helpers/smtp-sink.js';
import { TEMPLATES_DIR } from '../helpers/web-fixture.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURES = join(REPO, 'test', 'fixtures', 'web-e2e');
const ADMIN = 'e2e-admin-token-0123456789';
const READER = 'reader@example.org';
const CONTROL = 'control@example.org';

let dir: string;
let sink: SmtpSink;
let child: ChildProcess;
let browser: Browser;
let base: string;
let output = '';

/** One header of a raw message, unfolded. */
function header(m: SinkMessage, name: string): string | undefined {
  const line = m.parsed.headerLines.find((h) => h.key === name.toLowerCase())?.line;
  return line?.replace(/\r?\n[ \t]+/g, ' ').replace(/^[^:]+:\s*/, '');
}

async function waitForServer(url: string, deadlineMs = 60_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`paperboy start exited with ${child.exitCode}:\n${output}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > end) throw new Error(`paperboy start did not answer on ${url}:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function adminSend(body: object): Promise<{ ok: boolean; result: unknown }> {
  const r = await fetch(`${base}/admin/send`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = (await r.json()) as { ok: boolean; result: unknown };
  expect(r.status, JSON.stringify(json)).toBe(200);
  return json;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pb-e2e-'));
  sink = await startSmtpSink();
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  await mkdir(join(dir, 'digests'));
  await writeFile(
    join(dir, 'subscribers.json'),
    JSON.stringify({ subscribers: [{ email: CONTROL, status: 'active', topics: [], createdAt: '2026-01-01T00:00:00.000Z' }] }, null, 2),
  );
  await writeFile(
    join(dir, 'paperboy.json'),
    JSON.stringify({
      smtpUrl: sink.url,
      from: 'Paper Digest <news@paperboy.test>',
      baseUrl: base,
      port,
      host: '127.0.0.1',
      secret: 'e2e-secret-0123456789abcdef',
      adminToken: ADMIN,
      templatesDir: TEMPLATES_DIR,
      digestsDir: 'digests',
      // The fixture digests are dated in the past; the age rule is tested in send-faults.test.ts.
      maxDigestAgeDays: 0,
      subscribersPath: 'subscribers.json',
      stateDir: 'state',
      // Far away: only the admin API sends in this test.
      schedule: '0 0 1 1 *',
      smtp: { retryBaseMs: 50 },
    }),
  );
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PAPERBOY_')));
  child = spawn(process.execPath, [join(REPO, 'bin', 'paperboy.js'), '--config', 'paperboy.json', 'start'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  browser = await launchChromium();
  await waitForServer(base);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  if (child && child.exitCode === null) {
    // Only reached when the shutdown test failed: do not leave a server behind.
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
  await sink?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('paperboy start, in a browser', () => {
  it('sign-up → confirm → issue with the chosen topics → one-click unsubscribe → nothing more', async () => {
    // 1. The form, in Chromium: email, two topics.
    const page = await browser.newPage();
    await page.goto(`${base}/`);
    await page.fill('#email', READER);
    // The topics are folded away (so the button is on a phone's first screen): open them.
    await page.click('details.topics summary');
    await page.check('input[name="topics"][value="language"]');
    await page.check('input[name="topics"][value="vision"]');
    await Promise.all([page.waitForURL(`${base}/subscribe`), page.click('button[type="submit"]')]);
    expect(await page.textContent('h1')).toBe('Check your inbox');

    // 2. The confirmation mail, and its link confirmed with the button.
    await sink.waitFor(1);
    const confirm = sink.received(READER)[0]!;
    expect(confirm.parsed.subject).toMatch(/confirm/i);
    const link = new RegExp(`${base.replace(/[.:/]/g, '\\$&')}/confirm/[A-Za-z0-9._-]+`).exec(confirm.parsed.text ?? '')?.[0];
    expect(link, confirm.parsed.text).toBeDefined();
    await page.goto(link!);
    expect(await page.textContent('h1')).toBe('Confirm your subscription');
    // The page says what the button confirms: the two topics chosen, no name.
    const choices = (await page.textContent('ul.choices')) ?? '';
    expect(choices).toMatch(/Name in the greeting: none\s+Topics: Language models & NLP, Computer vision & graphics/);
    await Promise.all([page.waitForLoadState('load'), page.click('button[type="submit"]')]);
    await page.waitForSelector('text=You\'re subscribed');
    // What the database now says, as an operator would ask while the service runs.
    const listed = await runCli(['--config', 'paperboy.json', 'subscribers', 'list', '--json'], { cwd: dir, env: {} });
    const subs = JSON.parse(listed.stdout) as { email: string; status: string; topics: string[] }[];
    expect(subs.find((s) => s.email === READER)).toMatchObject({ status: 'active', topics: ['language', 'vision'] });

    // 3. A send through the admin API: the reader gets only their two topics.
    await copyFile(join(FIXTURES, 'digest-1.json'), join(dir, 'digests', 'digest-1.json'));
    const first = (await adminSend({ digest: 'digest-1.json' })).result as { sent: number; failed: number };
    expect(first).toMatchObject({ sent: 2, failed: 0 });
    const issue = sink.received(READER)[1]!;
    expect(issue).toBeDefined();
    const text = issue.parsed.text ?? '';
    expect(text).toContain('Chain-of-thought reasoning in large language models');
    expect(text).toContain('Open-vocabulary image segmentation');
    expect(text).not.toContain('dexterous robot manipulation');
    expect(text).not.toContain('speech synthesis');
    expect(text).not.toContain('Robotics & autonomous systems');
    // The control subscriber (all topics) got all four papers.
    expect(sink.received(CONTROL)[0]!.parsed.text).toContain('dexterous robot manipulation');

    // 3b. "Stop this topic" beside the vision section: a page with a button, then only language is left.
    const html = typeof issue.parsed.html === 'string' ? issue.parsed.html : '';
    const stop = new RegExp(`href="(${base.replace(/[.:/]/g, '\\$&')}/stop-topic/[A-Za-z0-9._-]+/vision)"`).exec(html)?.[1];
    expect(stop, 'stop-topic link of the vision section').toBeDefined();
    await page.goto(stop!);
    expect(await page.textContent('h1')).toContain('Computer vision');
    await Promise.all([page.waitForLoadState('load'), page.click('button[type="submit"]')]);
    await page.waitForSelector('text=stopped');
    const after = JSON.parse((await runCli(['--config', 'paperboy.json', 'subscribers', 'list', '--json'], { cwd: dir, env: {} })).stdout) as { email: string; topics: string[] }[];
    expect(after.find((s) => s.email === READER)!.topics).toEqual(['language']);

    // 4. RFC 8058 one-click unsubscribe, exactly as a mailbox provider does it.
    expect(header(issue, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    const unsubscribeUrl = /<(https?:[^>]+)>/.exec(header(issue, 'List-Unsubscribe') ?? '')?.[1];
    expect(unsubscribeUrl).toMatch(new RegExp(`^${base}/unsubscribe/`));
    const one = await fetch(unsubscribeUrl!, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click', redirect: 'manual' });
    expect(one.status).toBe(200);

    // 5. The next send (all pending digests) reaches the control subscriber but not the reader.
    await copyFile(join(FIXTURES, 'digest-2.json'), join(dir, 'digests', 'digest-2.json'));
    await adminSend({});
    expect(sink.received(CONTROL).map((m) => m.parsed.subject)).toHaveLength(2);
    expect(sink.received(CONTROL)[1]!.parsed.text).toContain('Instruction tuning of multilingual language models');
    expect(sink.received(READER)).toHaveLength(2);
    await page.close();
  }, 120_000);

  it('shuts down cleanly on SIGTERM', async () => {
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    expect(code, output).toBe(0);
  }, 30_000);
});
