// Calendar dates as YYYY-MM-DD strings, checked for real (2026-02-30 is refused).

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isoDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

export function isValidIsoDate(s: string): boolean {
  const m = ISO_DATE.exec(s);
  return m !== null && isRealDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** The date part of an ISO timestamp as written (its own offset, not converted to UTC), if real. */
export function datePart(timestamp: string | null | undefined): string | undefined {
  const d = timestamp?.trim().slice(0, 10);
  return d && isValidIsoDate(d) ? d : undefined;
}

/** A YYYY-MM-DD found in the base name of a file (hf-daily-2024-06-28.json), if real. */
export function dateFromFileName(fileName: string): string | undefined {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  for (const m of base.matchAll(/(?<!\d)(\d{4}-\d{2}-\d{2})(?!\d)/g)) {
    if (m[1] && isValidIsoDate(m[1])) return m[1];
  }
  return undefined;
}

/** The UTC calendar date of an instant. */
export function utcDate(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** The latest of some YYYY-MM-DD dates (they sort as strings). */
export function latest(dates: ReadonlyArray<string | undefined>): string | undefined {
  let best: string | undefined;
  for (const d of dates) if (d !== undefined && (best === undefined || d > best)) best = d;
  return best;
}
