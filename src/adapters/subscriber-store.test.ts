// The pure half of the store (validation, serialisation) and the in-memory store; the file store
// is tested in test/integration/subscriber-store.test.ts.
import { describe, expect, it } from 'vitest';
import { PaperboyError } from '../errors.js';
import { MemorySubscriberStore, parseSubscribersData, serialiseSubscribers } from './subscriber-store.js';

const entry = (email: string, extra: Record<string, unknown> = {}) => ({ email, status: 'active' as const, createdAt: '2026-01-01T00:00:00.000Z', ...extra });

function invalid(data: unknown): PaperboyError {
  try {
    parseSubscribersData(data, 'subs.json');
  } catch (e) {
    if (e instanceof PaperboyError) return e;
    throw e;
  }
  throw new Error('expected SUBSCRIBERS_INVALID');
}

describe('parseSubscribersData', () => {
  it('fills defaults and normalises addresses', () => {
    const file = parseSubscribersData({ subscribers: [entry(' Ann@Example.org ')] }, 'subs.json');
    expect(file.subscribers[0]).toEqual({ ...entry('ann@example.org'), topics: [], hardBounces: 0, consent: {}, tokenVersion: 0 });
  });

  it('names the file, entry index, address and field of a schema error', () => {
    const err = invalid({ subscribers: [entry('ann@example.org'), entry('bob@example.org', { status: 'subscribed' })] });
    expect(err.code).toBe('SUBSCRIBERS_INVALID');
    expect(err.message).toMatch(/^Subscribers file subs\.json is invalid/);
    expect(err.message).toMatch(/subscribers\[1\] \(bob@example\.org\), field "status": /);
    expect(invalid({ subscribers: [entry('ann@example.org', { consent: { method: 'fax' } })] }).message).toMatch(/subscribers\[0\] \(ann@example\.org\), field "consent\.method"/);
    expect(invalid({ people: [] }).message).toMatch(/field "subscribers"/);
  });

  it('refuses the same address twice, whatever its case', () => {
    const err = invalid({ subscribers: [entry('ann@example.org'), entry('bob@example.org'), entry('ANN@example.org')] });
    expect(err.message).toMatch(/subscribers\[2\] \(ann@example\.org\), field "email": same address as subscribers\[0\]/);
  });
});

describe('serialiseSubscribers', () => {
  it('writes schema key order, keeps unknown keys, 2-space indent and a trailing newline', () => {
    const file = parseSubscribersData(
      { subscribers: [{ note: 'met at NeurIPS', tokenVersion: 1, status: 'active', email: 'ann@example.org', createdAt: '2026-01-01T00:00:00.000Z', consent: { method: 'admin', confirmedAt: 'x' } }] },
      'subs.json',
    );
    const text = serialiseSubscribers(file);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.split('\n')[1]).toBe('  "subscribers": [');
    const keys = Object.keys(JSON.parse(text).subscribers[0]);
    expect(keys).toEqual(['email', 'topics', 'status', 'createdAt', 'hardBounces', 'consent', 'tokenVersion', 'note']);
    expect(Object.keys(JSON.parse(text).subscribers[0].consent)).toEqual(['confirmedAt', 'method']);
    expect(serialiseSubscribers(parseSubscribersData(JSON.parse(text), 'subs.json'))).toBe(text);
  });
});

describe('MemorySubscriberStore', () => {
  it('applies updates in order and hands out copies', async () => {
    const store = new MemorySubscriberStore([entry('ann@example.org')]);
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        store.update(async (subs) => {
          await new Promise((r) => setImmediate(r));
          subs.push({ ...subs[0]!, email: `u${i}@example.org` });
        }),
      ),
    );
    const listed = await store.list();
    expect(listed.map((s) => s.email)).toEqual(['ann@example.org', ...Array.from({ length: 10 }, (_, i) => `u${i}@example.org`)]);
    listed[0]!.status = 'bounced';
    expect((await store.list())[0]!.status).toBe('active');
  });

  it('rejects an update that would leave the list invalid, keeping the old list', async () => {
    const store = new MemorySubscriberStore([entry('ann@example.org')]);
    await expect(store.update((subs) => void subs.push({ ...subs[0]! }))).rejects.toMatchObject({ code: 'SUBSCRIBERS_INVALID' });
    expect(await store.list()).toHaveLength(1);
  });
});
