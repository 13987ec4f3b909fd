// `paperboy subscribers list|add|remove|import`: argument parsing and reports; the work is in
// services/subscriber-admin.ts over the file store.
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { loadConfig, type Config } from '../../config.js';
import { PaperboyError } from '../../errors.js';
import { FileSubscriberStore } from '../../adapters/subscriber-store.js';
import { loadTaxonomy } from '../../adapters/taxonomy-file.js';
import { SUBSCRIBER_STATUSES, type Subscriber } from '../../domain/subscriber.js';
import { checkTopics, parseTopicList, topicLabel } from '../../domain/subscriber-ops.js';
import { checkImportRows, readImportRows, rowsNameTopics } from '../../domain/subscriber-import.js';
import { addSubscriber, importSubscribers, unsubscribeOrPurge } from '../../services/subscriber-admin.js';
import type { CliIo } from '../main.js';
import type { RegisterCommand } from './index.js';

interface Context {
  config: Config;
  store: FileSubscriberStore;
  /** Topic ids of the taxonomy, loaded only when a command has topics to check. */
  topicIds: () => Promise<string[]>;
}

function context(program: Command, io: CliIo): Context {
  const file = program.opts<{ config?: string }>().config;
  const config = loadConfig({ file: file ? resolve(io.cwd, file) : undefined, env: io.env });
  const taxonomyPath = resolve(io.cwd, config.taxonomyPath ?? join(config.templatesDir, 'topics.json'));
  return {
    config,
    store: new FileSubscriberStore(resolve(io.cwd, config.subscribersPath)),
    topicIds: async () => (await loadTaxonomy(taxonomyPath, { fieldModel: false })).topics.map((t) => t.id),
  };
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

function summary(subs: Subscriber[]): string {
  const counts = SUBSCRIBER_STATUSES.map((s) => [s, subs.filter((x) => x.status === s).length] as const).filter(([, n]) => n > 0);
  return `${subs.length} subscriber${subs.length === 1 ? '' : 's'}${counts.length ? ` (${counts.map(([s, n]) => `${n} ${s}`).join(', ')})` : ''}\n`;
}

export const register: RegisterCommand = (program, io) => {
  const cmd = program.command('subscribers').description('list, add, remove and import subscribers (the subscribers file)');

  cmd
    .command('list')
    .description('show subscribers')
    .option('--json', 'print JSON (the stored entries)')
    .addOption(new Option('--status <status>', 'only this status').choices(SUBSCRIBER_STATUSES))
    .action(async (opts: { json?: boolean; status?: string }) => {
      const { store } = context(program, io);
      const subs = (await store.list()).filter((s) => !opts.status || s.status === opts.status);
      if (opts.json) {
        io.stdout(`${JSON.stringify(subs, null, 2)}\n`);
        return;
      }
      if (subs.length > 0) {
        const rows = [['EMAIL', 'STATUS', 'TOPICS', 'SINCE', 'NAME']];
        for (const s of subs) rows.push([s.email, s.status, topicLabel(s.topics), s.createdAt.slice(0, 10), s.name ?? '']);
        io.stdout(table(rows));
      }
      io.stdout(summary(subs));
    });

  cmd
    .command('add <email>')
    .description('add an address as active (you vouch for its consent), or re-activate / update it')
    .option('--name <name>', 'name used in the greeting')
    .option('--topics <ids>', 'comma-separated topic ids ("all" = every topic)')
    .action(async (email: string, opts: { name?: string; topics?: string }) => {
      const ctx = context(program, io);
      const topics = topicsOption(opts.topics);
      if (topics && topics.length > 0) checkTopics(topics, await ctx.topicIds(), '--topics');
      const outcome = await addSubscriber(ctx.store, { email, ...(opts.name ? { name: opts.name } : {}), ...(topics ? { topics } : {}) }, new Date());
      const s = outcome.subscriber;
      if (outcome.action === 'added') io.stdout(`Added ${s.email} (active, topics: ${topicLabel(s.topics)}).\n`);
      else if (outcome.action === 'updated') io.stdout(`Updated ${s.email}: ${outcome.changes.join('; ')}.\n`);
      else io.stdout(`${s.email} is ${outcome.reason}; nothing changed.\n`);
    });

  cmd
    .command('remove <email>')
    .description('unsubscribe an address (its consent record is kept); --purge deletes the entry entirely')
    .option('--purge', 'delete the entry and its consent record (erasure request)')
    .action(async (email: string, opts: { purge?: boolean }) => {
      const ctx = context(program, io);
      try {
        const outcome = await unsubscribeOrPurge(ctx.store, email, new Date(), { purge: opts.purge ?? false });
        const addr = outcome.subscriber.email;
        if (outcome.action === 'purged') io.stdout(`Deleted ${addr} and its consent record.\n`);
        else if (outcome.action === 'unsubscribed') io.stdout(`Unsubscribed ${addr} (consent record kept; --purge deletes it).\n`);
        else io.stdout(`${addr} was already unsubscribed${opts.purge ? '' : ' (--purge deletes the entry)'}.\n`);
      } catch (e) {
        if (e instanceof PaperboyError && e.code === 'SUBSCRIBER_NOT_FOUND') {
          throw new PaperboyError(e.code, `${e.message.replace(/\.$/, '')} in ${ctx.store.path}.`, e.details);
        }
        throw e;
      }
    });

  cmd
    .command('import <file>')
    .description('add addresses from CSV (header: email,name,topics) or JSON; imported addresses are active')
    .action(async (file: string) => {
      const ctx = context(program, io);
      const path = resolve(io.cwd, file);
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch {
        throw new PaperboyError('INPUT_INVALID', `Cannot read ${file}: check the path.`, { file });
      }
      const raw = readImportRows(text, file);
      // The taxonomy (in the templates folder) is needed only when the file names topics.
      const parsed = checkImportRows(raw, file, rowsNameTopics(raw) ? await ctx.topicIds() : undefined);
      const report = await importSubscribers(ctx.store, parsed, new Date());
      io.stdout(`Imported ${file} into ${ctx.store.path}: ${report.added.length} added, ${report.updated.length} updated, ${report.skipped.length} skipped.\n`);
      for (const u of report.updated) io.stdout(`  updated  ${u.where}  ${u.email}: ${u.changes.join('; ')}\n`);
      for (const s of report.skipped) io.stdout(`  skipped  ${s.where}  ${s.email}: ${s.reason}\n`);
    });
};
