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
    const r = requestSignup(undefined, { email: 'Ada@Example.org', name: 'Ada', topics: ['nlp', 'vision'], ip: '203.0.113.9', now: t0 });
    expect(r.outcome).toBe('created');
    expect(SubscriberSchema.parse(r.next)).toEqual(r.next);
    expect(r.next).toMatchObject({
      email: 'ada@example.org',
      name: 'Ada',
      status: 'pending',
      topics: ['nlp', 'vision'],
      tokenVersion: 0,
      consent: { requestedAt: t0.toISOString(), requestedIp: '203.0.113.9', topics: ['nlp', 'vision'], method: 'web' },
    });
  });

  it('replaces a pending request with the latest topics, name and consent, and voids its confirm links', () => {
    const current = sub({ email: 'ada@example.org', status: 'pending', name: 'Old', topics: ['nlp'], tokenVersion: 2 });
    const r = requestSignup(current, { email: 'ada@example.org', topics: ['vision'], ip: '198.51.100.1', now: t1 });
    expect(r.outcome).toBe('refreshed');
    expect(r.next).toMatchObject({ status: 'pending', topics: ['vision'], tokenVersion: 3, consent: { requestedIp: '198.51.100.1' } });
    // The link mailed for the old request no longer confirms anything.
    expect(confirmSubscription(r.next, { kind: 'confirm', email: 'ada@example.org', v: 2, exp: 9e9 }, 'ip', t1).outcome).toBe('invalid');
    expect(confirmSubscription(r.next, { kind: 'confirm', email: 'ada@example.org', v: 3, exp: 9e9 }, 'ip', t1).outcome).toBe('confirmed');
    expect(r.next!.name).toBeUndefined();
    expect(current.name).toBe('Old');
  });

  it('reopens an unsubscribed or bounced address as pending, dropping the old confirmation', () => {
    for (const status of ['unsubscribed', 'bounced'] as const) {
      const current = sub({ email: 'ada@example.org', status, tokenVersion: 4, consent: { confirmedAt: '2025-01-01T00:00:00.000Z', confirmedIp: '1.2.3.4' } });
      const r = requestSignup(current, { email: 'ADA@example.org', topics: [], ip: '198.51.100.1', now: t1 });
      expect(r.outcome).toBe('reopened');
      expect(r.next!.status).toBe('pending');
      expect(r.next!.tokenVersion).toBe(5);
      expect(r.next!.consent.confirmedAt).toBeUndefined();
    }
  });

  it('leaves an active subscriber exactly as it was', () => {
    const current = sub({ email: 'ada@example.org', status: 'active', topics: ['nlp'], name: 'Ada' });
    const r = requestSignup(current, { email: 'ada@example.org', name: 'Mallory', topics: ['vision'], ip: '6.6.6.6', now: t1 });
    expect(r.outcome).toBe('active');
    expect(r.next).toBeUndefined();
  });
});

describe('confirmSubscription', () => {
  const pending = () => sub({ email: 'ada@example.org', status: 'pending', tokenVersion: 3, hardBounces: 1, unsubscribedAt: '2025-01-01T00:00:00.000Z' });

  it('activates a pending subscriber once, recording when and from where', () => {
    const token = { kind: 'confirm' as const, email: 'ada@example.org', v: 3, exp: 9e9 };
    const r = confirmSubscription(pending(), token, '203.0.113.9', t1);
    expect(r.outcome).toBe('confirmed');
    expect(r.next).toMatchObject({ status: 'active', tokenVersion: 4, hardBounces: 0, consent: { confirmedAt: t1.toISOString(), confirmedIp: '203.0.113.9' } });
    expect(r.next!.unsubscribedAt).toBeUndefined();
    // The same token again: spent.
    expect(confirmSubscription(r.next, token, '203.0.113.9', t1)).toEqual({ outcome: 'invalid' });
  });

  it('refuses a stale version, an unknown address, a wrong kind and a non-pending subscriber', () => {
    expect(confirmSubscription(pending(), { kind: 'confirm', email: 'ada@example.org', v: 2 }, 'ip', t1).outcome).toBe('invalid');
    expect(confirmSubscription(undefined, { kind: 'confirm', email: 'bob@example.org', v: 3 }, 'ip', t1).outcome).toBe('invalid');
    expect(confirmSubscription(pending(), { kind: 'unsubscribe', email: 'ada@example.org', v: 3 }, 'ip', t1).outcome).toBe('invalid');
    const gone = sub({ email: 'ada@example.org', status: 'unsubscribed', tokenVersion: 3 });
    expect(confirmSubscription(gone, { kind: 'confirm', email: 'ada@example.org', v: 3 }, 'ip', t1)).toEqual({ outcome: 'invalid' });
  });
});

describe('unsubscribe', () => {
  it('is idempotent and bumps the token version once', () => {
    const r = unsubscribe(sub({ email: 'ada@example.org', status: 'active', tokenVersion: 1 }), t0);
    expect(r.outcome).toBe('unsubscribed');
    expect(r.next).toMatchObject({ status: 'unsubscribed', unsubscribedAt: t0.toISOString(), tokenVersion: 2 });
    expect(unsubscribe(r.next, t1)).toEqual({ outcome: 'already' });
    expect(unsubscribe(undefined, t1)).toEqual({ outcome: 'unknown' });
  });
});

describe('setPreferences', () => {
  it('changes topics and name of an active subscriber only', () => {
    const r = setPreferences(sub({ email: 'ada@example.org', status: 'active', topics: ['nlp'], name: 'Ada' }), { topics: ['vision', 'other'] }, t1);
    expect(r.outcome).toBe('saved');
    expect(r.next).toMatchObject({ topics: ['vision', 'other'], updatedAt: t1.toISOString() });
    expect(r.next!.name).toBeUndefined();
    expect(setPreferences(sub({ email: 'bob@example.org', status: 'unsubscribed' }), { topics: ['vision'] }, t1)).toEqual({ outcome: 'not-active' });
    expect(setPreferences(undefined, { topics: [] }, t1)).toEqual({ outcome: 'not-active' });
  });
});

describe('dropTopic', () => {
  const all = ['nlp', 'vision', 'robotics', 'other'];
  it('drops one chosen topic and keeps the others', () => {
    const r = dropTopic(sub({ email: 'ada@example.org', status: 'active', topics: ['nlp', 'vision'] }), 'vision', all, t1);
    expect(r.outcome).toBe('dropped');
    expect(r.next).toMatchObject({ topics: ['nlp'], updatedAt: t1.toISOString() });
    expect(dropTopic(r.next, 'vision', all, t1)).toEqual({ outcome: 'not-chosen' });
  });

  it('turns "every topic" into every other topic', () => {
    expect(dropTopic(sub({ email: 'ada@example.org', status: 'active', topics: [] }), 'robotics', all, t1).next!.topics).toEqual(['nlp', 'vision', 'other']);
  });

  it('never drops the last topic (no topics means all of them), nor touches inactive addresses', () => {
    expect(dropTopic(sub({ email: 'ada@example.org', status: 'active', topics: ['nlp'] }), 'nlp', all, t1)).toEqual({ outcome: 'last-topic' });
    expect(dropTopic(sub({ email: 'bob@example.org', status: 'unsubscribed', topics: ['nlp', 'vision'] }), 'nlp', all, t1)).toEqual({ outcome: 'not-active' });
    expect(dropTopic(undefined, 'nlp', all, t1)).toEqual({ outcome: 'not-active' });
  });
});
