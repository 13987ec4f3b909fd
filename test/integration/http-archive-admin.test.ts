// Archive pages and feed, the admin API, and the hardening every route shares (headers, body limit,
// error pages without stack traces).
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { ArchiveEntry, Store } from '../../src/services/store-ports.js';
import { signToken } from '../../src/domain/tokens.js';
import { PaperboyError } from '../../src/errors.js';
import { BODY_LIMIT_BYTES } from '../../src/http/web-app.js';
import { ADMIN_TOKEN, SECRET, postForm, webFixture } from '../helpers/web-fixture.js';

const entry = (issueId: string, date: string, subject: string): ArchiveEntry => ({
  issueId,
  date,
  subject,
  paperCount: 12,
  sentAt: `${date}T07:00:00.000Z`,
  html: `<html><body style="color:#333"><h1>${subject}</h1></body></html>`,
  text: subject,
});

describe('archive', () => {
  const archive = [entry('2026-03-13-aaaaaaaa', '2026-03-13', 'Papers of 13 March'), entry('2026-03-14-bbbbbbbb', '2026-03-14', 'Papers & <friends> 14 March')];

  it('lists sent issues newest first', async () => {
    const f = await webFixture({ archive });
    const r = await f.request('/archive');
    expect(r.status).toBe(200);
    const body = await r.text();
    const a = body.indexOf('href="/archive/2026-03-14-bbbbbbbb"');
    const b = body.indexOf('href="/archive/2026-03-13-aaaaaaaa"');
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(a);
    expect(body).toContain('Papers &amp; &lt;friends&gt; 14 March');
    expect(await (await (await webFixture()).request('/archive')).text()).toContain('No issue has been sent yet');
  });

  it('shows an issue page in the site layout: header, the page policy, no email document', async () => {
    const page: ArchiveEntry = { ...entry('2026-03-15-cccccccc', '2026-03-15', 'Self-Forcing++ and 38 more · 15 Mar'), html: '<div class="issue"><h1>15 Mar 2026</h1><article class="paper" id="p-1">x</article></div>' };
    const f = await webFixture({ archive: [page] });
    const r = await f.request('/archive/2026-03-15-cccccccc');
    expect(r.status).toBe(200);
    const body = await r.text();
    expect(body).toMatch(/^<!doctype html>/);
    expect(body).toContain('<title>Self-Forcing++ and 38 more · 15 Mar · Paper Digest</title>');
    expect(body).toContain('<header class="site">');
    expect(body).toContain('<article class="paper" id="p-1">x</article>');
    // The pages' own policy: no inline styles needed, none allowed.
    expect(r.headers.get('content-security-policy')).toContain("style-src 'self'");
  });

  it('serves an issue archived as the email document (before the archive page) under a script-free policy of its own', async () => {
    const f = await webFixture({ archive });
    const r = await f.request('/archive/2026-03-13-aaaaaaaa');
    expect(r.status).toBe(200);
    expect(await r.text()).toBe(archive[0]!.html);
    const csp = r.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("style-src 'unsafe-inline'");
    expect(csp).not.toContain('script-src');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(r.headers.get('x-frame-options')).toBe('DENY');
  });

  it('sends HSTS only when the public base URL is https', async () => {
    const https = await (await webFixture({ archive, config: { baseUrl: 'https://papers.example.org' } })).request('/');
    expect(https.status).toBe(200);
    expect(https.headers.get('strict-transport-security')).toBe('max-age=15552000; includeSubDomains');
    const http = await (await webFixture({ archive })).request('/');
    expect(http.status).toBe(200);
    expect(http.headers.get('strict-transport-security')).toBeNull();
  });

  it('answers 404 pages for unknown and malformed issue ids', async () => {
    const f = await webFixture({ archive });
    for (const path of ['/archive/2026-01-01-00000000', '/archive/..%2F..%2Fsecret', '/archive/a.b']) {
      const r = await f.request(path);
      expect(r.status, path).toBe(404);
      expect(await r.text()).toContain('Issue not found');
    }
  });

  it('publishes an Atom feed of the issues', async () => {
    const f = await webFixture({ archive });
    const r = await f.request('/archive/feed.xml');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    const feed = new XMLParser({ ignoreAttributes: false }).parse(await r.text()).feed;
    expect(feed['@_xmlns']).toBe('http://www.w3.org/2005/Atom');
    expect(feed.updated).toBe('2026-03-14T07:00:00.000Z');
    expect(feed.entry.map((e: { title: string }) => e.title)).toEqual(['Papers & <friends> 14 March', 'Papers of 13 March']);
    expect(feed.entry[1].link['@_href']).toBe('http://paperboy.test/archive/2026-03-13-aaaaaaaa');
    expect(feed.entry[1].id).toBe('http://paperboy.test/archive/2026-03-13-aaaaaaaa');
  });
});

describe('admin API', () => {
  const auth = (token = ADMIN_TOKEN) => ({ authorization: `Bearer ${token}` });

  it('does not exist without a configured token', async () => {
    const f = await webFixture();
    for (const [path, method] of [['/admin/status', 'GET'], ['/admin/send', 'POST'], ['/admin/preview/x.json', 'GET']] as const) {
      const r = await f.request(path, { method, headers: auth() });
      expect(r.status, path).toBe(404);
    }
    expect(f.admin.calls).toEqual([]);
  });

  it('answers 401 to a missing or wrong token', async () => {
    const f = await webFixture({ config: { adminToken: ADMIN_TOKEN } });
    for (const headers of [{}, auth('wrong-token-0123456789abcdef'), auth(`${ADMIN_TOKEN}x`), { authorization: ADMIN_TOKEN }, { authorization: `Basic ${ADMIN_TOKEN}` }]) {
      const r = await f.request('/admin/send', { method: 'POST', headers });
      expect(r.status, JSON.stringify(headers)).toBe(401);
      expect(r.headers.get('www-authenticate')).toContain('Bearer');
    }
    expect(f.admin.calls).toEqual([]);
  });

  it('sends one digest or all pending ones, and reports status', async () => {
    const f = await webFixture({ config: { adminToken: ADMIN_TOKEN } });
    const one = await f.request('/admin/send', { method: 'POST', headers: { ...auth(), 'content-type': 'application/json' }, body: JSON.stringify({ digest: '2026-03-14.json' }) });
    expect(one.status).toBe(200);
    expect(await one.json()).toEqual({ ok: true, result: { sent: 2, digest: '2026-03-14.json' } });
    const all = await f.request('/admin/send', { method: 'POST', headers: auth() });
    expect(all.status).toBe(200);
    const status = await f.request('/admin/status', { headers: auth() });
    expect(await status.json()).toEqual({ issues: [{ id: '2026-03-14-aaaaaaaa', sent: 2 }] });
    expect(f.admin.calls).toEqual([{ op: 'send', digest: '2026-03-14.json' }, { op: 'send', digest: undefined }, { op: 'status' }]);
  });

  it('refuses malformed bodies and digest names that are paths', async () => {
    const f = await webFixture({ config: { adminToken: ADMIN_TOKEN } });
    for (const body of ['{"digest":', '{"digest": "../../etc/passwd"}', '{"digest": 5}', '{"other": 1}', '[]']) {
      const r = await f.request('/admin/send', { method: 'POST', headers: { ...auth(), 'content-type': 'application/json' }, body });
      expect(r.status, body).toBe(400);
      expect(((await r.json()) as { error: { code: string } }).error.code).toBe('INPUT_INVALID');
    }
    expect((await f.request('/admin/preview/..%2Fx.json', { headers: auth() })).status).toBe(400);
    expect(f.admin.calls).toEqual([]);
  });

  it('maps errors to status codes with the message, never a stack', async () => {
    const f = await webFixture({ config: { adminToken: ADMIN_TOKEN } });
    f.admin.fail = new PaperboyError('DIGEST_NOT_FOUND', 'Digest nope.json not found in ./digests.');
    const r = await f.request('/admin/send', { method: 'POST', headers: auth(), body: '{"digest":"nope.json"}' });
    expect(r.status).toBe(404);
    expect(await r.json()).toEqual({ error: { code: 'DIGEST_NOT_FOUND', message: 'Digest nope.json not found in ./digests.' } });
    f.admin.fail = new PaperboyError('SEND_IN_PROGRESS', 'Another send is running.');
    expect((await f.request('/admin/send', { method: 'POST', headers: auth() })).status).toBe(409);
    f.admin.fail = new Error('kaboom');
    const crash = await f.request('/admin/send', { method: 'POST', headers: auth() });
    expect(crash.status).toBe(500);
    const text = await crash.text();
    expect(text).not.toContain('kaboom');
    expect(text).not.toMatch(/at .*\.ts:\d+/);
    expect(f.logs.join('\n')).toContain('kaboom');
  });

  it('previews a digest as HTML', async () => {
    const f = await webFixture({ config: { adminToken: ADMIN_TOKEN } });
    const r = await f.request('/admin/preview/2026-03-14.json', { headers: auth() });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/html');
    expect(await r.text()).toContain('Preview of 2026-03-14.json');
  });
});

describe('hardening', () => {
  it('sets security headers on pages: CSP without scripts, no framing, no referrer leaks', async () => {
    const r = await (await webFixture()).request('/');
    const csp = r.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toMatch(/script-src|unsafe-inline/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(r.headers.get('x-frame-options')).toBe('DENY');
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('referrer-policy')).toBe('same-origin');
    expect(r.headers.get('set-cookie')).toBeNull();
  });

  it('serves its stylesheet', async () => {
    const r = await (await webFixture()).request('/style.css');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/css');
    expect(await r.text()).toContain('.hp');
  });

  it('refuses oversize bodies with 413 before reading them', async () => {
    const f = await webFixture();
    const r = await f.request('/subscribe', postForm({ email: 'ada@example.org', name: 'x'.repeat(BODY_LIMIT_BYTES) }));
    expect(r.status).toBe(413);
    expect(await r.text()).toContain('Too much data');
    expect(await f.list()).toEqual([]);
  });

  it('answers unknown paths with a 404 page', async () => {
    const r = await (await webFixture()).request('/wp-login.php');
    expect(r.status).toBe(404);
    expect(await r.text()).toContain('Page not found');
  });

  const failingStore = (err: Error) => (real: Store) =>
    ({
      ...real,
      label: real.label,
      close: () => real.close(),
      changeSubscriber: async () => {
        throw err;
      },
    }) as typeof real;
  const oneClick = (email: string) =>
    [`/unsubscribe/${signToken(SECRET, { kind: 'unsubscribe', email, v: 0 })}`, { method: 'POST', body: 'List-Unsubscribe=One-Click', headers: { 'content-type': 'application/x-www-form-urlencoded' } }] as const;
  const full = new PaperboyError('STORE_UNAVAILABLE', 'Cannot use the SQLite database /srv/paperboy.db: the disk is full; free some space and try again (nothing was changed).');

  it('turns unexpected errors into a 500 page and logs the stack', async () => {
    const f = await webFixture({ store: failingStore(new Error('disk on fire')) });
    const r = await f.request(...oneClick('ada@example.org'));
    expect(r.status).toBe(500);
    const body = await r.text();
    expect(body).toContain('Something went wrong');
    expect(body).not.toContain('disk on fire');
    expect(body).not.toMatch(/\.ts:\d+/);
    expect(f.logs.join('\n')).toMatch(/POST \/unsubscribe\/\S+ failed: Error: disk on fire\n\s+at /);
  });

  it('answers 503 with Retry-After when the database cannot take the change, and logs why without a stack', async () => {
    const f = await webFixture({ store: failingStore(full) });
    const u = await f.request(...oneClick('ada@example.org'));
    expect(u.status).toBe(503);
    expect(u.headers.get('retry-after')).toBe('120');
    const body = await u.text();
    expect(body).toContain('We could not record this just now');
    expect(body).not.toContain('paperboy.db');
    const logs = f.logs.join('\n');
    expect(logs).toMatch(/POST \/unsubscribe\/\S+ failed: Cannot use the SQLite database \/srv\/paperboy\.db: the disk is full/);
    expect(logs).not.toMatch(/\n\s+at /);
  });

  it('answers a sign-up 503 when the caps cannot be counted, before saying "check your inbox"', async () => {
    const f = await webFixture({
      limits: (real) => ({
        ...real,
        allowRequestFrom: async () => {
          throw full;
        },
      }),
    });
    const r = await f.request('/subscribe', postForm({ email: 'ada@example.org' }));
    expect(r.status).toBe(503);
    expect(r.headers.get('retry-after')).toBe('120');
    const body = await r.text();
    expect(body).toContain('We could not record this just now');
    expect(body).not.toContain('Check your inbox');
    expect(f.logs.join('\n')).toContain('POST /subscribe failed: Cannot use the SQLite database /srv/paperboy.db: the disk is full');
    expect(await f.list()).toEqual([]);
    expect(await f.mails()).toEqual([]);
  });

  it('logs a sign-up whose row cannot be written after the answer went out, and mails nothing', async () => {
    // The answer does not wait for the row (its timing would tell the address's state), so a
    // failure there is the log's; the caps, counted first, fail in the same database case above.
    const f = await webFixture({ store: failingStore(full) });
    const r = await f.request('/subscribe', postForm({ email: 'ada@example.org' }));
    expect(r.status).toBe(200);
    expect(await f.mails()).toEqual([]);
    expect(f.logs.join('\n')).toContain('sign-up for ada@example.org failed: Cannot use the SQLite database /srv/paperboy.db: the disk is full');
  });
});
