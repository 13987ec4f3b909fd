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
    const subs: Subscriber[] = [];
    const out = activateSubscriber(subs, { email: '  Ann@Example.ORG ', name: 'Ann', topics: ['vision'] }, T1, 'admin');
    expect(out.action).toBe('added');
    expect(subs).toEqual([
      {
        email: 'ann@example.org',
        name: 'Ann',
        topics: ['vision'],
        status: 'active',
        createdAt: T1.toISOString(),
        hardBounces: 0,
        consent: { requestedAt: T1.toISOString(), confirmedAt: T1.toISOString(), topics: ['vision'], method: 'admin' },
        tokenVersion: 0,
      },
    ]);
  });

  it('rejects an invalid address', () => {
    expect(codeOf(() => activateSubscriber([], { email: 'not-an-address' }, T1, 'admin'))).toBe('INPUT_INVALID');
  });

  it('leaves an identical active subscriber alone', () => {
    const subs = [sub({ email: 'ann@example.org', name: 'Ann', topics: ['vision', 'robotics'] })];
    const out = activateSubscriber(subs, { email: 'ANN@example.org', name: 'Ann', topics: ['robotics', 'vision'] }, T1, 'import');
    expect(out.action).toBe('skipped');
    expect(subs[0]!.updatedAt).toBeUndefined();
  });

  it('updates name and topics, keeping topics when none are given', () => {
    const subs = [sub({ email: 'ann@example.org', name: 'Ann', topics: ['vision'] })];
    const out = activateSubscriber(subs, { email: 'ann@example.org', name: 'Ann Lee' }, T1, 'import');
    expect(out).toMatchObject({ action: 'updated', changes: ['name "Ann" → "Ann Lee"'] });
    expect(subs[0]).toMatchObject({ name: 'Ann Lee', topics: ['vision'], updatedAt: T1.toISOString() });
    activateSubscriber(subs, { email: 'ann@example.org', topics: [] }, T1, 'admin');
    expect(subs[0]!.topics).toEqual([]);
  });

  it('activates a pending address and records who confirmed it', () => {
    const subs = [sub({ email: 'bob@example.org', status: 'pending', consent: { requestedAt: T0.toISOString(), requestedIp: '192.0.2.1', method: 'web' } })];
    const out = activateSubscriber(subs, { email: 'bob@example.org' }, T1, 'import');
    expect(out.action).toBe('updated');
    expect(subs[0]).toMatchObject({
      status: 'active',
      consent: { requestedAt: T0.toISOString(), requestedIp: '192.0.2.1', confirmedAt: T1.toISOString(), method: 'import' },
    });
  });

  it('never re-subscribes an unsubscribed or bounced address by import, but does on an explicit admin add', () => {
    const subs = [
      sub({ email: 'gone@example.org', status: 'unsubscribed', unsubscribedAt: T0.toISOString() }),
      sub({ email: 'bounce@example.org', status: 'bounced', hardBounces: 2 }),
    ];
    const before = structuredClone(subs);
    expect(activateSubscriber(subs, { email: 'gone@example.org' }, T1, 'import')).toMatchObject({ action: 'skipped', reason: expect.stringMatching(/^unsubscribed on 2026-01-10/) });
    expect(activateSubscriber(subs, { email: 'bounce@example.org' }, T1, 'import')).toMatchObject({ action: 'skipped', reason: expect.stringMatching(/bounced/) });
    expect(subs).toEqual(before);

    expect(activateSubscriber(subs, { email: 'gone@example.org' }, T1, 'admin').action).toBe('updated');
    expect(subs[0]).toMatchObject({ status: 'active', hardBounces: 0, consent: { method: 'admin' } });
    expect(subs[0]!.unsubscribedAt).toBeUndefined();
    activateSubscriber(subs, { email: 'bounce@example.org' }, T1, 'admin');
    expect(subs[1]).toMatchObject({ status: 'active', hardBounces: 0 });
  });
});

describe('removeSubscriber', () => {
  it('marks unsubscribed, keeps the consent record and invalidates outstanding tokens', () => {
    const consent = { requestedAt: T0.toISOString(), confirmedAt: T0.toISOString(), method: 'web' as const };
    const subs = [sub({ email: 'ann@example.org', consent, tokenVersion: 1 })];
    expect(removeSubscriber(subs, 'ANN@example.org', T1).action).toBe('unsubscribed');
    expect(subs[0]).toMatchObject({ status: 'unsubscribed', unsubscribedAt: T1.toISOString(), consent, tokenVersion: 2 });
    expect(removeSubscriber(subs, 'ann@example.org', T1).action).toBe('already-unsubscribed');
    expect(subs[0]!.tokenVersion).toBe(2);
  });

  it('purges the entry entirely', () => {
    const subs = [sub({ email: 'ann@example.org' }), sub({ email: 'bob@example.org' })];
    expect(removeSubscriber(subs, 'ann@example.org', T1, { purge: true }).action).toBe('purged');
    expect(subs.map((s) => s.email)).toEqual(['bob@example.org']);
  });

  it('says SUBSCRIBER_NOT_FOUND for an unknown address', () => {
    expect(codeOf(() => removeSubscriber([], 'nobody@example.org', T1))).toBe('SUBSCRIBER_NOT_FOUND');
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

  it('counts the topics active subscribers chose that the taxonomy lacks', () => {
    const subs = [
      { status: 'active' as const, topics: ['vision', 'theory', 'theory'] },
      { status: 'active' as const, topics: ['theory', 'economics'] },
      { status: 'unsubscribed' as const, topics: ['gone'] },
      { status: 'active' as const, topics: ['other'] },
      { status: 'active' as const, topics: [] },
    ];
    expect([...unknownTopicCounts(subs, ['vision', 'robotics'])]).toEqual([
      ['theory', 2],
      ['economics', 1],
    ]);
    expect(unknownTopicCounts(subs.slice(2), ['vision']).size).toBe(0);
  });
});
