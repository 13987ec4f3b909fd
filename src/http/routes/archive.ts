// GET /archive (list), /archive/feed.xml (Atom), /archive/:issue (the issue's page: rendered from
// templates/pages/archive-issue.hbs when it was sent, shown in the site's layout).
import { isValidIssueId } from '../../domain/issue-id.js';
import type { ArchiveSummary } from '../../services/store-ports.js';
import { messagePage, page, type RouteContext, type WebHono } from '../context.js';

/**
 * The archived issue is email HTML: inline styles and remote images, never scripts. It gets its own
 * policy (the pages' policy would strip its styling), still without scripts, forms or framing.
 */
export const EMAIL_HTML_CSP =
  "default-src 'none'; style-src 'unsafe-inline' https:; img-src https: http: data:; font-src https: data:; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

const XML_ENTITIES: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' };

function xml(s: string): string {
  return s.replace(/[<>&'"]/g, (ch) => XML_ENTITIES[ch]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}

export function atomFeed(entries: ArchiveSummary[], baseUrl: string, title: string): string {
  const updated = entries.reduce((max, e) => (e.sentAt > max ? e.sentAt : max), '1970-01-01T00:00:00.000Z');
  const items = entries.map((e) => {
    const url = `${baseUrl}/archive/${e.issueId}`;
    return [
      '  <entry>',
      `    <title>${xml(e.subject)}</title>`,
      `    <id>${xml(url)}</id>`,
      `    <link rel="alternate" type="text/html" href="${xml(url)}"/>`,
      `    <published>${xml(e.sentAt)}</published>`,
      `    <updated>${xml(e.sentAt)}</updated>`,
      `    <summary>${xml(`${e.paperCount} papers, ${e.date}`)}</summary>`,
      '  </entry>',
    ].join('\n');
  });
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <title>${xml(title)}</title>`,
    `  <id>${xml(`${baseUrl}/archive`)}</id>`,
    `  <link rel="self" type="application/atom+xml" href="${xml(`${baseUrl}/archive/feed.xml`)}"/>`,
    `  <link rel="alternate" type="text/html" href="${xml(`${baseUrl}/archive`)}"/>`,
    `  <updated>${xml(updated)}</updated>`,
    `  <author><name>${xml(title)}</name></author>`,
    ...items,
    '</feed>',
    '',
  ].join('\n');
}

export function registerArchive(app: WebHono, rc: RouteContext, siteName: string): void {
  const { store, config } = rc.deps;

  app.get('/archive', async (c) => page(rc, c, 'archive', { title: 'Past issues', issues: await store.listArchive() }));

  app.get('/archive/feed.xml', async (c) => {
    c.header('Content-Type', 'application/atom+xml; charset=utf-8');
    return c.body(atomFeed(await store.listArchive(), config.baseUrl, siteName));
  });

  app.get('/archive/:issue', async (c) => {
    const id = c.req.param('issue');
    const entry = isValidIssueId(id) ? await store.getArchive(id) : undefined;
    if (!entry) return messagePage(rc, c, 404, 'Issue not found', 'There is no issue at this address.', { path: '/archive', text: 'See all past issues' });
    // Issues archived before the archive page existed hold the email's whole HTML document.
    if (/^\s*<(!doctype|html)\b/i.test(entry.html)) {
      c.header('Content-Security-Policy', EMAIL_HTML_CSP);
      return c.html(entry.html);
    }
    return c.html(rc.pages.wrap(entry.subject, entry.html));
  });
}
