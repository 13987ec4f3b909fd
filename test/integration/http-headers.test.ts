// Every answer of the web app — pages, error pages, the archive, the feed, the stylesheet, the
// admin API — carries the same protections: a CSP that forbids framing, nosniff, no framing.
import { describe, expect, it } from 'vitest';
import { BODY_LIMIT_BYTES } from '../../src/http/web-app.js';
import { ADMIN_TOKEN, postForm, webFixture } from '../helpers/web-fixture.js';

describe('web app security headers on every kind of answer', () => {
  it('CSP with frame-ancestors none, nosniff and X-Frame-Options DENY', async () => {
    const f = await webFixture({
      archive: [{ issueId: '2026-03-14-bbbbbbbb', date: '2026-03-14', subject: 'S', paperCount: 1, sentAt: '2026-03-14T07:00:00.000Z', html: '<p>x</p>', text: 'x' }],
    });
    const auth = { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } };
    const answers: [string, Promise<Response>][] = [
      ['sign-up page', f.request('/')],
      ['check-inbox page', f.request('/subscribe', postForm({ email: 'ada@example.org' }))],
      ['form error', f.request('/subscribe', postForm({ email: 'nope' }))],
      ['foreign origin', f.request('/subscribe', postForm({ email: 'ada@example.org' }, { origin: 'https://evil.example' }))],
      ['too large', f.request('/subscribe', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'x'.repeat(BODY_LIMIT_BYTES + 1) })],
      ['bad token', f.request('/unsubscribe/not-a-token')],
      ['archive', f.request('/archive')],
      ['archived issue', f.request('/archive/2026-03-14-bbbbbbbb')],
      ['feed', f.request('/archive/feed.xml')],
      ['stylesheet', f.request('/style.css')],
      ['health', f.request('/healthz')],
      ['not found', f.request('/nope')],
      ['admin status', f.request('/admin/status', auth)],
      ['admin without token', f.request('/admin/status')],
    ];
    for (const [what, answer] of answers) {
      const r = await answer;
      expect(r.headers.get('content-security-policy'), what).toMatch(/frame-ancestors 'none'/);
      expect(r.headers.get('x-content-type-options'), what).toBe('nosniff');
      expect(r.headers.get('x-frame-options'), what).toBe('DENY');
    }
  });
});
