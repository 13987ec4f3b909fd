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

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'paperboy-preview-app-'));
  await cp('templates', dir, { recursive: true });
  settings = {
    templatesDir: dir,
    taxonomyPath: join(dir, 'topics.json'),
    digestsDir: DIGESTS,
    baseUrl: 'https://papers.example.org',
    limits: { maxPapersPerTopic: 8, maxAbstractChars: 420, maxHtmlBytes: 95_000 },
  };
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
    expect(page).toMatch(/[\d.]+ KB HTML \(budget 92\.8 KB\)/);
    expect(page).toContain('62 papers');
    expect(page).toContain('<iframe sandbox title="HTML part" src="/digest/hf-trending-page-mar-14.txt/html">');
    expect(page).toMatch(/<pre>TRENDING PAPERS · 14 Mar 2026\n62 papers/);
    expect(page).toContain('<input type="checkbox" name="topics" value="foundations" >');
    expect(page).toContain("fetch('/version')");

    const html = await (await app.request('/digest/hf-trending-page-mar-14.txt/html')).text();
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('Hi Ada,');
    const text = await app.request('/digest/hf-trending-page-mar-14.txt/text');
    expect(text.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await text.text()).toContain('IN THIS ISSUE');
  });

  it('renders a chosen set of topics from checkboxes or a comma list', async () => {
    const app = createPreviewApp(settings);
    const page = await (await app.request('/digest/hf-trending-page-mar-14.txt?topics=foundations&topics=generative')).text();
    expect(page).toContain('variant foundations+generative');
    expect(page).toContain('<input type="checkbox" name="topics" value="foundations" checked>');
    const html = await (await app.request('/digest/hf-trending-page-mar-14.txt/html?topics=foundations,generative')).text();
    expect([...html.matchAll(/<h2 id="([^"]+)"/g)].map((m) => m[1])).toEqual(['generative', 'foundations']);
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
