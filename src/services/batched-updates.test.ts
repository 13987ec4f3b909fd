import { describe, expect, it } from 'vitest';
import { MemorySubscriberStore } from '../adapters/subscriber-store.js';
import type { Subscriber } from '../domain/subscriber.js';
import { BatchedUpdates } from './batched-updates.js';

class CountingStore extends MemorySubscriberStore {
  updates = 0;
  override update<T>(mutate: (subs: Subscriber[]) => T | Promise<T>): Promise<T> {
    this.updates += 1;
    return super.update(mutate);
  }
}

const add = (email: string) => (subs: Subscriber[]) => {
  subs.push({ email, status: 'pending', topics: [], createdAt: '2026-01-01T00:00:00.000Z', hardBounces: 0, consent: {}, tokenVersion: 0 });
  return email;
};

describe('BatchedUpdates', () => {
  it('applies changes that arrive during a write together, and gives each caller its own result', async () => {
    const store = new CountingStore();
    const batched = new BatchedUpdates(store);
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => batched.update(add(`u${i}@example.org`))));
    expect(results).toEqual(Array.from({ length: 50 }, (_, i) => `u${i}@example.org`));
    expect((await store.list()).map((s) => s.email)).toEqual(results);
    // The first change goes alone; everything queued behind it shares the next write.
    expect(store.updates).toBe(2);
  });

  it('writes nothing of a batch in which a change throws, and rejects each of its callers', async () => {
    const store = new CountingStore();
    const batched = new BatchedUpdates(store);
    const first = batched.update(add('a@example.org'));
    const ok = batched.update(add('b@example.org'));
    const bad = batched.update(() => {
      throw new Error('bug');
    });
    await first;
    await expect(ok).rejects.toThrow('bug');
    await expect(bad).rejects.toThrow('bug');
    expect((await store.list()).map((s) => s.email)).toEqual(['a@example.org']);
    // Later changes go through again.
    await batched.update(add('c@example.org'));
    expect((await store.list()).map((s) => s.email)).toEqual(['a@example.org', 'c@example.org']);
  });
});
