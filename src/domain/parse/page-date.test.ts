import { describe, expect, it } from 'vitest';
import { newestArxivMonth, parseDateLine, resolvePageDate } from './page-date.js';

describe('parseDateLine', () => {
  it('reads the page header forms', () => {
    expect(parseDateLine('Mar 14')).toEqual({ month: 3, day: 14 });
    expect(parseDateLine('March 14th')).toEqual({ month: 3, day: 14 });
    expect(parseDateLine('Mar. 14, 2026')).toEqual({ month: 3, day: 14, year: 2026 });
    expect(parseDateLine('14 Mar 2025')).toEqual({ month: 3, day: 14, year: 2025 });
    expect(parseDateLine('2026-03-14')).toEqual({ month: 3, day: 14, year: 2026 });
  });

  it('refuses lines that are not a date', () => {
    expect(parseDateLine('Pointer Networks')).toBeNull();
    expect(parseDateLine('Mar 44')).toBeNull();
    expect(parseDateLine('May 2024')).toBeNull();
    expect(parseDateLine('Marching 14')).toBeNull();
    expect(parseDateLine('Sept 9')).toEqual({ month: 9, day: 9 });
  });
});

describe('resolvePageDate', () => {
  const mar14 = { month: 3, day: 14 };

  it('uses a year written on the date line', () => {
    expect(resolvePageDate({ ...mar14, year: 2024 }, '', new Date('2026-01-01T00:00:00Z'))).toEqual({
      date: '2024-03-14',
      yearFrom: 'date line',
    });
  });

  it("takes now's year when the day has passed (UTC)", () => {
    expect(resolvePageDate(mar14, '', new Date('2026-03-14T00:00:00Z'))).toEqual({ date: '2026-03-14', yearFrom: 'current year' });
    expect(resolvePageDate(mar14, '', new Date('2026-11-26T12:00:00Z'))).toEqual({ date: '2026-03-14', yearFrom: 'current year' });
  });

  it('takes the previous year when the date would be in the future', () => {
    expect(resolvePageDate(mar14, '', new Date('2026-03-13T23:59:59Z'))).toEqual({ date: '2025-03-14', yearFrom: 'previous year' });
    expect(resolvePageDate({ month: 12, day: 31 }, '', new Date('2026-01-01T00:00:00Z'))).toEqual({
      date: '2025-12-31',
      yearFrom: 'previous year',
    });
  });

  it('prefers the year of the newest arXiv id in the file over the clock', () => {
    const text = 'see https://arxiv.org/abs/2402.01234 and arXiv:2312.00001 and https://huggingface.co/papers/2403.09999';
    expect(newestArxivMonth(text)).toEqual({ year: 2024, month: 3 });
    expect(resolvePageDate(mar14, text, new Date('2026-11-26T00:00:00Z'))).toEqual({
      date: '2024-03-14',
      yearFrom: 'arXiv ids in the file',
    });
  });

  it('moves to the next year when the page day comes before the newest id month', () => {
    const text = 'code and paper: https://arxiv.org/pdf/2411.00042v2';
    expect(resolvePageDate(mar14, text, new Date('2026-11-26T00:00:00Z'))).toEqual({
      date: '2025-03-14',
      yearFrom: 'arXiv ids in the file',
    });
  });

  it('reports a day that does not exist in the chosen year', () => {
    const r = resolvePageDate({ month: 2, day: 29 }, '', new Date('2026-06-01T00:00:00Z'));
    expect(r).toEqual({ error: 'Feb 29 does not exist in 2026 (year from the current year)' });
    expect(resolvePageDate({ month: 2, day: 29 }, '', new Date('2024-06-01T00:00:00Z'))).toEqual({
      date: '2024-02-29',
      yearFrom: 'current year',
    });
  });
});
