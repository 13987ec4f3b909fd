// Calendar dates and clock times of an instant in a time zone (the operator's PAPERBOY_TZ, or
// arXiv's America/New_York), for "today's issue", "next try 08:30" and "no announcements on
// Saturdays". Pure: the instant comes in as an argument.

export interface ZonedParts {
  /** YYYY-MM-DD in the zone. */
  date: string;
  /** HH:MM (24-hour) in the zone. */
  time: string;
  /** 0 = Sunday … 6 = Saturday, in the zone. */
  weekday: number;
  /** Seconds since the zone's midnight. */
  secondsOfDay: number;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
export const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const formats = new Map<string, Intl.DateTimeFormat>();
function formatFor(timeZone: string | undefined): Intl.DateTimeFormat {
  const key = timeZone ?? '';
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      ...(timeZone ? { timeZone } : {}),
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'short',
      hourCycle: 'h23',
    });
    formats.set(key, f);
  }
  return f;
}

/** The date, time and weekday of `at` in `timeZone` (undefined: the system's zone). */
export function zonedParts(at: Date, timeZone?: string): ZonedParts {
  const parts: Record<string, string> = {};
  for (const p of formatFor(timeZone).formatToParts(at)) parts[p.type] = p.value;
  const hour = Number(parts.hour) % 24;
  const minute = Number(parts.minute);
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    time: `${String(hour).padStart(2, '0')}:${parts.minute}`,
    weekday: WEEKDAYS.indexOf(parts.weekday ?? ''),
    secondsOfDay: hour * 3600 + minute * 60 + Number(parts.second),
  };
}

/** YYYY-MM-DD plus `days` (may be negative). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** The weekday (0 = Sunday) of a YYYY-MM-DD date. */
export function weekdayOf(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

/** "07:41" for an instant in the zone, with the date in front when it is not `today`. */
export function clockTime(at: Date, timeZone: string | undefined, today?: string): string {
  const z = zonedParts(at, timeZone);
  return today === undefined || z.date === today ? z.time : `${z.date} ${z.time}`;
}
