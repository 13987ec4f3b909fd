// README screenshots, taken the way a reader meets paperboy: a real `send` of a real digest (to the
// outbox, as without SMTP settings), the message read back with mailparser, its HTML shown in
// Debian's Chromium at 1200 and 390 px, light and dark; then the web app serving the issue's
// archive page and the sign-up page at 390 px.
//
//   node bin/run-ts.js scripts/screenshots.ts [--digest file] [--out docs/screenshots]
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { simpleParser } from 'mailparser';
import { createApp } from '../src/app.js';
import { parseConfig } from '../src/config.js';
import { startHttpServer } from '../src/http/server.js';
import { launchChromium } from '../test/helpers/chromium.js';
import { freePort } from '../test/helpers/smtp-sink.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values: opts } = parseArgs({
  options: {
    digest: { type: 'string', default: join(ROOT, '../shared/data/digests/hf-daily-2025-10-03.json') },
    out: { type: 'string', default: join(ROOT, 'docs/screenshots') },
  },
});
const out = resolve(opts.out!);
const dir = await mkdtemp(join(tmpdir(), 'paperboy-shots-'));
const port = await freePort();
const base = `http://127.0.0.1:${port}`;

try {
  await writeFile(
    join(dir, 'subscribers.json'),
    JSON.stringify({ subscribers: [{ email: 'ada@example.org', name: 'Ada', status: 'active', topics: [], createdAt: '2026-01-01T00:00:00.000Z' }] }),
  );
  const config = parseConfig(
    {
      from: 'Trending Papers <papers@example.org>',
      publication: 'Trending Papers',
      postalAddress: 'Trending Papers, 1 Example Street, 12345 Example Town',
      baseUrl: base,
      port,
      secret: 'screenshots-secret-0123456789',
      stateDir: join(dir, 'state'),
      subscribersPath: join(dir, 'subscribers.json'),
      digestsDir: join(dir, 'digests'),
      maxDigestAgeDays: 0,
      skipSentPapers: false,
    },
    {},
  );
  const app = await createApp(config, { cwd: dir, log: () => {} });
  const report = await app.sendIssue(resolve(opts.digest!));
  const outbox = join(dir, 'state', 'outbox');
  const [eml] = (await readdir(outbox)).filter((f) => f.endsWith('.eml'));
  if (!eml) throw new Error(`the send wrote no message (${report.outcome}: ${report.message ?? ''})`);
  const mail = await simpleParser(await readFile(join(outbox, eml)));
  const html = typeof mail.html === 'string' ? mail.html : '';
  const server = await startHttpServer(app, { port, host: '127.0.0.1' });
  const browser = await launchChromium();
  await mkdir(out, { recursive: true });
  const shots: string[] = [];
  const shoot = async (name: string, width: number, height: number, scheme: 'light' | 'dark', load: (p: import('playwright-core').Page) => Promise<unknown>) => {
    const page = await browser.newPage({ viewport: { width, height }, colorScheme: scheme });
    await load(page);
    const path = join(out, `${name}.png`);
    await page.screenshot({ path });
    await page.close();
    shots.push(path);
  };
  try {
    for (const scheme of ['light', 'dark'] as const) {
      await shoot(`email-1200-${scheme}`, 1200, 1500, scheme, (p) => p.setContent(html));
      await shoot(`email-390-${scheme}`, 390, 1500, scheme, (p) => p.setContent(html));
    }
    await shoot('archive-390', 390, 1500, 'light', (p) => p.goto(`${base}/archive/${report.issueId}`));
    await shoot('archive-1200', 1200, 1200, 'light', (p) => p.goto(`${base}/archive/${report.issueId}`));
    await shoot('signup-390', 390, 844, 'light', (p) => p.goto(`${base}/`));
  } finally {
    await browser.close();
    await server.close();
    await app.close();
  }
  console.log(`Subject: ${report.subject}`);
  for (const s of shots) console.log(`wrote ${s}`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
