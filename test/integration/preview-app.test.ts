// The live preview page, through app.request() (no port), over a temp copy of the templates.
import { cp, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPreviewApp } from '../../src/http/preview-app.js';
import type { PreviewSettings } from '../../src/services/render-preview.js';

const DIGESTS = resolve('../shared/data/digests');
let dir: string;
let settings: PreviewSettings;
let sent: { digestPath: string; to: string }[];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'paperboy-preview-app-'));
  await cp('templates', dir, { recursive: true });
  settings = {
    templatesDir: dir,
    taxonomyPath: join(dir, 'topics.json'),
    digestsDir: DIGESTS,
    baseUrl: 'https://papers.example.org',
    limits: { maxAbstractChars: 420, maxHtmlBytes: 95_000 },
    adminToken: 'preview-admin-token-0123456789',
    sendTest: async (digestPath, to) => {
      sent.push({ digestPath, to });
      return `Test copy sent to ${to}.`;
    },
  };
  sent = [];
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Rewrites a template and moves its mtime forward, so the change is seen even within one clock tick. */
async function editTemplate(rel: string, change: (s: string) => string, bump: number): Promise<void> {
  const path = join(dir, rel);
  await writeFile(path, change(await readFile(path, 'utf8')));
  const t = new Date(Date.now() + bump * 1000);
  await utimes(path, t, t);
}

describe('preview app', () => {
  it('lists the digests folder', async () => {
    const app = createPreviewApp(settings);
    const res = await app.request('/');
    expect(res.status).toBe(200);
    const page = await res.text();
    for (const f of ['hf-trending-page-mar-14.txt', 'hf-daily-2024-06-28.json', 'arxiv-query-cs-ro-2025-10-17.atom.xml']) {
      expect(page).toContain(`<a href="/digest/${f}">${f}</a>`);
    }
  });

  it('renders a digest: size, paper count, the email in a sandboxed frame, the text part and the topic choice', async () => {
    const app = createPreviewApp(settings);
    const res = await app.request('/digest/hf-trending-page-mar-14.txt');
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toMatch(/[\d.]+ KB as sent of the 92\.8 KB budget \([\d.]+ KB of HTML\)/);
    expect(page).toContain('62 of 62 papers shown');
    // Desktop and phone side by side, and the text part.
    expect(page).toContain('<iframe class="desktop" sandbox title="HTML part, desktop" src="/digest/hf-trending-page-mar-14.txt/html">');
    expect(page).toContain('<iframe class="phone" sandbox title="HTML part, 390 px" src="/digest/hf-trending-page-mar-14.txt/html">');
    expect(page).toMatch(/<pre>paperboy · 14 Mar 2026\n62 papers/);
    expect(page).toContain('<a href="/digest/hf-trending-page-mar-14.txt?dark=1">dark mode</a>');
    expect(page).toContain('action="/digest/hf-trending-page-mar-14.txt/send-test"');
    expect(page).toContain('<input type="checkbox" name="topics" value="foundations" >');
    expect(page).toContain("fetch('/version')");

    const html = await (await app.request('/digest/hf-trending-page-mar-14.txt/html')).text();
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('Hi Ada,');
    const text = await app.request('/digest/hf-trending-page-mar-14.txt/text');
    expect(text.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await text.text()).toContain('IN THIS ISSUE');

    // Dark mode: the frames get the email with its dark rules applied unconditionally.
    const dark = await (await app.request('/digest/hf-trending-page-mar-14.txt?dark=1')).text();
    expect(dark).toContain('src="/digest/hf-trending-page-mar-14.txt/html?dark=1"');
    expect(dark).toContain('<a href="/digest/hf-trending-page-mar-14.txt">light mode</a>');
    const darkHtml = await (await app.request('/digest/hf-trending-page-mar-14.txt/html?dark=1')).text();
    expect(html).toMatch(/@media \(prefers-color-scheme: dark\)/);
    expect(darkHtml).not.toMatch(/prefers-color-scheme: dark/);
    expect(darkHtml).toContain('.pb a { color: #58a6ff !important; }');
  });

  it('sends a test copy with the admin token, and refuses without it', async () => {
    const app = createPreviewApp(settings);
    const post = (body: string, headers: Record<string, string> = {}) =>
      app.request('/digest/hf-daily-2026-08-20.json/send-test', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body });
    expect((await post('to=me%40example.org&token=wrong')).status).toBe(403);
    expect((await post('to=me%40example.org&token=preview-admin-token-0123456789', { origin: 'https://evil.example' })).status).toBe(403);
    expect((await post('to=not-an-address&token=preview-admin-token-0123456789')).status).toBe(400);
    expect(sent).toEqual([]);
    const ok = await post('to=me%40example.org&token=preview-admin-token-0123456789');
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('Test copy sent to me@example.org.');
    expect(sent).toEqual([{ digestPath: join(DIGESTS, 'hf-daily-2026-08-20.json'), to: 'me@example.org' }]);

    const { adminToken: _, ...without } = settings;
    const off = createPreviewApp(without);
    expect(await (await off.request('/digest/hf-daily-2026-08-20.json')).text()).toContain('set PAPERBOY_ADMIN_TOKEN');
    expect((await off.request('/digest/hf-daily-2026-08-20.json/send-test', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'to=me%40example.org&token=x' })).status).toBe(403);
  });

  it('renders a chosen set of topics from checkboxes or a comma list', async () => {
    const app = createPreviewApp(settings);
    const page = await (await app.request('/digest/hf-trending-page-mar-14.txt?topics=foundations&topics=generative')).text();
    expect(page).toContain('variant foundations+generative');
    expect(page).toContain('<input type="checkbox" name="topics" value="foundations" checked>');
    const html = await (await app.request('/digest/hf-trending-page-mar-14.txt/html?topics=foundations,generative')).text();
    expect([...html.matchAll(/<a name="([^"]+)" id="[^"]+"><\/a><h2>/g)].map((m) => m[1])).toEqual(['top', 'foundations', 'generative']);
  });

  it('serves only files listed in the digests folder', async () => {
    const app = createPreviewApp(settings);
    expect((await app.request('/digest/..%2F..%2Fetc%2Fpasswd')).status).toBe(404);
    expect((await app.request('/digest/nope.json/html')).status).toBe(404);
  });

  it('re-renders when a template changes, and shows template errors until they are fixed', async () => {
    const app = createPreviewApp(settings);
    const v1 = await (await app.request('/version')).text();
    expect(await (await app.request('/version')).text()).toBe(v1);
    const url = '/digest/hf-daily-2026-08-20.json/html';
    expect(await (await app.request(url)).text()).toContain('here is what researchers are reading today');

    await editTemplate('emails/issue/html.mjml.hbs', (s) => s.replace('here is what researchers are reading today', 'fresh papers for you'), 5);
    const v2 = await (await app.request('/version')).text();
    expect(v2).not.toBe(v1);
    expect(await (await app.request(url)).text()).toContain('fresh papers for you');

    await editTemplate('partials/paper-card.mjml.hbs', (s) => s.replace('{{/if}}', ''), 10);
    const broken = await app.request('/digest/hf-daily-2026-08-20.json');
    expect(broken.status).toBe(422);
    expect(await broken.text()).toMatch(/TEMPLATE_INVALID: Template .*paper-card\.mjml\.hbs/);

    await cp('templates/partials/paper-card.mjml.hbs', join(dir, 'partials/paper-card.mjml.hbs'));
    await utimes(join(dir, 'partials/paper-card.mjml.hbs'), new Date(Date.now() + 15_000), new Date(Date.now() + 15_000));
    expect((await app.request('/digest/hf-daily-2026-08-20.json')).status).toBe(200);
  });
});
