import { describe, expect, it } from 'vitest';
import { rateLimitInfo, retryAfter } from './rate-headers.js';

describe('Retry-After', () => {
  const now = new Date('2026-12-02T07:00:00Z');
  it('reads seconds and HTTP dates', () => {
    expect(retryAfter('120', now)).toEqual(new Date('2026-12-02T07:02:00Z'));
    expect(retryAfter('Wed, 02 Dec 2026 07:41:00 GMT', now)).toEqual(new Date('2026-12-02T07:41:00Z'));
  });
  it('ignores what it cannot read', () => {
    expect(retryAfter(undefined, now)).toBeUndefined();
    expect(retryAfter('soon', now)).toBeUndefined();
    expect(retryAfter('-5', now)).toBeUndefined();
  });
});

describe("Hugging Face's RateLimit and RateLimit-Policy", () => {
  it('reads remaining, reset, quota and window', () => {
    expect(rateLimitInfo('"api";r=0;t=120', '"fixed window";"api";q=500;w=300')).toEqual({ remaining: 0, resetSeconds: 120, quota: 500, windowSeconds: 300 });
  });
  it('leaves out what is absent', () => {
    expect(rateLimitInfo(null, null)).toEqual({});
    expect(rateLimitInfo('"api";t=30', undefined)).toEqual({ resetSeconds: 30 });
  });
});
