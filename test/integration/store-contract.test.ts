// The Store's contract, run against both backends: a SQLite file and a real PostgreSQL server.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql, Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import Database from 'better-sqlite3';
import pg from 'pg';
import { openStore } from '../../src/adapters/store/open-store.js';
import type { Subscriber } from '../../src/domain/subscriber.js';
import type { DeliveryBatch, Store } from '../../src/services/store-ports.js';
import { BACKENDS, testStore, type TestStore } from '../helpers/stores.js';

const T0 = '2026-03-14T07:00:00.000Z';
const T1 = '2026-03-14T07:05:00.000Z';

const sub = (email: string, over: Partial<Subscriber> = {}): Subscriber => ({
  email,
  topics: [],
  status: 'active',
  createdAt: T0,
  hardBounces: 0,
  consent: { method: 'admin' },
  tokenVersion: 0,
  ...over,
});

async function put(store: Store, s: Subscriber): Promise<void> {
  await store.changeSubscriber(s.email, () => ({ next: s, result: undefined }));
}

const LEASE = { name: 'send:i1', holder: 'me', ttlMs: 10_000, nowMs: Date.parse(T0) };

function batch(over: Partial<DeliveryBatch>): DeliveryBatch {
  return { issueId: 'i1', at: T0, lease: LEASE, marks: [], claims: [], ...over };
}

describe.each(BACKENDS)('store on %s', (backend) => {
  let t: TestStore;
  let store: Store;
  beforeEach(async () => {
    t = await testStore(backend);
    store = t.store;
  });
  afterEach(async () => t.dispose());

  it('keeps a subscriber record whole, including fields it does not know', async () => {
    const s = { ...sub('ann@example.org', { name: 'Ann Ångström', topics: ['vision', 'nlp', 'nlp'], consent: { requestedAt: T0, requestedIp: '203.0.113.7', method: 'web' } }), note: 'met at NeurIPS' } as Subscriber;
    await put(store, s);
    const back = await store.findSubscriber('ann@example.org');
    expect(back).toMatchObject({ email: 'ann@example.org', name: 'Ann Ångström', topics: ['nlp', 'vision'], consent: s.consent, note: 'met at NeurIPS' });
    expect(back!.id).toBeGreaterThan(0);
    expect(await store.findSubscriber('nobody@example.org')).toBeUndefined();
  });

  it('changes one row in a transaction: no write when change says so, delete with null', async () => {
    await put(store, sub('ann@example.org'));
    const r = await store.changeSubscriber('ann@example.org', (cur) => ({ result: cur?.status }));
    expect(r).toBe('active');
    await store.changeSubscriber('ann@example.org', (cur) => ({ next: { ...cur!, status: 'unsubscribed' }, result: 1 }));
    expect((await store.findSubscriber('ann@example.org'))!.status).toBe('unsubscribed');
    await store.changeSubscriber('ann@example.org', () => ({ next: null, result: 1 }));
    expect(await store.findSubscriber('ann@example.org')).toBeUndefined();
    await expect(store.changeSubscriber('x@example.org', () => { throw new Error('boom'); })).rejects.toThrow('boom');
  });

  it('loses no concurrent change to one row', async () => {
    await put(store, sub('ann@example.org', { hardBounces: 0 }));
    await Promise.all(Array.from({ length: 20 }, () => store.changeSubscriber('ann@example.org', (cur) => ({ next: { ...cur!, hardBounces: cur!.hardBounces + 1 }, result: 0 }))));
    expect((await store.findSubscriber('ann@example.org'))!.hardBounces).toBe(20);
  });

  it('two writers creating the same new address at once end with one row', async () => {
    const results = await Promise.all(
      [1, 2, 3].map((n) => store.changeSubscriber('new@example.org', (cur) => (cur ? { result: 'existed' } : { next: sub('new@example.org', { name: `w${n}` }), result: 'created' }))),
    );
    expect(results.filter((r) => r === 'created')).toHaveLength(1);
  });

  it('lists in id order by pages and counts by status', async () => {
    for (let i = 0; i < 25; i++) await put(store, sub(`u${String(i).padStart(2, '0')}@example.org`, { status: i % 5 === 0 ? 'pending' : 'active' }));
    const seen: string[] = [];
    let afterId = 0;
    for (;;) {
      const page = await store.listSubscribers({ status: 'active', afterId, limit: 7 });
      seen.push(...page.map((s) => s.email));
      if (page.length < 7) break;
      afterId = page.at(-1)!.id;
    }
    expect(seen).toHaveLength(20);
    expect(seen).toEqual([...seen].sort());
    expect(await store.countSubscribers()).toEqual({ pending: 5, active: 20, unsubscribed: 0, bounced: 0 });
  });

  it('changes many rows all or nothing', async () => {
    await put(store, sub('a@example.org'));
    await expect(
      store.changeSubscribers(['a@example.org', 'b@example.org'], () => ({ next: new Map([['b@example.org', sub('b@example.org')], ['a@example.org', { ...sub('a@example.org'), email: 'not-unique@example.org' }]]), result: 0 })),
    ).resolves.toBe(0);
    // A failing batch leaves nothing behind.
    await put(store, sub('c@example.org'));
    await expect(
      store.changeSubscribers(['d@example.org', 'e@example.org'], () => ({ next: new Map([['d@example.org', sub('d@example.org')], ['e@example.org', sub('c@example.org')]]), result: 0 })),
    ).rejects.toThrow();
    expect(await store.findSubscriber('d@example.org')).toBeUndefined();
  });

  describe('deliveries', () => {
    beforeEach(async () => {
      await put(store, sub('a@example.org', { topics: ['nlp'] }));
      await put(store, sub('b@example.org', { topics: ['nlp'] }));
      await put(store, sub('c@example.org', { topics: ['vision', 'nlp'] }));
      await put(store, sub('d@example.org', { status: 'unsubscribed' }));
      expect(await store.acquireLease('send:i1', { holder: 'me', info: 'test' }, 10_000, LEASE.nowMs)).toEqual({ held: true });
    });

    it('counts and pages the owed recipients by topic set', async () => {
      const sets = await store.owedTopicSets('i1', { now: T0 });
      expect(sets.sort((a, b) => a.topics.length - b.topics.length)).toEqual([
        { topics: ['nlp'], count: 2 },
        { topics: ['nlp', 'vision'], count: 1 },
      ]);
      const page = await store.owedRecipients('i1', ['nlp'], { afterId: 0, limit: 1 }, { now: T0 });
      expect(page.map((r) => r.email)).toEqual(['a@example.org']);
      const next = await store.owedRecipients('i1', ['nlp'], { afterId: page[0]!.id, limit: 10 }, { now: T0 });
      expect(next.map((r) => r.email)).toEqual(['b@example.org']);
    });

    it('claims once, only while active and at the token version the message was made with', async () => {
      const claim = (email: string, v = 0) => ({ email, variant: 'nlp', messageId: `<${email}>`, tokenVersion: v });
      const r = await store.commitDeliveries(batch({ claims: [claim('a@example.org'), claim('a@example.org'), claim('d@example.org'), claim('b@example.org', 1), claim('zz@example.org')] }));
      expect(r).toEqual({ leaseHeld: true, claimed: [true, false, false, false, false] });
      expect((await store.owedTopicSets('i1', { now: T0 })).map((s) => s.count).sort()).toEqual([1, 1]);
      // sent → never owed again; the lease was renewed by the same commit
      await store.commitDeliveries(batch({ at: T1, marks: [{ email: 'a@example.org', outcome: 'sent', response: '250 ok' }] }));
      expect(await store.deliveryCounts('i1')).toMatchObject({ sent: 1, sending: 0 });
      const [rec] = await store.listDeliveries('i1', 'sent');
      expect(rec).toMatchObject({ email: 'a@example.org', attempts: 1, sentAt: T1, lastResponse: '250 ok', messageId: '<a@example.org>' });
    });

    it('defers with a next attempt, owes the recipient again once due, and expires old ones', async () => {
      const claim = { email: 'b@example.org', variant: 'nlp', messageId: '<b>', tokenVersion: 0 };
      await store.commitDeliveries(batch({ claims: [claim] }));
      await store.commitDeliveries(batch({ marks: [{ email: 'b@example.org', outcome: 'deferred', response: '451 try later', responseCode: 451, nextAttemptAt: T1 }] }));
      expect(await store.nextDeferredAttempt('i1')).toBe(T1);
      expect((await store.owedRecipients('i1', ['nlp'], { afterId: 0, limit: 9 }, { now: T0 })).map((r) => r.email)).toEqual(['a@example.org']);
      const due = await store.owedRecipients('i1', ['nlp'], { afterId: 0, limit: 9 }, { now: T1 });
      expect(due.find((r) => r.email === 'b@example.org')).toMatchObject({ state: 'deferred', attempts: 1, deferredSince: T0 });
      expect((await store.commitDeliveries(batch({ claims: [claim] }))).claimed).toEqual([true]);
      await store.commitDeliveries(batch({ at: T1, marks: [{ email: 'b@example.org', outcome: 'deferred', response: '421 down', nextAttemptAt: T1 }] }));
      const [d] = await store.listDeliveries('i1', 'deferred');
      expect(d).toMatchObject({ attempts: 2, deferredSince: T0, lastResponse: '421 down' });
      expect(await store.expireDeferred('i1', T0, T1)).toBe(0);
      expect(await store.expireDeferred('i1', T1, T1)).toBe(1);
      const [f] = await store.listDeliveries('i1', 'failed');
      expect(f!.lastResponse).toMatch(/^gave up: failing temporarily since 2026-03-14T07:00:00.000Z: 421 down$/);
    });

    it('counts a hard bounce and marks the subscriber bounced at the limit', async () => {
      await store.commitDeliveries(batch({ claims: [{ email: 'c@example.org', variant: 'x', messageId: '<c>', tokenVersion: 0 }] }));
      await store.commitDeliveries(batch({ marks: [{ email: 'c@example.org', outcome: 'failed', response: '550 no', bounceLimit: 2 }] }));
      // A mark for an entry that is not "sending" (a repeat) changes nothing, bounces included.
      await store.commitDeliveries(batch({ marks: [{ email: 'c@example.org', outcome: 'failed', response: '550 no', bounceLimit: 2 }] }));
      expect((await store.findSubscriber('c@example.org'))!.hardBounces).toBe(1);
      await store.acquireLease('send:i2', { holder: 'me', info: 't' }, 10_000, LEASE.nowMs);
      const b2 = { issueId: 'i2', at: T1, lease: { ...LEASE, name: 'send:i2' } };
      await store.commitDeliveries({ ...b2, marks: [], claims: [{ email: 'c@example.org', variant: 'x', messageId: '<c2>', tokenVersion: 0 }] });
      await store.commitDeliveries({ ...b2, claims: [], marks: [{ email: 'c@example.org', outcome: 'failed', response: '550 no', bounceLimit: 2 }] });
      expect(await store.findSubscriber('c@example.org')).toMatchObject({ hardBounces: 2, status: 'bounced' });
    });

    it('resends an uncertain entry only when asked', async () => {
      await store.commitDeliveries(batch({ claims: [{ email: 'a@example.org', variant: 'nlp', messageId: '<a>', tokenVersion: 0 }] }));
      expect((await store.owedRecipients('i1', ['nlp'], { afterId: 0, limit: 9 }, { now: T0 })).map((r) => r.email)).toEqual(['b@example.org']);
      expect((await store.owedRecipients('i1', ['nlp'], { afterId: 0, limit: 9 }, { now: T0, resendUncertain: true })).map((r) => r.email)).toEqual(['a@example.org', 'b@example.org']);
      expect((await store.commitDeliveries(batch({ claims: [{ email: 'a@example.org', variant: 'nlp', messageId: '<a>', tokenVersion: 0 }] }))).claimed).toEqual([false]);
      expect((await store.commitDeliveries(batch({ claims: [{ email: 'a@example.org', variant: 'nlp', messageId: '<a>', tokenVersion: 0, resend: true }] }))).claimed).toEqual([true]);
      expect((await store.listDeliveries('i1', 'sending'))[0]!.attempts).toBe(2);
    });

    it('writes nothing once the lease is someone else’s', async () => {
      const later = LEASE.nowMs + 20_000;
      expect(await store.acquireLease('send:i1', { holder: 'other', info: 'host2 pid 9' }, 10_000, later)).toEqual({ held: true });
      const r = await store.commitDeliveries(batch({ claims: [{ email: 'a@example.org', variant: 'nlp', messageId: '<a>', tokenVersion: 0 }] }));
      expect(r.leaseHeld).toBe(false);
      expect(await store.deliveryCounts('i1')).toMatchObject({ sending: 0 });
    });
  });

  it('leases: held until expiry, renewable only by the holder, free after release', async () => {
    const now = Date.parse(T0);
    expect(await store.acquireLease('send:x', { holder: 'a', info: 'hostA pid 1' }, 10_000, now)).toEqual({ held: true });
    expect(await store.acquireLease('send:x', { holder: 'b', info: 'hostB pid 2' }, 10_000, now + 5_000)).toEqual({ held: false, by: { holder: 'a', info: 'hostA pid 1', expiresAtMs: now + 10_000 } });
    expect(await store.renewLease('send:x', 'b', 10_000, now + 5_000)).toBe(false);
    expect(await store.renewLease('send:x', 'a', 10_000, now + 5_000)).toBe(true);
    expect((await store.acquireLease('send:x', { holder: 'b', info: 'hostB pid 2' }, 10_000, now + 14_000)).held).toBe(false);
    expect((await store.acquireLease('send:x', { holder: 'b', info: 'hostB pid 2' }, 10_000, now + 15_001)).held).toBe(true);
    await store.releaseLease('send:x', 'a'); // not a's any more: nothing happens
    expect((await store.readLease('send:x'))!.holder).toBe('b');
    await store.releaseLease('send:x', 'b');
    expect(await store.readLease('send:x')).toBeUndefined();
  });

  it('issues, papers sent only once an issue reached someone, archive and settings', async () => {
    await store.saveIssue({ issueId: '2026-03-14-aaaa', date: '2026-03-14', paperIds: ['p1', 'p2'], runs: 1, startedAt: T0 });
    await store.saveIssue({ issueId: '2026-03-15-bbbb', date: '2026-03-15', paperIds: ['p2', 'p3'], runs: 0 });
    expect((await store.listIssues()).map((m) => m.issueId)).toEqual(['2026-03-15-bbbb', '2026-03-14-aaaa']);
    expect(await store.papersSentBefore(['p1', 'p2', 'p3'], '2026-03-15-bbbb')).toEqual(new Map());
    await store.markIssueDelivered('2026-03-14-aaaa', ['p1', 'p2'], T1);
    await store.markIssueDelivered('2026-03-14-aaaa', ['p1', 'p2'], '2026-03-14T09:00:00.000Z');
    expect(await store.papersSentBefore(['p1', 'p2', 'p3'], '2026-03-15-bbbb')).toEqual(new Map([['p1', '2026-03-14-aaaa'], ['p2', '2026-03-14-aaaa']]));
    expect(await store.papersSentBefore(['p1'], '2026-03-14-aaaa')).toEqual(new Map());
    // a later save of the issue keeps deliveredAt
    await store.saveIssue({ issueId: '2026-03-14-aaaa', date: '2026-03-14', paperIds: ['p1', 'p2'], runs: 2, startedAt: T0, finishedAt: T1 });
    expect(await store.getIssue('2026-03-14-aaaa')).toMatchObject({ runs: 2, finishedAt: T1, deliveredAt: T1 });

    const entry = { issueId: '2026-03-14-aaaa', date: '2026-03-14', subject: 'Papers', paperCount: 2, sentAt: T0, html: '<p>ü</p>', text: 'ü' };
    await store.saveArchive(entry);
    await store.saveArchive({ ...entry, subject: 'Papers again' });
    expect(await store.listArchive()).toEqual([{ issueId: entry.issueId, date: entry.date, subject: 'Papers again', paperCount: 2, sentAt: T0 }]);
    expect(await store.getArchive(entry.issueId)).toMatchObject({ html: '<p>ü</p>', text: 'ü' });

    expect(await store.putSettingOnce('k', 'first')).toBe('first');
    expect(await store.putSettingOnce('k', 'second')).toBe('first');
    expect(await store.getSetting('k')).toBe('first');
  });

  it('refuses a database a newer paperboy migrated, saying what to do', async () => {
    await store.close();
    const db =
      backend === 'sqlite'
        ? new Kysely<unknown>({ dialect: new SqliteDialect({ database: new Database((t.target as { path: string }).path) }) })
        : new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: t.databaseUrl }) }) });
    await sql`insert into paperboy_migrations (name, timestamp) values ('099-from-the-future', '2030-01-01T00:00:00.000Z')`.execute(db);
    await db.destroy();
    await expect(openStore(t.target)).rejects.toMatchObject({ code: 'STORE_TOO_NEW', message: expect.stringMatching(/upgraded by a newer paperboy \(schema 099-from-the-future.*Upgrade paperboy, or restore a backup/) });
    t = { ...t, dispose: async () => undefined } as TestStore;
  });
});

describe('store errors', () => {
  it('names a PostgreSQL server that is not there, without the password', async () => {
    await expect(openStore({ dialect: 'postgres', url: 'postgres://paperboy:secret-pw@127.0.0.1:1/paperboy' })).rejects.toMatchObject({
      code: 'STORE_UNAVAILABLE',
      message: 'Cannot use the PostgreSQL database paperboy on 127.0.0.1:1: nothing is listening there (is PostgreSQL running?).',
    });
  });

  it('names a SQLite file that cannot be made', async () => {
    await expect(openStore({ dialect: 'sqlite', path: '/proc/paperboy/x.db' })).rejects.toMatchObject({ code: 'FOLDER_UNAVAILABLE' });
  });
});
