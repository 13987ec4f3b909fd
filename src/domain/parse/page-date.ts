// The trending page shows its day as "Mar 14": no year. We pick the year, in this order:
//   1. a year written on the date line ("Mar 14, 2026");
//   2. else the newest arXiv id linked in the file (2403.01234 → March 2024): the page cannot be
//      older than a paper it lists, so the year is that id's year, or the next one if "Mar 14"
//      falls before the id's month;
//   3. else the year of `now` (UTC), or the year before when that date would be in the future.
import { isoDate, isRealDate, utcDate } from './dates.js';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** "Mar 14", "March 14th", "Mar. 14, 2026", "14 Mar 2026", "2026-03-14". */
const MONTH =
  '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';
const MONTH_FIRST = new RegExp(`^${MONTH}\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?(?:,?\\s+(\\d{4}))?$`, 'i');
const DAY_FIRST = new RegExp(`^(\\d{1,2})(?:st|nd|rd|th)?\\s+${MONTH}\\.?(?:,?\\s+(\\d{4}))?$`, 'i');
const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface PageDay {
  month: number;
  day: number;
  year?: number;
}

function monthOf(name: string): number {
  return MONTHS.indexOf(name.slice(0, 3).toLowerCase()) + 1;
}

/** The day on a date line, or null if the line is not one. */
export function parseDateLine(line: string): PageDay | null {
  const s = line.trim();
  let m = MONTH_FIRST.exec(s);
  if (m) return withYear({ month: monthOf(m[1] ?? ''), day: Number(m[2]) }, m[3]);
  m = DAY_FIRST.exec(s);
  if (m) return withYear({ month: monthOf(m[2] ?? ''), day: Number(m[1]) }, m[3]);
  m = ISO.exec(s);
  if (m) return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  return null;
}

function withYear(d: PageDay, year: string | undefined): PageDay | null {
  if (d.day < 1 || d.day > 31) return null;
  return year === undefined ? d : { ...d, year: Number(year) };
}

/** Newest (year, month) of the new-style arXiv ids linked or cited in the text. */
export function newestArxivMonth(text: string): { year: number; month: number } | undefined {
  const ids = /(?:arxiv\.org\/(?:abs|pdf)\/|huggingface\.co\/papers\/|arxiv:\s?)(\d{2})(\d{2})\.\d{4,5}/gi;
  let best: { year: number; month: number } | undefined;
  for (const m of text.matchAll(ids)) {
    const year = 2000 + Number(m[1]);
    const month = Number(m[2]);
    if (month < 1 || month > 12) continue;
    if (!best || year > best.year || (year === best.year && month > best.month)) best = { year, month };
  }
  return best;
}

export type YearSource = 'date line' | 'arXiv ids in the file' | 'current year' | 'previous year';

/** The full date of the page, or the reason there is none (e.g. Feb 29 in a common year). */
export function resolvePageDate(
  day: PageDay,
  text: string,
  now: Date,
): { date: string; yearFrom: YearSource } | { error: string } {
  let year: number;
  let yearFrom: YearSource;
  const newest = newestArxivMonth(text);
  if (day.year !== undefined) {
    year = day.year;
    yearFrom = 'date line';
  } else if (newest) {
    year = day.month < newest.month ? newest.year + 1 : newest.year;
    yearFrom = 'arXiv ids in the file';
  } else {
    year = now.getUTCFullYear();
    yearFrom = 'current year';
    if (isoDate(year, day.month, day.day) > utcDate(now)) {
      year -= 1;
      yearFrom = 'previous year';
    }
  }
  if (!isRealDate(year, day.month, day.day)) {
    return { error: `${capital(MONTHS[day.month - 1] ?? '?')} ${day.day} does not exist in ${year} (year from the ${yearFrom})` };
  }
  return { date: isoDate(year, day.month, day.day), yearFrom };
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
