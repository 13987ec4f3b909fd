// How often issues come and how big they are, in words for the sign-up page ("every morning at
// 07:00, usually 20–60 papers"). Pure: the schedule and the archive's counts come in.
import cronstrue from 'cronstrue';

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const partOfDay = (h: number) => (h < 12 ? 'morning' : h < 18 ? 'afternoon' : 'evening');

/** "every morning at 07:00", "every weekday morning at 06:30", "every Monday at 09:00", else cronstrue's words. */
export function describeSchedule(cron: string, timezone?: string): string {
  const fields = cron.trim().split(/\s+/);
  const [m, h, dom, mon, dow] = fields.length === 6 ? fields.slice(1) : fields;
  const zone = timezone ? ` (${timezone})` : '';
  if (m !== undefined && h !== undefined && /^\d{1,2}$/.test(m) && /^\d{1,2}$/.test(h) && dom === '*' && mon === '*') {
    const hour = Number(h);
    const at = `at ${String(hour).padStart(2, '0')}:${m.padStart(2, '0')}${zone}`;
    if (dow === '*') return `every ${partOfDay(hour)} ${at}`;
    if (dow === '1-5') return `every weekday ${partOfDay(hour)} ${at}`;
    if (dow !== undefined && /^[0-7]$/.test(dow)) return `every ${DAYS[Number(dow) % 7]} ${at}`;
  }
  try {
    const words = cronstrue.toString(cron, { use24HourTimeFormat: true, throwExceptionOnParseError: true });
    return `${words.charAt(0).toLowerCase()}${words.slice(1)}${zone}`;
  } catch {
    return `on the schedule ${cron}${zone}`;
  }
}

/** "usually 20–60 papers" over the given issues' paper counts (newest first), or undefined without any. */
export function paperRange(counts: readonly number[], recent = 10): string | undefined {
  const last = counts.slice(0, recent).filter((n) => n > 0);
  if (last.length === 0) return undefined;
  const lo = Math.min(...last);
  const hi = Math.max(...last);
  return lo === hi ? `about ${hi} ${hi === 1 ? 'paper' : 'papers'}` : `usually ${lo}–${hi} papers`;
}
