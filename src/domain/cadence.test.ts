import { describe, expect, it } from 'vitest';
import { describeSchedule, paperRange } from './cadence.js';

describe('describeSchedule', () => {
  it('says the common schedules in words', () => {
    expect(describeSchedule('0 7 * * *')).toBe('every morning at 07:00');
    expect(describeSchedule('30 6 * * 1-5', 'Europe/Berlin')).toBe('every weekday morning at 06:30 (Europe/Berlin)');
    expect(describeSchedule('0 18 * * 1')).toBe('every Monday at 18:00');
    expect(describeSchedule('0 0 7 * * *')).toBe('every morning at 07:00');
  });
  it("falls back to cronstrue's description, and never throws", () => {
    expect(describeSchedule('0 */6 * * *')).toBe('on the hour, every 6 hours');
    expect(describeSchedule('not a schedule')).toBe('on the schedule not a schedule');
  });
});

describe('paperRange', () => {
  it('gives the range of recent issues', () => {
    expect(paperRange([39, 62, 17, 23])).toBe('usually 17–62 papers');
    expect(paperRange([40])).toBe('about 40 papers');
    expect(paperRange([])).toBeUndefined();
    expect(paperRange([5, ...Array(10).fill(50)])).toBe('usually 5–50 papers');
    expect(paperRange([...Array(10).fill(50), 5])).toBe('about 50 papers');
  });
});
