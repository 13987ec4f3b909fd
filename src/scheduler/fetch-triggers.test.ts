import { describe, expect, it } from 'vitest';
import { sendDueToday } from './fetch-triggers.js';

describe('sendDueToday', () => {
  it("is true once today's first tick has passed, in the schedule's time zone", () => {
    expect(sendDueToday('0 7 * * *', 'UTC', new Date('2026-12-02T06:59:59Z'))).toBe(false);
    expect(sendDueToday('0 7 * * *', 'UTC', new Date('2026-12-02T07:00:00Z'))).toBe(true);
    expect(sendDueToday('0 7 * * *', 'UTC', new Date('2026-12-02T23:00:00Z'))).toBe(true);
    // 07:00 in Berlin is 06:00 UTC in winter.
    expect(sendDueToday('0 7 * * *', 'Europe/Berlin', new Date('2026-12-02T06:30:00Z'))).toBe(true);
    expect(sendDueToday('0 7 * * *', 'America/New_York', new Date('2026-12-02T06:30:00Z'))).toBe(false);
  });
  it('respects the day fields: a weekday schedule is not due on a Saturday', () => {
    expect(sendDueToday('30 6 * * 1-5', 'UTC', new Date('2026-12-05T09:00:00Z'))).toBe(false);
    expect(sendDueToday('30 6 * * 1-5', 'UTC', new Date('2026-12-04T09:00:00Z'))).toBe(true);
  });
  it('a schedule with seconds', () => {
    expect(sendDueToday('* * * * * *', 'UTC', new Date('2026-12-02T00:00:00Z'))).toBe(true);
    expect(sendDueToday('30 0 7 * * *', 'UTC', new Date('2026-12-02T07:00:29Z'))).toBe(false);
  });
});
