// `paperboy status [issue] [--json]`: what the ledger knows — issues, counts per state, failures
// with their SMTP reply, deferred entries with their next try, uncertain entries.
import { resolve } from 'node:path';
import { createApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import type { IssueStatus } from '../../services/send-status.js';
import type { RegisterCommand } from './index.js';
import { formatSources } from './sources.js';

function stateOf(s: IssueStatus): string {
  if (s.inProgress) return `sending now (${s.sender})`;
  if (s.skipped) return 'skipped';
  if (s.finishedAt) return 'finished';
  return s.startedAt ? 'unfinished' : 'not started';
}

export function formatStatus(list: IssueStatus[], detailed: boolean): string {
  if (list.length === 0) return 'No issues sent yet.\n';
  const lines: string[] = [];
  for (const s of list) {
    const c = s.counts;
    lines.push(
      `${s.issueId}  ${stateOf(s)}  sent ${c.sent} · failed ${c.failed} · deferred ${c.deferred} · uncertain ${s.uncertain.length}${s.testSends.sent ? ` · test copies ${s.testSends.sent}` : ''}${s.subject ? `  "${s.subject}"` : ''}`,
    );
    if (s.skipped) lines.push(`  ${s.skipped}`);
    if (!detailed) continue;
    if (s.digestPath) lines.push(`  digest: ${s.digestPath}`);
    if (s.startedAt) lines.push(`  started ${s.startedAt}${s.finishedAt ? `, finished ${s.finishedAt}` : ''}, ${s.runs} run${s.runs === 1 ? '' : 's'}`);
    if (s.deferred.length) {
      lines.push(`  deferred (temporary failures; tried again automatically):`);
      for (const d of s.deferred) lines.push(`    ${d.email}  next try ${d.nextAttemptAt ?? 'now'}, ${d.attempts} attempt${d.attempts === 1 ? '' : 's'} since ${d.since ?? '?'}: ${d.response ?? '(no reply)'}`);
    }
    for (const f of s.failures) lines.push(`  failed ${f.email} after ${f.attempts} attempt${f.attempts === 1 ? '' : 's'}: ${f.response ?? '(no reply)'}`);
    if (s.uncertain.length) {
      lines.push('  uncertain (may or may not have it; `paperboy send <digest> --resend-uncertain` resends):');
      for (const e of s.uncertain) lines.push(`    ${e}`);
    }
  }
  return lines.join('\n') + '\n';
}

export const register: RegisterCommand = (program, io) => {
  program
    .command('status')
    .description('show sent issues: counts per state, failures with the SMTP reply, uncertain entries')
    .argument('[issue]', 'issue id for details (default: all issues, failures included)')
    .option('--json', 'print JSON')
    .action(async (issue: string | undefined, opts: { json?: boolean }) => {
      const file = program.opts<{ config?: string }>().config;
      const config = loadConfig({ file: file ? resolve(io.cwd, file) : undefined, env: io.env });
      const app = await createApp(config, { cwd: io.cwd, log: (line) => io.stderr(`paperboy: ${line}\n`) });
      try {
        const list = await app.status(issue);
        if (issue) {
          io.stdout(opts.json ? JSON.stringify(list[0], null, 2) + '\n' : formatStatus(list, true));
          return;
        }
        // The fetched sources of the last days, so "why no issue today?" has its answer here too.
        const sources = config.sources.length ? await app.sources({ days: 3 }) : undefined;
        if (opts.json) io.stdout(JSON.stringify(sources ? { issues: list, sources } : list, null, 2) + '\n');
        else io.stdout(formatStatus(list, true) + (sources ? `\n${formatSources(sources, config.timezone, false)}` : ''));
      } finally {
        await app.close();
      }
    });
};
