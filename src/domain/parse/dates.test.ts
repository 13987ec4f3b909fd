import { describe, expect, it } from 'vitest';
import { dateFromFileName, datePart, isValidIsoDate, latest } from './dates.js';

describe('dates', () => {
  it('accepts only real calendar dates', () => {
    expect(isValidIsoDate('2024-02-29')).toBe(true);
    expect(isValidIsoDate('2026-02-29')).toBe(false);
    expect(isValidIsoDate('2026-13-01')).toBe(false);
    expect(isValidIsoDate('2026-3-14')).toBe(false);
  });

  it('reads a date from the base name of a file only', () => {
    expect(dateFromFileName('/data/hf-daily-2024-06-28.json')).toBe('2024-06-28');
    expect(dateFromFileName('C:\\digests\\hf-daily-2024-06-28.json')).toBe('2024-06-28');
    expect(dateFromFileName('/2024-06-28/daily.json')).toBeUndefined();
    expect(dateFromFileName('daily-2024-02-30.json')).toBeUndefined();
  });

  it('takes the date part of a timestamp as written, not converted to UTC', () => {
    expect(datePart('2018-02-05T00:00:00-05:00')).toBe('2018-02-05');
    expect(datePart('soon')).toBeUndefined();
    expect(latest(['2024-06-27', undefined, '2024-06-28'])).toBe('2024-06-28');
  });
});
