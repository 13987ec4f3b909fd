// The "stop this topic" link beside each section of an issue, and what the sign-up page says about
// the issues, through app.request() over a real SQLite database.
import { describe, expect, it } from 'vitest';
import type { ArchiveEntry } from '../../src/services/store-ports.js';
import { subscriberLinks } from '../../src/domain/links.js';
import { BASE_URL, SECRET, postForm, webFixture } from '../helpers/web-fixture.js';

const ada = { email: 'ada@example.org', status: 'active' as const, topics: ['nlp', 'vision'], createdAt: '2026-01-01T00:00:00.000Z', tokenVersion: 2, hardBounces: 0, consent: {} };
const stopUrl = (email = ada.email, v = ada.tokenVersion) => subscriberLinks(BASE_URL, SECRET, { email, tokenVersion: v }).stopTopicUrl.slice(BASE_URL.length);

describe('stop this topic', () => {
  it('GET shows a button and changes nothing; POST drops the topic and keeps the others', async () => {
    const f = await webFixture({ subscribers: [ada] });
    const get = await f.request(`${stopUrl()}/vision`);
    expect(get.status).toBe(200);
    const page = await get.text();
    expect(page).toContain('Stop “Computer vision”?');
    expect(page).toContain(`<form method="post" action="${stopUrl()}/vision">`);
    expect((await f.list())[0]!.topics).toEqual(['nlp', 'vision']);

    const post = await f.request(`${stopUrl()}/vision`, postForm({}));
    expect(post.status).toBe(200);
    expect(await post.text()).toContain('Computer vision stopped');
    expect((await f.list())[0]!.topics).toEqual(['nlp']);
    // Again: already off, nothing changes.
    expect(await (await f.request(`${stopUrl()}/vision`, postForm({}))).text()).toContain('Computer vision is already off');
  });

  it('never empties the choice (that would mean every topic): offers to unsubscribe instead', async () => {
    const f = await webFixture({ subscribers: [{ ...ada, topics: ['nlp'] }] });
    const body = await (await f.request(`${stopUrl()}/nlp`, postForm({}))).text();
    expect(body).toContain('Language models is your only topic');
    expect(body).toMatch(/href="\/unsubscribe\/[A-Za-z0-9._-]+">Unsubscribe<\/a>/);
    expect((await f.list())[0]!.topics).toEqual(['nlp']);
  });

  it('a subscriber of every topic keeps all the others', async () => {
    const f = await webFixture({ subscribers: [{ ...ada, topics: [] }] });
    await f.request(`${stopUrl()}/robotics`, postForm({}));
    expect((await f.list())[0]!.topics).toEqual(['nlp', 'other', 'vision']);
  });

  it('refuses forged or foreign tokens, unknown topics and cross-site posts', async () => {
    const f = await webFixture({ subscribers: [ada] });
    const unsubscribe = subscriberLinks(BASE_URL, SECRET, ada).unsubscribeUrl.slice(BASE_URL.length).replace('/unsubscribe/', '/stop-topic/');
    for (const path of [`${stopUrl()}x/vision`, `${unsubscribe}/vision`, `${stopUrl()}/astrology`]) {
      expect((await f.request(path)).status, path).toBe(400);
      expect((await f.request(path, postForm({}))).status, path).toBe(400);
    }
    const foreign = await f.request(`${stopUrl()}/vision`, { method: 'POST', headers: { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
    expect(foreign.status).toBe(403);
    expect((await f.list())[0]!.topics).toEqual(['nlp', 'vision']);
  });
});

describe('the sign-up page', () => {
  const issue = (id: string, date: string, paperCount: number): ArchiveEntry => ({ issueId: id, date, subject: `Issue ${date}`, paperCount, sentAt: `${date}T07:00:00.000Z`, html: '<div></div>', text: '' });

  it('says when issues come, how many papers, and links the latest issue', async () => {
    const f = await webFixture({ archive: [issue('2026-03-13-aaaaaaaa', '2026-03-13', 23), issue('2026-03-14-bbbbbbbb', '2026-03-14', 62)], config: { schedule: '30 6 * * 1-5', timezone: 'Europe/Berlin' } });
    const body = await (await f.request('/')).text();
    expect(body).toContain('every weekday morning at 06:30 (Europe/Berlin), usually 23–62 papers');
    expect(body).toContain('<a href="/archive/2026-03-14-bbbbbbbb">Read the latest issue</a>');
    // The topics are folded away until asked for, so the button comes right after the name.
    expect(body).toMatch(/<details class="topics">[\s\S]*<\/details>[\s\S]*<button type="submit">Subscribe<\/button>/);
    const none = await (await (await webFixture()).request('/')).text();
    expect(none).toContain('every morning at 07:00.');
    expect(none).not.toContain('Read the latest issue');
  });
});
