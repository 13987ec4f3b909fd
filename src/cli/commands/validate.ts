// `paperboy validate <file...>`: parse each digest file and report one line per file; exit 2 if
// any is bad. Reads no config: it only needs the files.
import { resolve } from 'node:path';
import { readDigestFile } from '../../adapters/digest-file.js';
import { isPaperboyError, PaperboyError } from '../../errors.js';
import { ExitCode } from '../main.js';
import type { RegisterCommand } from './index.js';

function parseNow(value: string | undefined): Date {
  if (value === undefined) return new Date();
  const d = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(d.getTime())) {
    throw new PaperboyError('INPUT_INVALID', `--now ${value}: not a date. Write it like 2026-03-14.`);
  }
  return d;
}

export const register: RegisterCommand = (program, io) => {
  program
    .command('validate')
    .description('check digest files: detect each format, report its day and paper count (exit 2 if any is bad)')
    .argument('<file...>', 'digest files: paperboy JSON, Hugging Face daily papers JSON, trending-page text, arXiv Atom')
    .option('--now <date>', 'take this as today when a date has no year (default: today)')
    .action(async (files: string[], opts: { now?: string }) => {
      const now = parseNow(opts.now);
      const width = Math.max(...files.map((f) => f.length));
      let bad = 0;
      for (const file of files) {
        const path = resolve(io.cwd, file);
        try {
          const d = await readDigestFile(path, now);
          const n = d.papers.length;
          io.stdout(`ok   ${file.padEnd(width)}  ${d.source}, ${d.date}, ${n} paper${n === 1 ? '' : 's'}\n`);
        } catch (e) {
          if (!isPaperboyError(e)) throw e;
          bad++;
          // Messages start with the resolved path; show the file as it was typed instead.
          const line = e.message.startsWith(path) ? file + e.message.slice(path.length) : `${file}: ${e.message}`;
          io.stdout(`bad  ${line}\n`);
        }
      }
      if (bad > 0) {
        if (files.length > 1) io.stdout(`${bad} of ${files.length} files are bad\n`);
        throw new ExitCode(2);
      }
    });
};
