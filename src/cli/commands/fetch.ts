// `paperboy fetch [source…] [--date YYYY-MM-DD] [--force]`: asks the sources for a day's papers and
// writes the day's digest (digests/<date>.json). A source done for the day is not asked again
// unless --force. Exit 1 when a source failed (its message names the URL and what was wrong).
import { resolve } from 'node:path';
import { createApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { SOURCE_NAMES, isSourceName, type SourceName } from '../../domain/fetch/sources.js';
import { isValidIsoDate } from '../../domain/parse/dates.js';
import { PaperboyError } from '../../errors.js';
import type { FetchReport } from '../../services/fetch-sources.js';
import { ExitCode } from '../main.js';
import type { RegisterCommand } from './index.js';

export function formatFetchReport(r: FetchReport): string {
  const lines = r.sources.map((s) => {
    if (s.action === 'fetched') return s.line;
    const done = s.record?.status === 'ok' || s.record?.status === 'none';
    return `${s.line} (${done ? 'fetched before; --force fetches again' : 'not due yet; --force tries now'})`;
  });
  if (r.written) lines.push(`wrote ${r.written} (${r.papers} paper${r.papers === 1 ? '' : 's'})`);
  return lines.join('\n') + '\n';
}

export const register: RegisterCommand = (program, io) => {
  program
    .command('fetch')
    .description(`fetch a day's papers from the sources (${SOURCE_NAMES.join(', ')}) into the digests folder`)
    .argument('[source...]', 'sources to fetch (default: PAPERBOY_SOURCES)')
    .option('--date <YYYY-MM-DD>', 'the issue day (default: today in PAPERBOY_TZ)')
    .option('--force', 'fetch again even if the day is done or its next try is later')
    .option('--json', 'print the report as JSON')
    .action(async (names: string[], opts: { date?: string; force?: boolean; json?: boolean }) => {
      for (const n of names) {
        if (!isSourceName(n)) throw new PaperboyError('INPUT_INVALID', `"${n}" is not a source: use ${SOURCE_NAMES.join(', ')}.`);
      }
      if (opts.date !== undefined && !isValidIsoDate(opts.date)) {
        throw new PaperboyError('INPUT_INVALID', `--date "${opts.date}" is not a date: write it YYYY-MM-DD, like 2026-12-02.`);
      }
      const file = program.opts<{ config?: string }>().config;
      const config = loadConfig({ file: file ? resolve(io.cwd, file) : undefined, env: io.env });
      const app = await createApp(config, { cwd: io.cwd, log: (line) => io.stderr(`paperboy: ${line}\n`) });
      try {
        const report = await app.fetch({ ...(opts.date ? { date: opts.date } : {}), only: names as SourceName[], ...(opts.force ? { force: true } : {}) });
        io.stdout(opts.json ? JSON.stringify(report, null, 2) + '\n' : formatFetchReport(report));
        if (report.sources.some((s) => s.action === 'fetched' && s.record?.status === 'failed')) throw new ExitCode(1);
      } finally {
        await app.close();
      }
    });
};
