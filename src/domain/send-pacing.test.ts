import { describe, expect, it } from 'vitest';
import { MAX_BACKOFF_MS, Pacer, backoffMs } from './send-pacing.js';

describe('Pacer', () => {
  it('spaces transactions at the configured rate, across callers', () => {
    const p = new Pacer(4); // one every 250 ms
    expect([p.take(0), p.take(0), p.take(0), p.take(100)]).toEqual([0, 250, 500, 650]);
    // After a quiet spell there is no burst credit: the next slot starts now.
    expect(p.take(5000)).toBe(0);
    expect(p.take(5000)).toBe(250);
  });

  it('never waits without a limit', () => {
    const p = new Pacer(0);
    expect([p.take(0), p.take(0), p.take(0)]).toEqual([0, 0, 0]);
  });
});

describe('backoffMs', () => {
  it('doubles from the base with at most 20% jitter either way', () => {
    expect([1, 2, 3, 4].map((a) => backoffMs(a, 1000, 0.5))).toEqual([1000, 2000, 4000, 8000]);
    expect(backoffMs(3, 1000, 0)).toBe(3200);
    expect(backoffMs(3, 1000, 1)).toBe(4800);
  });

  it('is capped', () => {
    expect(backoffMs(40, 2000, 1)).toBe(Math.round(MAX_BACKOFF_MS * 1.2));
  });
});
