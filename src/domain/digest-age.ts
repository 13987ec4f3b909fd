// How old a digest is, for the rule that the scheduler (and `paperboy send` without a file) leaves
// old, never-started digests alone: a folder restored from a backup, or a year of archived digests
// dropped in by mistake, must not go out to every subscriber. An explicit `paperboy send <file>`
// always sends.

const DAY_MS = 86_400_000;

/** Whole days from the digest's date (YYYY-MM-DD) to `now`'s UTC date; negative for a future date. */
export function digestAgeDays(date: string, now: Date): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Math.round((today - Date.UTC(y, m - 1, d)) / DAY_MS);
}

/** True when automatic sending must skip a digest of this date (maxAgeDays 0: no limit). */
export function isTooOld(date: string, now: Date, maxAgeDays: number): boolean {
  return maxAgeDays > 0 && digestAgeDays(date, now) > maxAgeDays;
}
