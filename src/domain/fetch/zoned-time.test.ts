import { describe, expect, it } from 'vitest';
import { addDays, clockTime, weekdayOf, zonedParts } from './zoned-time.js';

describe('zoned time', () => {
  it('gives the date, time and weekday in a zone', () => {
    const at = new Date('2026-12-05T03:30:00Z');
    expect(zonedParts(at, 'UTC')).toMatchObject({ date: '2026-12-05', time: '03:30', weekday: 6, secondsOfDay: 3 * 3600 + 1800 });
    // Still Friday evening in New York.
    expect(zonedParts(at, 'America/New_York')).toMatchObject({ date: '2026-12-04', time: '22:30', weekday: 5 });
    expect(clockTime(at, 'Asia/Tokyo', '2026-12-05')).toBe('12:30');
    expect(clockTime(at, 'Asia/Tokyo', '2026-12-04')).toBe('2026-12-05 12:30');
  });
  it('adds days across months and years', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(weekdayOf('2026-12-05')).toBe(6);
  });
});
