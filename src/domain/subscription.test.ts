import { describe, expect, it } from 'vitest';
import { SubscriberSchema, type Subscriber } from './subscriber.js';
import { confirmSubscription, dropTopic, requestSignup, setPreferences, unsubscribe } from './subscription.js';

const t0 = new Date('2026-03-14T08:00:00.000Z');
const t1 = new Date('2026-03-14T09:00:00.000Z');

function sub(over: Partial<Subscriber> & Pick<Subscriber, 'email' | 'status'>): Subscriber {
  return SubscriberSchema.parse({ createdAt: '2026-01-01T00:00:00.000Z', ...over });
}

describe('requestSignup', () => {
  it('creates a pending subscriber with a consent record', () => {
    const subs: Subscriber[] = [];
    const r = requestSignup(subs, { email: 'Ada@Example.org', name: 'Ada', topics: ['nlp', 'vision'], ip: '203.0.113.9', now: t0 });
    expect(r.outcome).toBe('created');
    expect(subs).toHaveLength(1);
    expect(SubscriberSchema.parse(subs[0])).toEqual(subs[0]);
    expect(subs[0]).toMatchObject({
      email: 'ada@example.org',
      name: 'Ada',
      status: 'pending',
      topics: ['nlp', 'vision'],
      tokenVersion: 0,
      consent: { requestedAt: t0.toISOString(), requestedIp: '203.0.113.9', topics: ['nlp', 'vision'], method: 'web' },
    });
  });

  it('refreshes a pending request with the latest topics, name and consent', () => {
    const subs = [sub({ email: 'ada@example.org', status: 'pending', name: 'Old', topics: ['nlp'], tokenVersion: 2 })];
    const r = requestSignup(subs, { email: 'ada@example.org', topics: ['vision'], ip: '198.51.100.1', now: t1 });
    expect(r.outcome).toBe('refreshed');
    expect(subs[0]).toMatchObject({ status: 'pending', topics: ['vision'], tokenVersion: 2, consent: { requestedIp: '198.51.100.1' } });
    expect(subs[0]!.name).toBeUndefined();
  });

  it('reopens an unsubscribed or bounced address as pending, dropping the old confirmation', () => {
    for (const status of ['unsubscribed', 'bounced'] as const) {
      const subs = [sub({ email: 'ada@example.org', status, consent: { confirmedAt: '2025-01-01T00:00:00.000Z', confirmedIp: '1.2.3.4' } })];
      const r = requestSignup(subs, { email: 'ADA@example.org', topics: [], ip: '198.51.100.1', now: t1 });
      expect(r.outcome).toBe('reopened');
      expect(subs[0]!.status).toBe('pending');
      expect(subs[0]!.consent.confirmedAt).toBeUndefined();
    }
  });

  it('leaves an active subscriber exactly as it was', () => {
    const subs = [sub({ email: 'ada@example.org', status: 'active', topics: ['nlp'], name: 'Ada' })];
    const before = structuredClone(subs);
    expect(requestSignup(subs, { email: 'ada@example.org', name: 'Mallory', topics: ['vision'], ip: '6.6.6.6', now: t1 }).outcome).toBe('active');
    expect(subs).toEqual(before);
  });
});

describe('confirmSubscription', () => {
  const pending = () => [sub({ email: 'ada@example.org', status: 'pending', tokenVersion: 3, hardBounces: 1, unsubscribedAt: '2025-01-01T00:00:00.000Z' })];

  it('activates a pending subscriber once, recording when and from where', () => {
    const subs = pending();
    const token = { kind: 'confirm' as const, email: 'ada@example.org', v: 3, exp: 9e9 };
    expect(confirmSubscription(subs, token, '203.0.113.9', t1)).toBe('confirmed');
    expect(subs[0]).toMatchObject({ status: 'active', tokenVersion: 4, hardBounces: 0, consent: { confirmedAt: t1.toISOString(), confirmedIp: '203.0.113.9' } });
    expect(subs[0]!.unsubscribedAt).toBeUndefined();
    // The same token again: spent.
    expect(confirmSubscription(subs, token, '203.0.113.9', t1)).toBe('invalid');
  });

  it('refuses a stale version, an unknown address, a wrong kind and a non-pending subscriber', () => {
    expect(confirmSubscription(pending(), { kind: 'confirm', email: 'ada@example.org', v: 2 }, 'ip', t1)).toBe('invalid');
    expect(confirmSubscription(pending(), { kind: 'confirm', email: 'bob@example.org', v: 3 }, 'ip', t1)).toBe('invalid');
    expect(confirmSubscription(pending(), { kind: 'unsubscribe', email: 'ada@example.org', v: 3 }, 'ip', t1)).toBe('invalid');
    const subs = [sub({ email: 'ada@example.org', status: 'unsubscribed', tokenVersion: 3 })];
    expect(confirmSubscription(subs, { kind: 'confirm', email: 'ada@example.org', v: 3 }, 'ip', t1)).toBe('invalid');
    expect(subs[0]!.status).toBe('unsubscribed');
  });
});

describe('unsubscribe', () => {
  it('is idempotent and bumps the token version once', () => {
    const subs = [sub({ email: 'ada@example.org', status: 'active', tokenVersion: 1 })];
    expect(unsubscribe(subs, 'ADA@example.org', t0)).toBe('unsubscribed');
    expect(subs[0]).toMatchObject({ status: 'unsubscribed', unsubscribedAt: t0.toISOString(), tokenVersion: 2 });
    expect(unsubscribe(subs, 'ada@example.org', t1)).toBe('already');
    expect(subs[0]).toMatchObject({ unsubscribedAt: t0.toISOString(), tokenVersion: 2 });
    expect(unsubscribe(subs, 'nobody@example.org', t1)).toBe('unknown');
  });
});

describe('setPreferences', () => {
  it('changes topics and name of an active subscriber only', () => {
    const subs = [sub({ email: 'ada@example.org', status: 'active', topics: ['nlp'], name: 'Ada' }), sub({ email: 'bob@example.org', status: 'unsubscribed' })];
    expect(setPreferences(subs, 'ada@example.org', { topics: ['vision', 'other'] }, t1)).toBe('saved');
    expect(subs[0]).toMatchObject({ topics: ['vision', 'other'], updatedAt: t1.toISOString() });
    expect(subs[0]!.name).toBeUndefined();
    expect(setPreferences(subs, 'bob@example.org', { topics: ['vision'] }, t1)).toBe('not-active');
    expect(subs[1]!.topics).toEqual([]);
    expect(setPreferences(subs, 'carol@example.org', { topics: [] }, t1)).toBe('not-active');
  });
});

describe('dropTopic', () => {
  const all = ['nlp', 'vision', 'robotics', 'other'];
  it('drops one chosen topic and keeps the others', () => {
    const subs = [sub({ email: 'ada@example.org', status: 'active', topics: ['nlp', 'vision'] })];
    expect(dropTopic(subs, 'ADA@example.org', 'vision', all, t1)).toBe('dropped');
    expect(subs[0]).toMatchObject({ topics: ['nlp'], updatedAt: t1.toISOString() });
    expect(dropTopic(subs, 'ada@example.org', 'vision', all, t1)).toBe('not-chosen');
  });

  it('turns "every topic" into every other topic', () => {
    const subs = [sub({ email: 'ada@example.org', status: 'active', topics: [] })];
    expect(dropTopic(subs, 'ada@example.org', 'robotics', all, t1)).toBe('dropped');
    expect(subs[0]!.topics).toEqual(['nlp', 'vision', 'other']);
  });

  it('never drops the last topic (no topics means all of them), nor touches inactive addresses', () => {
    const subs = [sub({ email: 'ada@example.org', status: 'active', topics: ['nlp'] }), sub({ email: 'bob@example.org', status: 'unsubscribed', topics: ['nlp', 'vision'] })];
    expect(dropTopic(subs, 'ada@example.org', 'nlp', all, t1)).toBe('last-topic');
    expect(subs[0]!.topics).toEqual(['nlp']);
    expect(dropTopic(subs, 'bob@example.org', 'nlp', all, t1)).toBe('not-active');
    expect(subs[1]!.topics).toEqual(['nlp', 'vision']);
    expect(dropTopic(subs, 'carol@example.org', 'nlp', all, t1)).toBe('not-active');
  });
});
