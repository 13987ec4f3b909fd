// The issue and the archive page as a reader's phone shows them: real sends (to the outbox) of real
// digests, the messages read back with mailparser, the web app on a real port, Debian's Chromium at
// 390 px (and 1200), light and dark. No horizontal scrolling, every link a 24 px target, the table
// of contents' anchors present, text readable (WCAG AA contrast) in both colour schemes.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confirmUrl } from '../../src/domain/links.js';
import { SubscriberSchema } from '../../src/domain/subscriber.js';
import { startHttpServer, type RunningServer } from '../../src/http/server.js';
import { inspectPage, launchChromium, type PageReport } from '../helpers/chromium.js';
import { makeSendFixture, REPO, subscriber, type SendFixture } from '../helpers/send-fixture.js';
import { freePort } from '../helpers/smtp-sink.js';

const DIGESTS = join(REPO, '../shared/data/digests');

let browser: Browser;
let fx: SendFixture;
let server: RunningServer;
let base: string;
/** Issue id → the HTML of each recipient's message. */
const emails = new Map<string, { all: string; three: string }>();

const clean = (r: PageReport) => ({ overflowPx: r.overflowPx, smallLinks: r.smallLinks, brokenAnchors: r.brokenAnchors, lowContrast: r.lowContrast });
const CLEAN = { overflowPx: 0, smallLinks: [], brokenAnchors: [], lowContrast: [] };

beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  fx = await makeSendFixture({
    subscribers: [subscriber('all@example.org'), subscriber('three@example.org', { topics: ['vision', 'language', 'foundations'] })],
    env: { PAPERBOY_BASE_URL: base, PAPERBOY_PORT: String(port), PAPERBOY_MAX_DIGEST_AGE_DAYS: '0', PAPERBOY_SKIP_SENT_PAPERS: 'false', PAPERBOY_POSTAL_ADDRESS: '1 Example Street, 12345 Example Town' },
  });
  const outbox = join(fx.config.stateDir, 'outbox');
  for (const file of ['hf-trending-page-mar-14.txt', 'hf-daily-2025-10-03.json']) {
    const before = new Set(await readdir(outbox).catch(() => []));
    const report = await fx.app.sendIssue(join(DIGESTS, file));
    const fresh = (await readdir(outbox)).filter((f) => !before.has(f));
    const byTo: Record<string, string> = {};
    for (const f of fresh) {
      const m = await simpleParser(await readFile(join(outbox, f)));
      byTo[m.to && !Array.isArray(m.to) ? m.to.value[0]!.address! : ''] = typeof m.html === 'string' ? m.html : '';
    }
    emails.set(report.issueId, { all: byTo['all@example.org']!, three: byTo['three@example.org'] ?? '' });
  }
  server = await startHttpServer(fx.app, { port, host: '127.0.0.1' });
  browser = await launchChromium();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await fx?.close();
});

async function inspect(load: (p: import('playwright-core').Page) => Promise<unknown>, width: number, scheme: 'light' | 'dark', height = 900) {
  const page = await browser.newPage({ viewport: { width, height }, colorScheme: scheme });
  try {
    await load(page);
    return { report: await inspectPage(page), page };
  } finally {
    // The caller's checks run on the report; the page is not needed after.
    await page.close();
  }
}

describe('the issue in a phone', () => {
  it('at 390 px and 1200 px, light and dark: no sideways scrolling, 24 px links, working anchors, readable text', async () => {
    expect(emails.size).toBe(2);
    for (const [issueId, mail] of emails) {
      for (const [who, html] of Object.entries(mail)) {
        expect(html, `${issueId} ${who}`).toContain('<html');
        for (const width of [390, 1200]) {
          for (const scheme of ['light', 'dark'] as const) {
            const { report } = await inspect((p) => p.setContent(html), width, scheme);
            expect(clean(report), `${issueId} ${who} ${width} ${scheme}`).toEqual(CLEAN);
            expect(report.links).toBeGreaterThan(10);
            expect(report.textNodes).toBeGreaterThan(20);
            // The table of contents: one anchor per section, each with its target.
            expect(report.anchors, `${issueId} ${who}`).toBeGreaterThanOrEqual(2);
          }
        }
      }
    }
  }, 120_000);

  it('dark mode changes the colours (it is not the light page again)', async () => {
    const html = [...emails.values()][0]!.all;
    const bodyColour = async (scheme: 'light' | 'dark') => {
      const page = await browser.newPage({ viewport: { width: 390, height: 900 }, colorScheme: scheme });
      await page.setContent(html);
      const c = await page.evaluate(`getComputedStyle(document.querySelector('h1').closest('div')).backgroundColor`);
      await page.close();
      return c;
    };
    expect(await bodyColour('light')).not.toBe(await bodyColour('dark'));
  });
});

describe('the archive page', () => {
  it('is a web page: site header, a subscribe call, no personal footer, abstracts folded, an anchor per paper, readable at 390 px', async () => {
    for (const issueId of emails.keys()) {
      const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
      const res = await page.goto(`${base}/archive/${issueId}`);
      expect(res!.status()).toBe(200);
      expect(await page.locator('header.site').count()).toBe(1);
      expect(await page.locator(`.cta a[href="${base}/"]`).textContent()).toBe('Subscribe');
      const body = (await page.textContent('body'))!;
      expect(body).not.toMatch(/unsubscribe|You get it because|stop this topic/i);
      const papers = await page.locator('article.paper').count();
      expect(papers).toBe((await fx.app.store.getArchive(issueId))!.paperCount);
      expect(await page.locator('article.paper details:not([open])').count()).toBeGreaterThan(papers / 2);
      // Folded abstracts are hidden until asked for.
      const first = page.locator('article.paper details').first();
      expect(await first.locator('p').isVisible()).toBe(false);
      await first.locator('summary').click();
      expect(await first.locator('p').isVisible()).toBe(true);
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        expect(clean(await inspectPage(page)), `${issueId} ${scheme}`).toEqual(CLEAN);
      }
      await page.close();
    }
  }, 60_000);

  it('has the anchor every "more" link of an email points to', async () => {
    // A budget too small for every title: the email leaves papers out and links to their anchors.
    const tight = await makeSendFixture({ subscribers: [subscriber('ada@example.org')], env: { PAPERBOY_MAX_HTML_BYTES: '20000', PAPERBOY_BASE_URL: base } });
    try {
      const report = await tight.app.sendIssue(join(DIGESTS, 'hf-trending-page-mar-14.txt'));
      const outbox = join(tight.config.stateDir, 'outbox');
      const mail = await simpleParser(await readFile(join(outbox, (await readdir(outbox))[0]!)));
      const anchors = [...(mail.html as string).matchAll(/href="[^"]*\/archive\/[^"#]+#([^"]+)">\d+ more papers? in/g)].map((m) => m[1]!);
      expect(anchors.length).toBeGreaterThan(0);
      const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
      await page.setContent((await tight.app.store.getArchive(report.issueId))!.html);
      for (const a of anchors) expect(await page.locator(`[id="${a}"]`).count(), a).toBe(1);
      await page.close();
    } finally {
      await tight.close();
    }
  });
});

describe('the sign-up page', () => {
  it('shows the Subscribe button on a phone without scrolling, and passes the same checks', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${base}/`);
    const box = (await page.locator('form.signup button[type="submit"]').boundingBox())!;
    expect(box.y + box.height).toBeLessThanOrEqual(844);
    expect(await page.locator('a', { hasText: 'Read the latest issue' }).count()).toBe(1);
    expect(clean(await inspectPage(page))).toEqual(CLEAN);
    await page.close();
  });
});

describe('the confirm page', () => {
  it('shows the longest name and every topic a sign-up can ask for, and passes the same checks', async () => {
    // As a stranger might fill the form: the longest name allowed, in one word, and every topic.
    const name = 'W'.repeat(200);
    const topics = fx.app.taxonomy.topics.map((t) => t.id);
    const now = new Date();
    const pending = SubscriberSchema.parse({ email: 'pending@example.org', name, topics, status: 'pending', createdAt: now.toISOString() });
    await fx.app.store.changeSubscriber(pending.email, () => ({ next: pending, result: undefined }));
    const link = confirmUrl(base, fx.app.secret, pending, now, 48).replace(base, '');
    for (const scheme of ['light', 'dark'] as const) {
      const { report } = await inspect(async (p) => {
        await p.goto(`${base}${link}`);
        const shown = (await p.textContent('ul.choices')) ?? '';
        expect(shown).toContain(name);
        for (const t of fx.app.taxonomy.topics) expect(shown).toContain(t.name);
      }, 390, scheme);
      expect(clean(report), scheme).toEqual(CLEAN);
    }
  });
});

describe('the checks themselves', () => {
  it('catch a wide element, a small link, a missing anchor and faint text', async () => {
    const bad = `<!doctype html><html><body style="margin:0;background:#fff">
      <div style="width:600px">wide</div>
      <a href="https://example.org/" style="font-size:10px">tiny</a>
      <a href="#nowhere" style="display:inline-block;padding:10px">to nowhere</a>
      <p style="color:#bbbbbb">faint</p></body></html>`;
    const { report } = await inspect((p) => p.setContent(bad), 390, 'light');
    expect(report.overflowPx).toBeGreaterThan(0);
    expect(report.smallLinks.map((l) => l.text)).toEqual(['tiny']);
    expect(report.brokenAnchors).toEqual(['nowhere']);
    expect(report.lowContrast.map((t) => t.text)).toEqual(['faint']);
  });
});
