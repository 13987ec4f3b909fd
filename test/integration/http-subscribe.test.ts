// GET / and POST /subscribe through app.request(): validation, the identical answer whatever the
// address's state, the per-address and per-IP caps, the honeypot.
import { describe, expect, it } from 'vitest';
import { verifyToken } from '../../src/domain/tokens.js';
import { BASE_URL, SECRET, linkIn, postForm, subscriber, webFixture } from '../helpers/web-fixture.js';

const html = async (r: Response) => r.text();

describe('GET /', () => {
  it('shows the sign-up form with every topic, its description, a honeypot and an archive link', async () => {
    const f = await webFixture();
    const r = await f.request('/');
    expect(r.status).toBe(200);
    const body = await html(r);
    expect(body).toContain('<form method="post" action="/subscribe"');
    expect(body).toContain('name="email"');
    expect(body).toContain('name="name"');
    for (const id of ['nlp', 'vision', 'robotics', 'other']) expect(body).toContain(`name="topics" value="${id}"`);
    expect(body).toContain('Computer vision');
    // Descriptions come from the taxonomy and are escaped.
    expect(body).toContain('LLMs, text generation &amp; &lt;evaluation&gt;.');
    expect(body).toContain('name="website"');
    expect(body).toContain('href="/archive"');
    expect(body).not.toMatch(/<script/i);
  });

  it('puts page links under the path of the base URL', async () => {
    const f = await webFixture({ config: { baseUrl: 'https://example.org/papers' } });
    const body = await html(await f.request('/'));
    expect(body).toContain('action="/papers/subscribe"');
    expect(body).toContain('href="/papers/archive"');
  });
});

describe('POST /subscribe', () => {
  it('records a pending subscriber with consent and mails a working confirmation link', async () => {
    const f = await webFixture();
    const r = await f.request('/subscribe', postForm({ email: ' Ada@Example.org ', name: 'Ada', topics: ['vision', 'nlp'] }, { ip: '198.51.100.23' }));
    expect(r.status).toBe(200);
    expect(await html(r)).toContain('Check your inbox');
    const [ada] = await f.list();
    expect(ada).toMatchObject({
      email: 'ada@example.org',
      name: 'Ada',
      status: 'pending',
      topics: ['nlp', 'vision'],
      consent: { requestedAt: f.clock.now.toISOString(), requestedIp: '198.51.100.23', topics: ['nlp', 'vision'], method: 'web' },
    });
    const mails = await f.mails();
    expect(mails).toHaveLength(1);
    expect(f.mailer.sent[0]).toMatchObject({ from: 'news@paperboy.test', to: 'ada@example.org' });
    expect(mails[0]!.subject).toBe('[confirm]');
    const token = linkIn(mails[0]!, '/confirm/').slice('/confirm/'.length);
    const payload = verifyToken(SECRET, token, 'confirm', f.clock.now);
    expect(payload).toMatchObject({ kind: 'confirm', email: 'ada@example.org', v: 0 });
    // Expires after confirmTtlHours (48 by default).
    expect(payload!.exp! - f.clock.now.getTime() / 1000).toBe(48 * 3600);
    expect(mails[0]!.headers.get('auto-submitted')).toBe('auto-generated');
  });

  it('without topics subscribes to everything', async () => {
    const f = await webFixture();
    await f.request('/subscribe', postForm({ email: 'ada@example.org' }));
    expect((await f.list())[0]!.topics).toEqual([]);
  });

  it('answers new, pending, active and unsubscribed addresses with the same page', async () => {
    const f = await webFixture({
      subscribers: [
        subscriber({ email: 'pending@example.org', status: 'pending', topics: ['nlp'] }),
        subscriber({ email: 'active@example.org', status: 'active', topics: ['robotics'], name: 'Act' }),
        subscriber({ email: 'gone@example.org', status: 'unsubscribed' }),
      ],
    });
    const answers: { status: number; type: string | null; body: string }[] = [];
    for (const email of ['new@example.org', 'pending@example.org', 'active@example.org', 'gone@example.org']) {
      const r = await f.request('/subscribe', postForm({ email, topics: ['vision'] }));
      answers.push({ status: r.status, type: r.headers.get('content-type'), body: (await r.text()).replaceAll(email, 'ADDRESS') });
    }
    for (const a of answers.slice(1)) expect(a).toEqual(answers[0]);

    // The active subscriber's topics and name are untouched; they get a note with a preferences link.
    const subs = await f.list();
    expect(subs.find((s) => s.email === 'active@example.org')).toMatchObject({ status: 'active', topics: ['robotics'], name: 'Act' });
    expect(subs.find((s) => s.email === 'gone@example.org')).toMatchObject({ status: 'pending', topics: ['vision'] });
    const mails = await f.mails();
    expect(mails.map((m) => `${m.to && 'text' in m.to ? m.to.text : ''} ${m.subject}`).sort()).toEqual([
      'active@example.org [already-subscribed]',
      'gone@example.org [confirm]',
      'new@example.org [confirm]',
      'pending@example.org [confirm]',
    ]);
    const note = mails.find((m) => m.subject === '[already-subscribed]')!;
    expect(linkIn(note, '/preferences/')).toMatch(/^\/preferences\//);
    expect(note.text).not.toContain('/confirm/');
  });

  it('sends at most one mail per address per 10 minutes, same page every time, and keeps the first request', async () => {
    const f = await webFixture();
    const first = await f.request('/subscribe', postForm({ email: 'ada@example.org', topics: ['nlp'] }));
    const second = await f.request('/subscribe', postForm({ email: 'ADA@example.org', topics: ['robotics'] }, { ip: '198.51.100.99' }));
    expect(second.status).toBe(first.status);
    expect(await second.text()).toBe(await first.text());
    expect(await f.mails()).toHaveLength(1);
    // Over the cap nothing changes: a stranger cannot rewrite the pending request.
    expect((await f.list())[0]!.topics).toEqual(['nlp']);
  });

  it('sends at most perAddressPerDay mails to one address', async () => {
    const f = await webFixture({ config: { signup: { perAddressPer10Min: 100, perAddressPerDay: 3 } } });
    for (let i = 0; i < 5; i++) expect((await f.request('/subscribe', postForm({ email: 'ada@example.org' }))).status).toBe(200);
    expect(await f.mails()).toHaveLength(3);
  });

  it('answers 429 once an IP is over its hourly cap, and mails nothing for it', async () => {
    const f = await webFixture({ config: { signup: { perIpPerHour: 3 } } });
    for (let i = 0; i < 3; i++) expect((await f.request('/subscribe', postForm({ email: `u${i}@example.org` }, { ip: '192.0.2.1' }))).status).toBe(200);
    const over = await f.request('/subscribe', postForm({ email: 'u9@example.org' }, { ip: '192.0.2.1' }));
    expect(over.status).toBe(429);
    expect(over.headers.get('retry-after')).toBe('3600');
    expect(await over.text()).toContain('Too many sign-up requests');
    // Another client is not affected.
    expect((await f.request('/subscribe', postForm({ email: 'u8@example.org' }, { ip: '192.0.2.2' }))).status).toBe(200);
    expect((await f.mails()).map((m) => m.headers.get('to'))).not.toContainEqual(expect.objectContaining({ text: 'u9@example.org' }));
    expect((await f.list()).map((s) => s.email).sort()).toEqual(['u0@example.org', 'u1@example.org', 'u2@example.org', 'u8@example.org']);
  });

  it('counts IPv6 clients per /64 and ignores X-Forwarded-For unless trustProxy is set', async () => {
    const f = await webFixture({ config: { signup: { perIpPerHour: 1 } } });
    expect((await f.request('/subscribe', postForm({ email: 'a@example.org' }, { ip: '2001:db8:1:2::10' }))).status).toBe(200);
    expect((await f.request('/subscribe', postForm({ email: 'b@example.org' }, { ip: '2001:db8:1:2:aaaa::11' }))).status).toBe(429);

    const direct = await webFixture({ config: { trustProxy: false } });
    await direct.request('/subscribe', postForm({ email: 'c@example.org' }, { ip: '192.0.2.44' }));
    // No socket under app.request(): the spoofable header is not believed.
    expect((await direct.list())[0]!.consent.requestedIp).toBe('unknown');
  });

  it('treats a filled honeypot like success but stores and mails nothing', async () => {
    const f = await webFixture();
    const trap = await f.request('/subscribe', postForm({ email: 'bot@example.org', website: 'http://spam.example' }));
    const real = await f.request('/subscribe', postForm({ email: 'person@example.org' }));
    expect(trap.status).toBe(200);
    expect((await trap.text()).replaceAll('bot@example.org', 'X')).toBe((await real.text()).replaceAll('person@example.org', 'X'));
    expect((await f.list()).map((s) => s.email)).toEqual(['person@example.org']);
    expect(await f.mails()).toHaveLength(1);
  });

  it('puts nothing the visitor typed into the confirmation mail except the address', async () => {
    const f = await webFixture();
    await f.request('/subscribe', postForm({ email: 'ada@example.org', name: 'Visit http://evil.example now', topics: ['nlp'] }));
    const [mail] = await f.mails();
    expect(mail!.text).not.toContain('evil');
    expect(mail!.html).not.toContain('evil');
  });

  it('shows the form again with messages for invalid input, escaping what was typed, and stores nothing', async () => {
    const f = await webFixture();
    const bad = await f.request('/subscribe', postForm({ email: 'not-an-address', name: '<script>alert(1)</script>', topics: ['vision'] }));
    expect(bad.status).toBe(400);
    const body = await bad.text();
    expect(body).toContain('Enter a valid email address');
    expect(body).toContain('value="not-an-address"');
    expect(body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(body).not.toContain('<script>');
    expect(body).toMatch(/value="vision" checked/);

    const invalid: Record<string, string | string[]>[] = [
      { email: '' },
      { email: 'ada@example.org', topics: ['nlp', 'no-such-topic'] },
      { email: 'ada@example.org', name: 'x'.repeat(201) },
      { email: 'ada@example.org', name: 'line\nbreak' },
      { email: ['a@example.org', 'b@example.org'] },
      { email: `${'a'.repeat(250)}@example.org` },
    ];
    for (const fields of invalid) {
      const r = await f.request('/subscribe', postForm(fields));
      expect(r.status, JSON.stringify(fields)).toBe(400);
    }
    expect(await f.list()).toEqual([]);
    expect(await f.mails()).toEqual([]);
  });

  it('refuses bodies that are not a form, and forms posted from another site', async () => {
    const f = await webFixture();
    const json = await f.request('/subscribe', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'ada@example.org' }) });
    expect(json.status).toBe(400);
    const broken = await f.request('/subscribe', { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=zzz' }, body: '--zzz\r\nnonsense' });
    expect(broken.status).toBe(400);
    const foreign = await f.request('/subscribe', postForm({ email: 'ada@example.org' }, { origin: 'https://evil.example' }));
    expect(foreign.status).toBe(403);
    const noOrigin = await f.request('/subscribe', postForm({ email: 'bob@example.org' }, { origin: null }));
    expect(noOrigin.status).toBe(200);
    expect((await f.list()).map((s) => s.email)).toEqual(['bob@example.org']);
  });

  it('still answers "check your inbox" when the mail cannot be sent, and logs why', async () => {
    const f = await webFixture({ renderEmail: async () => Promise.reject(new Error('template broke')) });
    const r = await f.request('/subscribe', postForm({ email: 'ada@example.org' }));
    expect(r.status).toBe(200);
    expect(await f.mails()).toEqual([]);
    expect(f.logs.join('\n')).toContain('confirmation mail to ada@example.org failed: template broke');
  });

  it('accepts a form posted from the public origin', async () => {
    const f = await webFixture();
    const r = await f.request('/subscribe', postForm({ email: 'ada@example.org' }, { origin: BASE_URL }));
    expect(r.status).toBe(200);
  });
});
