import { describe, expect, it } from 'vitest';
import { PaperboyError } from '../errors.js';
import type { Subscriber } from './subscriber.js';
import { activateSubscriber, checkTopics, parseTopicList, removeSubscriber, unknownTopicCounts } from './subscriber-ops.js';

const T0 = new Date('2026-01-10T09:00:00Z');
const T1 = new Date('2026-03-14T07:00:00Z');

function sub(over: Partial<Subscriber> & { email: string }): Subscriber {
  return { topics: [], status: 'active', createdAt: T0.toISOString(), hardBounces: 0, consent: {}, tokenVersion: 0, ...over };
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof PaperboyError ? e.code : 'not a PaperboyError';
  }
  return undefined;
}

describe('activateSubscriber', () => {
  it('adds a new address as active with an admin consent record, normalised', () => {
    const out = activateSubscriber(undefined, { email: '  Ann@Example.ORG ', name: 'Ann', topics: ['vision'] }, T1, 'admin');
    expect(out.action).toBe('added');
    expect(out.subscriber).toEqual({
      email: 'ann@example.org',
      name: 'Ann',
      topics: ['vision'],
      status: 'active',
      createdAt: T1.toISOString(),
      hardBounces: 0,
      consent: { requestedAt: T1.toISOString(), confirmedAt: T1.toISOString(), topics: ['vision'], method: 'admin' },
      tokenVersion: 0,
    });
  });

  it('rejects an invalid address', () => {
    expect(codeOf(() => activateSubscriber(undefined, { email: 'not-an-address' }, T1, 'admin'))).toBe('INPUT_INVALID');
  });

  it('leaves an identical active subscriber alone', () => {
    const current = sub({ email: 'ann@example.org', name: 'Ann', topics: ['vision', 'robotics'] });
    const out = activateSubscriber(current, { email: 'ANN@example.org', name: 'Ann', topics: ['robotics', 'vision'] }, T1, 'import');
    expect(out.action).toBe('skipped');
    expect(out.subscriber).toBe(current);
  });

  it('updates name and topics, keeping topics when none are given, without touching the record given', () => {
    const current = sub({ email: 'ann@example.org', name: 'Ann', topics: ['vision'] });
    const out = activateSubscriber(current, { email: 'ann@example.org', name: 'Ann Lee' }, T1, 'import');
    expect(out).toMatchObject({ action: 'updated', changes: ['name "Ann" → "Ann Lee"'] });
    expect(out.subscriber).toMatchObject({ name: 'Ann Lee', topics: ['vision'], updatedAt: T1.toISOString() });
    expect(current.name).toBe('Ann');
    expect(activateSubscriber(out.subscriber, { email: 'ann@example.org', topics: [] }, T1, 'admin').subscriber.topics).toEqual([]);
  });

  it('activates a pending address and records who confirmed it', () => {
    const current = sub({ email: 'bob@example.org', status: 'pending', consent: { requestedAt: T0.toISOString(), requestedIp: '192.0.2.1', method: 'web' } });
    const out = activateSubscriber(current, { email: 'bob@example.org' }, T1, 'import');
    expect(out.action).toBe('updated');
    expect(out.subscriber).toMatchObject({
      status: 'active',
      consent: { requestedAt: T0.toISOString(), requestedIp: '192.0.2.1', confirmedAt: T1.toISOString(), method: 'import' },
    });
  });

  it('never re-subscribes an unsubscribed or bounced address by import, but does on an explicit admin add', () => {
    const gone = sub({ email: 'gone@example.org', status: 'unsubscribed', unsubscribedAt: T0.toISOString() });
    const bounced = sub({ email: 'bounce@example.org', status: 'bounced', hardBounces: 2 });
    expect(activateSubscriber(gone, { email: 'gone@example.org' }, T1, 'import')).toMatchObject({ action: 'skipped', reason: expect.stringMatching(/^unsubscribed on 2026-01-10/) });
    expect(activateSubscriber(bounced, { email: 'bounce@example.org' }, T1, 'import')).toMatchObject({ action: 'skipped', reason: expect.stringMatching(/bounced/) });

    const back = activateSubscriber(gone, { email: 'gone@example.org' }, T1, 'admin');
    expect(back.action).toBe('updated');
    expect(back.subscriber).toMatchObject({ status: 'active', hardBounces: 0, consent: { method: 'admin' } });
    expect(back.subscriber.unsubscribedAt).toBeUndefined();
    expect(activateSubscriber(bounced, { email: 'bounce@example.org' }, T1, 'admin').subscriber).toMatchObject({ status: 'active', hardBounces: 0 });
  });
});

describe('removeSubscriber', () => {
  it('marks unsubscribed, keeps the consent record and invalidates outstanding tokens', () => {
    const consent = { requestedAt: T0.toISOString(), confirmedAt: T0.toISOString(), method: 'web' as const };
    const out = removeSubscriber(sub({ email: 'ann@example.org', consent, tokenVersion: 1 }), 'ANN@example.org', T1);
    expect(out.action).toBe('unsubscribed');
    expect(out.next).toMatchObject({ status: 'unsubscribed', unsubscribedAt: T1.toISOString(), consent, tokenVersion: 2 });
    const again = removeSubscriber(out.next!, 'ann@example.org', T1);
    expect(again.action).toBe('already-unsubscribed');
    expect(again.next).toBeUndefined();
  });

  it('purges the record entirely', () => {
    expect(removeSubscriber(sub({ email: 'ann@example.org' }), 'ann@example.org', T1, { purge: true })).toMatchObject({ action: 'purged', next: null });
  });

  it('says SUBSCRIBER_NOT_FOUND for an unknown address', () => {
    expect(codeOf(() => removeSubscriber(undefined, 'nobody@example.org', T1))).toBe('SUBSCRIBER_NOT_FOUND');
  });
});

describe('topics', () => {
  it('parses the separators people type', () => {
    expect(parseTopicList(' vision, robotics;language-models | vision ')).toEqual(['vision', 'robotics', 'language-models']);
    expect(parseTopicList('')).toEqual([]);
  });

  it('accepts known ids and the catch-all, names unknown ones', () => {
    expect(() => checkTopics(['vision', 'other'], ['vision', 'robotics'])).not.toThrow();
    expect(() => checkTopics(['vision', 'visoin'], ['vision', 'robotics'])).toThrow(/unknown topic "visoin"; known topics: vision, robotics, other/);
  });

  it('counts the subscribers whose topic sets hold topics the taxonomy lacks', () => {
    const sets = [
      { topics: ['vision', 'theory', 'theory'], count: 3 },
      { topics: ['theory', 'economics'], count: 1 },
      { topics: ['other'], count: 5 },
      { topics: [], count: 2 },
    ];
    expect([...unknownTopicCounts(sets, ['vision', 'robotics'])]).toEqual([
      ['theory', 4],
      ['economics', 1],
    ]);
    expect(unknownTopicCounts(sets.slice(2), ['vision']).size).toBe(0);
  });
});
