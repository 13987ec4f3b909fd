import { describe, expect, it } from 'vitest';
import { digestAgeDays, isTooOld } from './digest-age.js';

describe('digest age', () => {
  const now = new Date('2026-03-20T23:30:00Z');
  it('counts whole UTC days, across months and leap days', () => {
    expect(digestAgeDays('2026-03-20', now)).toBe(0);
    expect(digestAgeDays('2026-03-13', now)).toBe(7);
    expect(digestAgeDays('2026-02-28', now)).toBe(20);
    expect(digestAgeDays('2024-02-29', new Date('2024-03-01T00:00:01Z'))).toBe(1);
    expect(digestAgeDays('2026-03-21', now)).toBe(-1);
  });

  it('is too old only past the limit, and never with the limit at 0', () => {
    expect(isTooOld('2026-03-13', now, 7)).toBe(false);
    expect(isTooOld('2026-03-12', now, 7)).toBe(true);
    expect(isTooOld('2020-01-01', now, 0)).toBe(false);
  });
});
