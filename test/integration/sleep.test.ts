// The one abortable wait (src/adapters/sleep.ts): real timers, one signal shared by many waits.
import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { sleep } from '../../src/adapters/sleep.js';

describe('sleep', () => {
  it('waits, and many waits on one signal leave at most one listener on it, none once aborted', async () => {
    const ac = new AbortController();
    const waits = Array.from({ length: 50 }, () => sleep(10_000, ac.signal));
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(1);
    const start = performance.now();
    ac.abort();
    await Promise.all(waits); // resolved, not rejected
    expect(performance.now() - start).toBeLessThan(5_000);
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);
    await sleep(10, ac.signal); // an aborted signal returns at once
    await sleep(5);
  });
});
