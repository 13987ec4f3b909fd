// The signed links from mail: /confirm, /unsubscribe, /preferences. GET never changes anything;
// forged, altered, replayed and expired tokens never change anything.
import { describe, expect, it } from 'vitest';
import { signToken } from '../../src/domain/tokens.js';
import { subscriberLinks } from '../../src/domain/links.js';
import { BASE_URL, SECRET, linkIn, postForm, subscriber, webFixture, type WebFixture } from '../helpers/web-fixture.js';

/** Signs up `email` and returns the confirm path from the mail. */
async function signUp(f: WebFixture, email = 'ada@example.org', topics = ['nlp', 'vision']): Promise<string> {
  const r = await f.request('/subscribe', postForm({ email, topics }));
  expect(r.status).toBe(200);
  const mail = (await f.mails()).filter((m) => m.text?.includes(email)).pop();
  return linkIn(mail!, '/confirm/');
}

const post = (opts: { origin?: string; ip?: string; body?: string } = {}): RequestInit => ({
  method: 'POST',
  headers: {
    'content-type': 'application/x-www-form-urlencoded',
    'x-forwarded-for': opts.ip ?? '203.0.113.7',
    ...(opts.origin ? { origin: opts.origin } : {}),
  },
  body: opts.body ?? '',
});

/** Variations of a valid token that must all be refused. */
function forgeries(token: string, email: string): Record<string, string> {
  const [body, sig] = token.split('.') as [string, string];
  const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
  return {
    'altered signature': `${body}.${flip(sig, 3)}`,
    'altered body': `${flip(body, 2)}.${sig}`,
    'other secret': signToken('another-secret-0123456789', { kind: 'confirm', email, v: 0, exp: 4e9 }),
    'wrong kind': signToken(SECRET, { kind: 'unsubscribe', email, v: 0 }),
    truncated: token.slice(0, -4),
    garbage: 'not-a-token',
  };
}

describe('confirm', () => {
  it('GET shows a button and changes nothing; POST activates once and records consent', async () => {
    const f = await webFixture();
    const path = await signUp(f);
    const page = await f.request(path);
    expect(page.status).toBe(200);
    const body = await page.text();
    expect(body).toContain(`<form method="post" action="${path}">`);
    // A link scanner following the GET (twice, even) subscribes no one.
    await f.request(path);
    expect((await f.list())[0]).toMatchObject({ status: 'pending', tokenVersion: 0 });

    f.clock.now = new Date(f.clock.now.getTime() + 3600_000);
    const done = await f.request(path, post({ origin: BASE_URL, ip: '198.51.100.4' }));
    expect(done.status).toBe(200);
    expect(await done.text()).toContain("You're subscribed");
    expect((await f.list())[0]).toMatchObject({
      status: 'active',
      topics: ['nlp', 'vision'],
      tokenVersion: 1,
      consent: { confirmedAt: f.clock.now.toISOString(), confirmedIp: '198.51.100.4', requestedIp: '203.0.113.7', method: 'web' },
    });
  });

  it('refuses a replayed token on GET and POST with a page that offers to sign up again', async () => {
    const f = await webFixture();
    const path = await signUp(f);
    expect((await f.request(path, post())).status).toBe(200);
    for (const r of [await f.request(path), await f.request(path, post())]) {
      expect(r.status).toBe(400);
      const body = await r.text();
      expect(body).toContain('no longer works');
      expect(body).toContain('Sign up again');
    }
  });

  it('refuses an expired token and leaves the address pending', async () => {
    const f = await webFixture();
    const path = await signUp(f);
    f.clock.now = new Date(f.clock.now.getTime() + 48 * 3600_000);
    expect((await f.request(path)).status).toBe(400);
    expect((await f.request(path, post())).status).toBe(400);
    expect((await f.list())[0]!.status).toBe('pending');
  });

  it('refuses forged and altered tokens', async () => {
    const f = await webFixture();
    const path = await signUp(f);
    const token = path.slice('/confirm/'.length);
    for (const [what, forged] of Object.entries(forgeries(token, 'ada@example.org'))) {
      expect((await f.request(`/confirm/${forged}`, post())).status, what).toBe(400);
      expect((await f.request(`/confirm/${forged}`)).status, what).toBe(400);
    }
    expect((await f.list())[0]).toMatchObject({ status: 'pending', tokenVersion: 0 });
  });

  it('refuses a confirm posted from another site', async () => {
    const f = await webFixture();
    const path = await signUp(f);
    expect((await f.request(path, post({ origin: 'https://evil.example' }))).status).toBe(403);
    expect((await f.list())[0]!.status).toBe('pending');
  });

  it('an old confirmation link does not bring back an address that unsubscribed', async () => {
    const f = await webFixture({ config: { signup: { perAddressPer10Min: 10 } } });
    const first = await signUp(f);
    await f.request(first, post());
    const sub = (await f.list())[0]!;
    await f.request(new URL(subscriberLinks(BASE_URL, SECRET, sub).unsubscribeUrl).pathname, post());
    expect((await f.request(first, post())).status).toBe(400);
    expect((await f.list())[0]!.status).toBe('unsubscribed');
  });
});

describe('unsubscribe', () => {
  const active = () => webFixture({ subscribers: [subscriber({ email: 'ada@example.org', status: 'active', topics: ['nlp'], tokenVersion: 4 })] });
  const unsubPath = async (f: WebFixture) => new URL(subscriberLinks(BASE_URL, SECRET, (await f.list())[0]!).unsubscribeUrl).pathname;

  it('RFC 8058 one-click POST: 200, no redirect, no cookie, idempotent', async () => {
    const f = await active();
    const path = await unsubPath(f);
    for (let i = 0; i < 2; i++) {
      const r = await f.request(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
      expect(r.status).toBe(200);
      expect(r.headers.get('location')).toBeNull();
      expect(r.headers.get('set-cookie')).toBeNull();
      expect(await r.text()).toContain("You're unsubscribed");
    }
    const [ada] = await f.list();
    expect(ada).toMatchObject({ status: 'unsubscribed', unsubscribedAt: f.clock.now.toISOString(), tokenVersion: 5 });
  });

  it('GET shows a button that posts the one-click body and changes nothing', async () => {
    const f = await active();
    const path = await unsubPath(f);
    const r = await f.request(path);
    expect(r.status).toBe(200);
    const body = await r.text();
    expect(body).toContain(`<form method="post" action="${path}">`);
    expect(body).toContain('name="List-Unsubscribe" value="One-Click"');
    expect(body).toMatch(/href="\/preferences\/[^"]+"/);
    expect((await f.list())[0]!.status).toBe('active');
  });

  it('works from a link minted before the address re-subscribed (links in old issues keep working)', async () => {
    const f = await active();
    const oldPath = await unsubPath(f);
    await f.store.changeSubscriber('ada@example.org', (cur) => ({ next: { ...cur!, tokenVersion: 9 }, result: undefined }));
    expect((await f.request(oldPath, post())).status).toBe(200);
    expect((await f.list())[0]!.status).toBe('unsubscribed');
  });

  it('refuses forged tokens without changing anything', async () => {
    const f = await active();
    const token = (await unsubPath(f)).slice('/unsubscribe/'.length);
    const bad = {
      ...forgeries(token, 'ada@example.org'),
      'confirm token': signToken(SECRET, { kind: 'confirm', email: 'ada@example.org', v: 4, exp: 4e9 }),
    };
    delete (bad as Record<string, string>)['wrong kind'];
    for (const [what, forged] of Object.entries(bad)) {
      expect((await f.request(`/unsubscribe/${forged}`, post())).status, what).toBe(400);
      expect((await f.request(`/unsubscribe/${forged}`)).status, what).toBe(400);
    }
    expect((await f.list())[0]!.status).toBe('active');
  });

  it('answers 200 for a valid link whose address is no longer on file', async () => {
    const f = await webFixture();
    const token = signToken(SECRET, { kind: 'unsubscribe', email: 'gone@example.org', v: 0 });
    expect((await f.request(`/unsubscribe/${token}`, post())).status).toBe(200);
  });
});

describe('preferences', () => {
  const fixture = () =>
    webFixture({
      subscribers: [
        subscriber({ email: 'ada@example.org', status: 'active', topics: ['nlp'], name: 'Ada' }),
        subscriber({ email: 'bob@example.org', status: 'unsubscribed', topics: ['vision'] }),
      ],
    });
  const prefPath = async (f: WebFixture, email: string) =>
    new URL(subscriberLinks(BASE_URL, SECRET, (await f.list()).find((s) => s.email === email)!).preferencesUrl).pathname;

  it('GET shows the current name and topics and an unsubscribe link', async () => {
    const f = await fixture();
    const path = await prefPath(f, 'ada@example.org');
    const r = await f.request(path);
    expect(r.status).toBe(200);
    const body = await r.text();
    expect(body).toContain('ada@example.org');
    expect(body).toContain('value="Ada"');
    expect(body).toMatch(/value="nlp" checked/);
    expect(body).not.toMatch(/value="vision" checked/);
    expect(body).toMatch(/href="\/unsubscribe\/[^"]+"/);
    expect(body).toContain(`action="${path}"`);
  });

  it('POST changes topics and name', async () => {
    const f = await fixture();
    const path = await prefPath(f, 'ada@example.org');
    const r = await f.request(path, postForm({ name: 'Ada L.', topics: ['robotics', 'other'] }));
    expect(r.status).toBe(200);
    const body = await r.text();
    expect(body).toContain('Saved.');
    expect(body).toMatch(/value="robotics" checked/);
    expect((await f.list())[0]).toMatchObject({ name: 'Ada L.', topics: ['other', 'robotics'], status: 'active' });
  });

  it('refuses a foreign Origin, unknown topics and forged tokens without changing anything', async () => {
    const f = await fixture();
    const path = await prefPath(f, 'ada@example.org');
    expect((await f.request(path, postForm({ topics: ['vision'] }, { origin: 'https://evil.example' }))).status).toBe(403);
    const bad = await f.request(path, postForm({ topics: ['vision', 'bitcoin'] }));
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('not on the list');
    const token = path.slice('/preferences/'.length);
    for (const [what, forged] of Object.entries(forgeries(token, 'ada@example.org'))) {
      expect((await f.request(`/preferences/${forged}`, postForm({ topics: ['vision'] }))).status, what).toBe(400);
    }
    expect((await f.request(`/preferences/${signToken(SECRET, { kind: 'unsubscribe', email: 'ada@example.org', v: 0 })}`)).status).toBe(400);
    expect((await f.list())[0]).toMatchObject({ topics: ['nlp'], name: 'Ada' });
  });

  it('does not change an unsubscribed address and says it is not subscribed', async () => {
    const f = await fixture();
    const path = await prefPath(f, 'bob@example.org');
    const get = await f.request(path);
    expect(await get.text()).toContain('not subscribed');
    const r = await f.request(path, postForm({ topics: ['nlp'] }));
    expect(await r.text()).toContain('not subscribed');
    expect((await f.list())[1]).toMatchObject({ status: 'unsubscribed', topics: ['vision'] });
  });
});
