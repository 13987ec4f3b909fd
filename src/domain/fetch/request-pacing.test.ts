import { describe, expect, it } from 'vitest';
import { endedAt, heldUntil, startedAt, waitBeforeNext } from './request-pacing.js';

describe('request pacing', () => {
  const arxiv = { minGapMs: 3000 };
  it('keeps the minimum gap between starts', () => {
    let s = startedAt({}, arxiv, 10_000);
    expect(waitBeforeNext(s, arxiv, 10_500)).toBe(2500);
    expect(waitBeforeNext(s, arxiv, 13_000)).toBe(0);
    s = startedAt(s, arxiv, 13_000);
    expect(waitBeforeNext(s, arxiv, 13_001)).toBe(2999);
  });
  it('counts the gap from the end of a slow answer', () => {
    const s = endedAt(startedAt({}, arxiv, 0), 2000);
    expect(waitBeforeNext(s, arxiv, 2000)).toBe(3000);
  });
  it('a hold (Retry-After) wins over a shorter gap, and the later of two holds wins', () => {
    let s = heldUntil(startedAt({}, arxiv, 0), 60_000);
    s = heldUntil(s, 30_000);
    expect(waitBeforeNext(s, arxiv, 1000)).toBe(59_000);
  });
  it('a used-up fixed window waits for the next one', () => {
    const hf = { minGapMs: 0, windowQuota: 2, windowMs: 300_000 };
    let s = startedAt({}, hf, 0);
    s = startedAt(s, hf, 1000);
    expect(waitBeforeNext(s, hf, 2000)).toBe(298_000);
    // A new window starts counting afresh.
    s = startedAt(s, hf, 300_000);
    expect(s).toMatchObject({ windowStartMs: 300_000, windowCount: 1 });
    expect(waitBeforeNext(s, hf, 300_001)).toBe(0);
  });
});
