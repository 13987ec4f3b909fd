// The one composition root: config in, every port built once, services wired over them. The CLI,
// the scheduler and the web server all start here; tests pass in-memory ports through `overrides`.
import { statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { FileArchiveStore, type ArchiveStore } from './adapters/archive-store.js';
import { FileLedger, type Ledger } from './adapters/ledger.js';
import { createMailer, type Mailer } from './adapters/mailer.js';
import { messageFactory } from './adapters/message-factory.js';
import { mjmlCacheDir } from './adapters/mjml-cache-dir.js';
import { loadOrCreateSecret } from './adapters/secret-file.js';
import { FileSubscriberStore, type SubscriberStore } from './adapters/subscriber-store.js';
import { loadTaxonomy } from './adapters/taxonomy-file.js';
import { loadIssueTemplates } from './adapters/template-files.js';
import type { Config } from './config.js';
import type { IssueTemplates } from './domain/render/index.js';
import { useMjmlCache } from './domain/render/mjml.js';
import type { Taxonomy } from './domain/taxonomy.js';
import { VariantCache, prepareIssue } from './services/prepare-issue.js';
import type { SendOptions, SendPorts, SendReport } from './services/send-common.js';
import { webVersion } from './services/send-common.js';
import { sendIssue } from './services/send-issue.js';
import { sendPending, type PendingOptions, type PendingSummary } from './services/send-pending.js';
import { ledgerStatus, type IssueStatus } from './services/send-status.js';
import { PaperboyError } from './errors.js';
import { dayDigestFiles } from './adapters/day-digest-file.js';
import { FileFetchLog } from './adapters/fetch-log-file.js';
import { httpCacheDir } from './adapters/http-cache-dir.js';
import type { HttpDeps } from './adapters/http-client.js';
import { lockIssueFile } from './adapters/issue-lock.js';
import { ensureDir } from './adapters/ensure-dir.js';
import { buildSources } from './adapters/sources/index.js';
import type { SourceName } from './domain/fetch/sources.js';
import { zonedParts } from './domain/fetch/zoned-time.js';
import { fetchDay, fetchDue, nextRetryAt, sourcesStatus, type FetchDeps, type FetchLog, type FetchReport, type SourcesStatus } from './services/fetch-sources.js';

/**
 * What createApp builds, each one replaceable (tests do): the ports of a send, plus the folder that
 * relative paths in config are resolved against (default: process.cwd()).
 */
export type AppPorts = Required<Omit<SendPorts, 'config' | 'storeVersion'>> & {
  cwd: string;
  /** Change probe for the store (see SubscriberWatch); the file store's is built in, undefined = none. */
  storeVersion: (() => Promise<string>) | undefined;
  /** Fetch state per (source, day); default <stateDir>/fetch-log.json. */
  fetchLog: FetchLog;
  /** The HTTP client's clock, sleep and fetch (tests pass a fake clock). */
  http: HttpDeps;
};

export interface App {
  /** With every path made absolute. */
  config: Config;
  secret: string;
  clock: () => Date;
  store: SubscriberStore;
  mailer: Mailer;
  taxonomy: Taxonomy;
  archive: ArchiveStore;
  ledger: Ledger;
  log: (line: string) => void;
  /** Sends one digest file (see SendOptions for test sends, dry runs, resends). */
  sendIssue(digestPath: string, opts?: SendOptions): Promise<SendReport>;
  /** Sends every digest in config.digestsDir that is not fully sent, oldest first. */
  sendPending(opts?: PendingOptions): Promise<PendingSummary>;
  status(issueId?: string): Promise<IssueStatus[]>;
  /** Today's date in the operator's time zone: the issue day fetches are for. */
  today(): string;
  /** Fetches the named (default: configured) sources for a day (default today) into its digest. */
  fetch(opts?: { date?: string; only?: SourceName[]; force?: boolean; signal?: AbortSignal }): Promise<FetchReport>;
  /** Today's due sources and earlier days' due retries (what `paperboy start` runs before a send). */
  fetchDue(signal?: AbortSignal): Promise<FetchReport[]>;
  /** When the next automatic retry is planned, if any. */
  nextFetchRetry(): Promise<Date | undefined>;
  /** What each source gave per day, and why a day has no issue. */
  sources(opts?: { days?: number }): Promise<SourcesStatus>;
  /** The all-topics web version of a digest's issue, as the archive will show it. */
  preview(digestPath: string): Promise<{ issueId: string; subject: string; html: string; text: string }>;
  close(): Promise<void>;
}

/** Config with every path absolute (relative ones are taken from `cwd`), and the taxonomy default applied. */
export function resolveConfigPaths(config: Config, cwd: string): Config {
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(cwd, p));
  const templatesDir = abs(config.templatesDir);
  const out: Config = {
    ...config,
    digestsDir: abs(config.digestsDir),
    subscribersPath: abs(config.subscribersPath),
    stateDir: abs(config.stateDir),
    templatesDir,
    taxonomyPath: config.taxonomyPath ? abs(config.taxonomyPath) : join(templatesDir, 'topics.json'),
  };
  if (config.dkim && !config.dkim.privateKey.includes('-----BEGIN')) out.dkim = { ...config.dkim, privateKey: abs(config.dkim.privateKey) };
  return out;
}

/**
 * inode + mtime + size: an atomic rewrite (new inode) or any edit changes it. Asked before every
 * message, so it is a synchronous stat (a few µs) rather than a round trip through the thread pool.
 */
export function fileVersion(path: string): () => Promise<string> {
  return async () => {
    const s = statSync(path, { throwIfNoEntry: false });
    return s ? `${s.ino}:${s.mtimeMs}:${s.size}` : 'missing';
  };
}

const defaultSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((res) => {
    if (signal?.aborted) return res();
    const done = () => {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      res();
    };
    const t = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });

/** The fetcher's ports, built on first use (most commands never fetch). */
function buildFetchDeps(config: Config, overrides: Partial<AppPorts>, clock: () => Date, ledger: Ledger, log: (line: string) => void): () => FetchDeps {
  let deps: FetchDeps | undefined;
  return () => {
    if (deps) return deps;
    const http: HttpDeps = overrides.http ?? { nowMs: () => clock().getTime(), sleep: overrides.sleep ?? defaultSleep, ...(overrides.random ? { random: overrides.random } : {}) };
    const built = buildSources(config, http, httpCacheDir(join(config.stateDir, 'cache', 'http')));
    const lockFile = join(config.stateDir, 'fetch-log.json');
    deps = {
      log: overrides.fetchLog ?? new FileFetchLog(lockFile),
      digests: dayDigestFiles(config.digestsDir, clock),
      ledger,
      sources: built.sources,
      defaults: config.sources,
      clock,
      ...(config.timezone ? { timeZone: config.timezone } : {}),
      policy: { retryMinutes: config.fetch.retryMinutes, maxAttempts: config.fetch.maxAttempts },
      // One fetch at a time across processes: arXiv's one request every 3 s is for all of paperboy.
      lock: async () => {
        await ensureDir(config.stateDir);
        const held = await lockIssueFile(join(config.stateDir, 'fetch-run'), { wait: true, label: 'fetch' });
        return () => held.release();
      },
      note: log,
    };
    return deps;
  };
}

export async function createApp(rawConfig: Config, overrides: Partial<AppPorts> = {}): Promise<App> {
  const config = resolveConfigPaths(rawConfig, overrides.cwd ?? process.cwd());
  const state = config.stateDir;
  const clock = overrides.clock ?? (() => new Date());
  const log = overrides.log ?? ((line: string) => process.stderr.write(`paperboy: ${line}\n`));
  const fileStore = !overrides.store;
  const store = overrides.store ?? new FileSubscriberStore(config.subscribersPath);
  const storeVersion = 'storeVersion' in overrides ? overrides.storeVersion : fileStore ? fileVersion(config.subscribersPath) : undefined;
  const [secret, taxonomy] = await Promise.all([
    overrides.secret ?? config.secret ?? loadOrCreateSecret(state),
    overrides.taxonomy ?? loadTaxonomy(config.taxonomyPath!),
  ]);
  // Loaded once, on first use: `paperboy status` must work even while a template is being fixed.
  let templates: Promise<IssueTemplates> | undefined = overrides.templates ? Promise.resolve(overrides.templates) : undefined;
  const getTemplates = () => {
    templates ??= loadIssueTemplates(config.templatesDir);
    templates.catch(() => (templates = undefined));
    return templates;
  };
  // Template checks compiled in an earlier run are not compiled again (domain/render/mjml.ts). One
  // cache per process, as there is one MJML worker: the last app built sets it. Entries are keyed by
  // content, so an app that finds another's folder set only shares compiles both would make.
  useMjmlCache(mjmlCacheDir(join(state, 'cache', 'mjml')));
  const ledger = overrides.ledger ?? new FileLedger(join(state, 'ledger'));
  const mailer = overrides.mailer ?? createMailer(config, state);
  const archive = overrides.archive ?? new FileArchiveStore(join(state, 'archive'));
  const factory = overrides.factory ?? messageFactory('splice');
  const today = () => zonedParts(clock(), config.timezone).date;
  const fetchDeps = buildFetchDeps(config, overrides, clock, ledger, log);

  const ports = async (): Promise<SendPorts> => ({
    config,
    secret,
    clock,
    store,
    ...(storeVersion ? { storeVersion } : {}),
    ledger,
    mailer,
    taxonomy,
    templates: await getTemplates(),
    archive,
    factory,
    log,
    sleep: overrides.sleep ?? defaultSleep,
    random: overrides.random ?? Math.random,
  });

  let closed = false;
  return {
    config,
    secret,
    clock,
    store,
    mailer,
    taxonomy,
    archive,
    ledger,
    log,
    sendIssue: async (digestPath, opts) => sendIssue(await ports(), resolve(overrides.cwd ?? process.cwd(), digestPath), opts),
    sendPending: async (opts) => sendPending(await ports(), opts),
    status: (issueId) => ledgerStatus(ledger, issueId),
    today,
    fetch: (o = {}) => fetchDay(fetchDeps(), { date: o.date ?? today(), ...(o.only ? { only: o.only } : {}), ...(o.force ? { force: true } : {}), ...(o.signal ? { signal: o.signal } : {}) }),
    fetchDue: (signal) => fetchDue(fetchDeps(), today(), signal),
    nextFetchRetry: () => nextRetryAt(fetchDeps(), today()),
    sources: (o = {}) => sourcesStatus(fetchDeps(), today(), o.days),
    async preview(digestPath) {
      const p = await ports();
      const prep = await prepareIssue(p, resolve(overrides.cwd ?? process.cwd(), digestPath));
      if (!prep.issue) throw new PaperboyError('INPUT_INVALID', `Every paper of ${digestPath} was sent in an earlier issue: nothing to preview.`);
      const v = await new VariantCache(prep.issue, p).get(null);
      if (!v) throw new PaperboyError('INPUT_INVALID', `${digestPath} has no papers to show.`);
      return { issueId: prep.issueId, subject: v.subject, ...webVersion(p, v, prep.issueId) };
    },
    async close() {
      if (closed) return;
      closed = true;
      await mailer.close();
    },
  };
}
