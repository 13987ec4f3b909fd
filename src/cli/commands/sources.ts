// `paperboy sources [--days N] [--json]`: per day and source the last attempt, what came back
// (papers, bytes, HTTP status), the next attempt, and in one line why a day has no issue.
import { resolve } from 'node:path';
import { createApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { clockTime } from '../../domain/fetch/zoned-time.js';
import { PaperboyError } from '../../errors.js';
import type { SourcesStatus } from '../../services/fetch-sources.js';
import type { RegisterCommand } from './index.js';

/** The sources part of `paperboy sources` and `paperboy status`. */
export function formatSources(s: SourcesStatus, timeZone: string | undefined, detailed: boolean): string {
  const out: string[] = [];
  out.push(s.configured.length ? `sources: ${s.configured.join(', ')}` : 'sources: none configured (PAPERBOY_SOURCES); digests come only from files dropped in the folder');
  for (const day of s.days) {
    if (!detailed && day.records.length === 0 && day.date !== s.today) continue;
    const issue = day.issue ? `issue ${day.issue.issueId} ${day.issue.state}` : day.digest ? `digest ${day.digest}, not sent yet` : 'no issue';
    out.push(`${day.date}${day.date === s.today ? ' (today)' : ''}: ${issue}`);
    for (const line of day.lines) out.push(`  ${line}`);
    if (!detailed) continue;
    for (const r of day.records) {
      const parts = [
        `last try ${clockTime(new Date(r.lastAttemptAt), timeZone, s.today)}`,
        `${r.attempts} tr${r.attempts === 1 ? 'y' : 'ies'}`,
        r.httpStatus !== undefined ? `HTTP ${r.httpStatus}` : undefined,
        `${r.papers} papers`,
        `${r.bytes} bytes`,
        r.nextAttemptAt ? `next try ${clockTime(new Date(r.nextAttemptAt), timeZone, s.today)}` : undefined,
        r.url,
      ].filter(Boolean);
      out.push(`    ${r.source}: ${parts.join(' · ')}`);
    }
  }
  if (s.nextTry) out.push(`next automatic try: ${clockTime(new Date(s.nextTry), timeZone, s.today)}`);
  return out.join('\n') + '\n';
}

export const register: RegisterCommand = (program, io) => {
  program
    .command('sources')
    .description('show what each source gave per day, the next try, and why a day has no issue')
    .option('--days <n>', 'days to show, today included', '7')
    .option('--json', 'print JSON')
    .action(async (opts: { days: string; json?: boolean }) => {
      const days = Number(opts.days);
      if (!Number.isInteger(days) || days < 1) throw new PaperboyError('INPUT_INVALID', `--days "${opts.days}" must be a whole number above 0.`);
      const file = program.opts<{ config?: string }>().config;
      const config = loadConfig({ file: file ? resolve(io.cwd, file) : undefined, env: io.env });
      const app = await createApp(config, { cwd: io.cwd, log: (line) => io.stderr(`paperboy: ${line}\n`) });
      try {
        const s = await app.sources({ days });
        io.stdout(opts.json ? JSON.stringify(s, null, 2) + '\n' : formatSources(s, config.timezone, true));
      } finally {
        await app.close();
      }
    });
};
