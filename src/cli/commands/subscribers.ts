// `paperboy subscribers list|add|remove|import|export`: argument parsing and reports; the work is
// in services/subscriber-admin.ts and services/subscriber-import.ts over the database.
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { createApp, type App } from '../../app.js';
import { limitHeapGrowth } from '../../adapters/heap-growth.js';
import { readImportFile } from '../../adapters/import-file.js';
import { loadConfig } from '../../config.js';
import { escapeControls, escapeJsonControls, nameProblem } from '../../domain/names.js';
import { PaperboyError } from '../../errors.js';
import { SUBSCRIBER_STATUSES, type Subscriber, type SubscriberStatus } from '../../domain/subscriber.js';
import { checkTopics, parseTopicList, topicLabel } from '../../domain/subscriber-ops.js';
import { addSubscriber, unsubscribeOrPurge } from '../../services/subscriber-admin.js';
import { importSubscribers } from '../../services/subscriber-import.js';
import type { StoredSubscriber } from '../../services/store-ports.js';
import type { CliIo } from '../main.js';
import type { RegisterCommand } from './index.js';

const PAGE = 1000;

async function withApp<T>(program: Command, io: CliIo, fn: (app: App) => Promise<T>): Promise<T> {
  const file = program.opts<{ config?: string }>().config;
  const config = loadConfig({ file: file ? resolve(io.cwd, file) : undefined, env: io.env });
  // These commands never group papers: the taxonomy's topic ids are enough, without its field model.
  const app = await createApp(config, { cwd: io.cwd, log: (line) => io.stderr(`paperboy: ${line}\n`), fieldModel: false });
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}

/** Every subscriber (of one status), a page at a time. */
async function* allSubscribers(app: App, status?: SubscriberStatus): AsyncGenerator<StoredSubscriber> {
  let afterId = 0;
  for (;;) {
    const page = await app.store.listSubscribers({ ...(status ? { status } : {}), afterId, limit: PAGE });
    yield* page;
    if (page.length < PAGE) return;
    afterId = page[page.length - 1]!.id;
  }
}

/** "--topics all" or an empty value means every topic. */
function topicsOption(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const topics = parseTopicList(value);
  return topics.length === 1 && topics[0] === 'all' ? [] : topics;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  ').trimEnd()).join('\n') + '\n';
}

function summary(counts: Record<SubscriberStatus, number>, only?: SubscriberStatus): string {
  const list = SUBSCRIBER_STATUSES.filter((s) => (!only || s === only) && counts[s] > 0).map((s) => [s, counts[s]] as const);
  const total = list.reduce((n, [, c]) => n + c, 0);
  return `${total} subscriber${total === 1 ? '' : 's'}${list.length ? ` (${list.map(([s, n]) => `${n} ${s}`).join(', ')})` : ''}\n`;
}

/** The stored record as the exchange format has it (subscribers.example.json): no row id. */
function exported(s: StoredSubscriber): Subscriber {
  const { id: _id, ...rest } = s;
  return rest;
}

const CSV_COLUMNS = ['email', 'name', 'topics', 'status', 'created_at', 'confirmed_at', 'unsubscribed_at'] as const;

function csvCell(v: string | undefined): string {
  const s = v ?? '';
  return /[",\r\n]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csvLine(s: Subscriber): string {
  return [s.email, s.name, s.topics.join(' '), s.status, s.createdAt, s.consent.confirmedAt, s.unsubscribedAt].map(csvCell).join(',') + '\r\n';
}

export const register: RegisterCommand = (program, io) => {
  const cmd = program.command('subscribers').description('list, add, remove, import and export subscribers (the database)');

  cmd
    .command('list')
    .description('show subscribers')
    .option('--json', 'print JSON (the stored records)')
    .addOption(new Option('--status <status>', 'only this status').choices(SUBSCRIBER_STATUSES))
    .action(async (opts: { json?: boolean; status?: SubscriberStatus }) =>
      withApp(program, io, async (app) => {
        if (opts.json) {
          const out: Subscriber[] = [];
          for await (const s of allSubscribers(app, opts.status)) out.push(exported(s));
          // Whatever slipped into the stored list (an older version, a restored file) is printed
          // escaped: a name must not be able to retitle, clear or forge lines on the terminal.
          io.stdout(`${escapeJsonControls(JSON.stringify(out, null, 2))}\n`);
          return;
        }
        let rows = [['EMAIL', 'STATUS', 'TOPICS', 'SINCE', 'NAME']];
        let header = true;
        // Printed a page at a time: the list may not fit in memory, and widths need only be tidy per page.
        for await (const s of allSubscribers(app, opts.status)) {
          rows.push([s.email, s.status, topicLabel(s.topics), s.createdAt.slice(0, 10), s.name ?? ''].map(escapeControls));
          if (rows.length > PAGE) {
            io.stdout(table(rows).split('\n').slice(header ? 0 : 1).join('\n'));
            rows = [rows[0]!];
            header = false;
          }
        }
        if (rows.length > 1) io.stdout(table(rows).split('\n').slice(header ? 0 : 1).join('\n'));
        io.stdout(summary(await app.store.countSubscribers(), opts.status));
      }),
    );

  cmd
    .command('add <email>')
    .description('add an address as active (you vouch for its consent), or re-activate / update it')
    .option('--name <name>', 'name used in the greeting')
    .option('--topics <ids>', 'comma-separated topic ids ("all" = every topic)')
    .action(async (email: string, opts: { name?: string; topics?: string }) =>
      withApp(program, io, async (app) => {
        const nameIssue = opts.name === undefined ? undefined : nameProblem(opts.name);
        if (nameIssue) throw new PaperboyError('INPUT_INVALID', `--name ${nameIssue}.`, { field: 'name' });
        const topics = topicsOption(opts.topics);
        if (topics && topics.length > 0) checkTopics(topics, app.taxonomy.topics.map((t) => t.id), '--topics');
        const outcome = await addSubscriber(app.store, { email, ...(opts.name ? { name: opts.name } : {}), ...(topics ? { topics } : {}) }, new Date());
        const s = outcome.subscriber;
        if (outcome.action === 'added') io.stdout(`Added ${s.email} (active, topics: ${topicLabel(s.topics)}).\n`);
        else if (outcome.action === 'updated') io.stdout(`Updated ${s.email}: ${outcome.changes.join('; ')}.\n`);
        else io.stdout(`${s.email} is ${outcome.reason}; nothing changed.\n`);
      }),
    );

  cmd
    .command('remove <email>')
    .description('unsubscribe an address (its consent record is kept); --purge deletes the record and its delivery history')
    .option('--purge', 'delete the record, its consent record and its delivery history (erasure request)')
    .action(async (email: string, opts: { purge?: boolean }) =>
      withApp(program, io, async (app) => {
        const outcome = await unsubscribeOrPurge(app.store, email, new Date(), { purge: opts.purge ?? false });
        const addr = outcome.subscriber.email;
        if (outcome.action === 'purged') io.stdout(`Deleted ${addr}, its consent record and its delivery history.\n`);
        else if (outcome.action === 'unsubscribed') io.stdout(`Unsubscribed ${addr} (consent record kept; --purge deletes it).\n`);
        else io.stdout(`${addr} was already unsubscribed${opts.purge ? '' : ' (--purge deletes the record)'}.\n`);
      }),
    );

  cmd
    .command('import <file>')
    .description('import addresses from CSV (header: email,name,topics[,status]) or JSON (a list, or an export: records are restored as they were)')
    .action(async (file: string) =>
      withApp(program, io, async (app) => {
        // A large file makes garbage a row at a time; keep the heap near what the import holds.
        limitHeapGrowth();
        const path = resolve(io.cwd, file);
        const report = await importSubscribers(app.store, { name: file, rows: () => readImportFile(path, file) }, async () => app.taxonomy.topics.map((t) => t.id), new Date());
        const restored = report.restored ? `${report.restored} restored, ` : '';
        io.stdout(`Imported ${file} into the ${app.store.label}: ${report.added} added, ${restored}${report.updated} updated, ${report.skipped} skipped.\n`);
        for (const u of report.updates) io.stdout(`  updated  ${u.where}  ${u.email}: ${u.changes.join('; ')}\n`);
        if (report.updated > report.updates.length) io.stdout(`  … and ${report.updated - report.updates.length} more updated\n`);
        for (const s of report.skips) io.stdout(`  skipped  ${s.where}  ${s.email}: ${s.reason}\n`);
        if (report.skipped > report.skips.length) io.stdout(`  … and ${report.skipped - report.skips.length} more skipped\n`);
      }),
    );

  cmd
    .command('export')
    .description('write every subscriber to standard output: JSON records (as subscribers.example.json; import restores them) or CSV')
    .addOption(new Option('--format <format>', 'json (the whole records) or csv (for spreadsheets)').choices(['json', 'csv']).default('json'))
    .addOption(new Option('--status <status>', 'only this status').choices(SUBSCRIBER_STATUSES))
    .action(async (opts: { format: 'json' | 'csv'; status?: SubscriberStatus }) =>
      withApp(program, io, async (app) => {
        if (opts.format === 'csv') {
          io.stdout(CSV_COLUMNS.join(',') + '\r\n');
          for await (const s of allSubscribers(app, opts.status)) io.stdout(csvLine(s));
          return;
        }
        io.stdout('{\n  "subscribers": [');
        let first = true;
        for await (const s of allSubscribers(app, opts.status)) {
          io.stdout(`${first ? '\n' : ',\n'}    ${JSON.stringify(exported(s))}`);
          first = false;
        }
        io.stdout(`${first ? '' : '\n  '}]\n}\n`);
      }),
    );
};
