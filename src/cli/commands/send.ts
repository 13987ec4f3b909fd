// `paperboy send [digest] [--to addr] [--dry-run] [--resend-uncertain] [--wait]`: parsing and
// reporting only; the work is in services/send-issue.ts via createApp. Exit 0 when everyone owed
// the issue has it; 1 when the run stopped early or left anyone failed or deferred.
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type cliProgress from 'cli-progress';
import { createRequire } from 'node:module';
import type { Command } from 'commander';
import { createApp, type App } from '../../app.js';
import { HEAVY_PACKAGES, loadedPackages } from '../../adapters/loaded-packages.js';
import { loadConfig } from '../../config.js';
import { isPaperboyError } from '../../errors.js';
import type { DeliveryProgress } from '../../services/deliver.js';
import type { SendOptions, SendReport } from '../../services/send-common.js';
import type { PendingSummary } from '../../services/send-pending.js';
import { ExitCode, type CliIo } from '../main.js';
import type { RegisterCommand } from './index.js';

interface Flags {
  statsJson?: string;
  to?: string;
  dryRun?: boolean;
  resendUncertain?: boolean;
  wait?: boolean;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function formatReport(r: SendReport): string {
  const lines: string[] = [];
  lines.push(`Issue ${r.issueId}${r.subject ? ` "${r.subject}"` : ''} (${r.digestPath})`);
  if (r.message && r.outcome !== 'stopped') lines.push(`  ${r.message}`);
  if (r.excludedPapers > 0) lines.push(`  ${plural(r.excludedPapers, 'paper')} left out: sent in earlier issues`);
  if (r.outcome === 'skipped') return lines.join('\n') + '\n';
  for (const v of r.variants) {
    lines.push(`  variant ${v.key}: ${plural(v.paperCount, 'paper')}, ${plural(v.recipients, 'recipient')}`);
    const emails = r.recipients?.[v.key];
    if (emails) for (const e of emails) lines.push(`    ${e}`);
  }
  const skipped = Object.entries(r.skipped);
  const skippedTotal = skipped.reduce((n, [, c]) => n + (c ?? 0), 0);
  const skipText = `skipped ${skippedTotal}${skipped.length ? ` (${skipped.map(([k, n]) => `${k} ${n}`).join(', ')})` : ''}`;
  if (r.outcome === 'dry-run') {
    lines.push(`  dry run: would send ${r.planned}; ${skipText}; uncertain ${r.uncertain.length}`);
  } else {
    lines.push(`  sent ${r.sent} · failed ${r.failed} · deferred ${r.deferred} · ${skipText} · uncertain ${r.uncertain.length}${r.pending ? ` · not tried yet ${r.pending}` : ''}`);
    lines.push(`  ${(r.durationMs / 1000).toFixed(1)} s, ${r.perSecond} messages/s`);
  }
  for (const f of r.failures) lines.push(`  failed ${f.email}: ${f.response}`);
  if (r.deferred > 0) lines.push(`  ${plural(r.deferred, 'recipient')} deferred (temporary failures): tried again from ${r.nextAttemptAt ?? 'the next run'} by \`paperboy send\` or \`paperboy start\`; \`paperboy status ${r.issueId}\` lists them`);
  if (r.uncertain.length > 0) {
    lines.push('  uncertain (a run died while handing these to SMTP; not resent — check, then use --resend-uncertain to resend):');
    for (const e of r.uncertain) lines.push(`    ${e}`);
  }
  if (r.outcome === 'aborted') lines.push('  stopped on request; run `paperboy send` again to resume');
  return lines.join('\n') + '\n';
}

function formatPending(s: PendingSummary): string {
  if (s.results.length === 0) return 'No digests to send.\n';
  return s.results
    .map((r) => (r.report && r.outcome !== 'done' ? formatReport(r.report) : `${r.file}: ${r.outcome}${r.message ? ` — ${r.message}` : ''}\n`))
    .join('');
}

/** A progress bar on stderr when it is a terminal. */
function progressBar(io: CliIo): Pick<SendOptions, 'onStart' | 'onProgress'> & { stop(): void } {
  if (!io.isTTY || !process.stderr.isTTY) return { stop() {} };
  // Only a terminal shows the bar: scripts and cron runs never load the package.
  const cliProgress = createRequire(import.meta.url)('cli-progress') as typeof import('cli-progress');
  let bar: cliProgress.SingleBar | undefined;
  return {
    onStart({ issueId, recipients }) {
      bar?.stop();
      bar = new cliProgress.SingleBar(
        { stream: process.stderr, format: `${issueId} [{bar}] {value}/{total} sent {sent} failed {failed} | {eta_formatted} left`, hideCursor: true },
        cliProgress.Presets.shades_classic,
      );
      bar.start(recipients, 0, { sent: 0, failed: 0 });
    },
    onProgress(p: DeliveryProgress) {
      bar?.update(p.done, { sent: p.sent, failed: p.failed });
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}

async function run(program: Command, io: CliIo, digest: string | undefined, flags: Flags): Promise<void> {
  const file = program.opts<{ config?: string }>().config;
  const config = loadConfig({ file: file ? resolve(io.cwd, file) : undefined, env: io.env });
  const app: App = await createApp(config, { cwd: io.cwd, log: (line) => io.stderr(`paperboy: ${line}\n`) });
  const ac = new AbortController();
  const onSignal = () => {
    if (!ac.signal.aborted) io.stderr('\npaperboy: stopping — no new messages; waiting for those in flight…\n');
    ac.abort();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  const bar = flags.dryRun || flags.to ? { stop() {} } : progressBar(io);
  try {
    const opts: SendOptions = {
      signal: ac.signal,
      ...(flags.to ? { to: flags.to } : {}),
      ...(flags.dryRun ? { dryRun: true } : {}),
      ...(flags.resendUncertain ? { resendUncertain: true } : {}),
      ...(flags.wait ? { wait: true } : {}),
      ...('onStart' in bar ? { onStart: bar.onStart, onProgress: bar.onProgress } : {}),
    };
    if (!digest) {
      if (flags.to || flags.dryRun) throw new ExitCodeMessage('--to and --dry-run need a digest file.');
      const summary = await app.sendPending(opts);
      bar.stop();
      io.stdout(formatPending(summary));
      if (summary.stopped) throw summary.stopped;
      if (summary.results.some((r) => r.outcome === 'aborted' || (r.report && (r.report.failed > 0 || r.report.deferred > 0)))) throw new ExitCode(1);
      return;
    }
    const report = await app.sendIssue(digest, opts);
    bar.stop();
    io.stdout(formatReport(report));
    if (flags.statsJson) await writeStats(resolve(io.cwd, flags.statsJson), report);
    // Anyone left failed or deferred is worth a look: scripts and cron see it in the exit code.
    if (report.outcome === 'aborted' || (report.outcome === 'test' && report.sent === 0) || report.failed > 0 || report.deferred > 0) throw new ExitCode(1);
  } catch (e) {
    bar.stop();
    if (e instanceof ExitCodeMessage) {
      io.stderr(`paperboy: ${e.message}\n`);
      throw new ExitCode(2);
    }
    // A run that stopped early still says what it did before the reason (printed by main).
    if (isPaperboyError(e) && e.details.report) io.stdout(formatReport(e.details.report as SendReport));
    throw e;
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    await app.close();
  }
}

class ExitCodeMessage extends Error {}

/** Machine-readable run figures for scripts/bench.ts. */
async function writeStats(path: string, r: SendReport): Promise<void> {
  const stats = { sent: r.sent, failed: r.failed, variants: r.variants.length, renderMs: r.stats?.renderMs, deliverMs: r.stats?.deliverMs, bytes: r.stats?.bytes, timeline: r.stats?.timeline, maxRssKb: Math.round(process.resourceUsage().maxRSS), heavyModules: loadedPackages(HEAVY_PACKAGES) };
  await writeFile(path, JSON.stringify(stats, null, 2) + '\n');
}

export const register: RegisterCommand = (program, io) => {
  program
    .command('send')
    .description('send a digest to its subscribers (without a digest: every digest in the digests folder not fully sent)')
    .argument('[digest]', 'digest file')
    .option('--to <email>', 'send one test copy to this address (recorded separately; marks nobody sent)')
    .option('--dry-run', 'render and plan only: variants, recipients per variant, skipped')
    .option('--resend-uncertain', 'also resend entries a crashed run left uncertain (they may get it twice)')
    .option('--wait', 'if another process is sending this issue, wait for it instead of failing')
    .option('--stats-json <file>', 'write run figures (sent, variants, render and delivery time, bytes) as JSON, for benchmarks')
    .action(async (digest: string | undefined, flags: Flags) => run(program, io, digest, flags));
};
