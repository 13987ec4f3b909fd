// The one composition root: config in, every port built once, services wired over them. The CLI,
// the scheduler and the web server all start here; tests replace ports through `overrides`.
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { ensureDirSync, PRIVATE_DIR_MODE } from './adapters/ensure-dir.js';
import { createMailer, type Mailer } from './adapters/mailer.js';
import { messageFactory } from './adapters/message-factory.js';
import { mjmlCacheDir } from './adapters/mjml-cache-dir.js';
import { readSecretFile } from './adapters/secret-file.js';
import { createSignupLimits, type StoredSignupLimits } from './adapters/signup-limits.js';
import { databaseTarget, openStore, type DatabaseTarget } from './adapters/store/open-store.js';
import { legacyStateFiles } from './adapters/legacy-state-files.js';
import { loadTaxonomy } from './adapters/taxonomy-file.js';
import { loadIssueTemplates } from './adapters/template-files.js';
import type { Config } from './config.js';
import type { IssueTemplates } from './domain/render/index.js';
import { useMjmlCache } from './domain/render/mjml.js';
import type { Taxonomy } from './domain/taxonomy.js';
import { importLegacyState } from './services/legacy-import.js';
import { linkSecret } from './services/link-secret.js';
import { VariantCache, digestWorkInThread, prepareIssue } from './services/prepare-issue.js';
import type { SendOptions, SendPorts, SendReport } from './services/send-common.js';
import { webVersion } from './services/send-common.js';
import { sleep } from './adapters/sleep.js';
import { sendIssue } from './services/send-issue.js';
import { sendPending, type PendingOptions, type PendingSummary } from './services/send-pending.js';
import { issueStatus, type IssueStatus } from './services/send-status.js';
import type { Store } from './services/store-ports.js';
import type { SignupLimits } from './services/web-subscriptions.js';
import { PaperboyError } from './errors.js';
import { dayDigestFiles } from './adapters/day-digest-file.js';
import { httpCacheDir } from './adapters/http-cache-dir.js';
import type { HttpDeps } from './adapters/http-client.js';
import { buildSources } from './adapters/sources/index.js';
import type { SourceName } from './domain/fetch/sources.js';
import { zonedParts } from './domain/fetch/zoned-time.js';
import { fetchDay, fetchDue, nextRetryAt, sourcesStatus, type FetchDeps, type FetchLog, type FetchReport, type SourcesStatus } from './services/fetch-sources.js';
import { acquireLease, isLeaseHeld, issueLeaseName } from './services/issue-lease.js';

/**
 * What createApp builds, each one replaceable (tests do): the ports of a send, plus the folder that
 * relative paths in config are resolved against (default: process.cwd()).
 */
export type AppPorts = Required<Omit<SendPorts, 'config'>> & {
  cwd: string;
  limits: SignupLimits;
  /** The HTTP client's clock, sleep and fetch (tests pass a fake clock). */
  http: HttpDeps;
  /** false: load the taxonomy without its field model (commands that never group papers). */
  fieldModel: boolean;
};

export interface App {
  /** With every path made absolute. */
  config: Config;
  /** Where the data lives (for messages and the start-up line). */
  database: DatabaseTarget;
  secret: string;
  clock: () => Date;
  store: Store;
  mailer: Mailer;
  taxonomy: Taxonomy;
  limits: SignupLimits;
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

/** The fetcher's ports, built on first use (most commands never fetch). */
function fetchDepsFor(config: Config, store: Store, overrides: Partial<AppPorts>, clock: () => Date, log: (line: string) => void): () => FetchDeps {
  let deps: FetchDeps | undefined;
  return () => {
    if (deps) return deps;
    const http: HttpDeps = overrides.http ?? { nowMs: () => clock().getTime(), sleep: overrides.sleep ?? sleep, ...(overrides.random ? { random: overrides.random } : {}) };
    const built = buildSources(config, http, httpCacheDir(join(config.stateDir, 'cache', 'http')));
    const fetchLog: FetchLog = { get: (s, d) => store.getFetchRecord(s, d), put: (r) => store.putFetchRecord(r), listSince: (d) => store.listFetchRecords(d) };
    deps = {
      log: fetchLog,
      digests: dayDigestFiles(config.digestsDir, clock),
      ledger: {
        listMeta: () => store.listIssues(),
        inProgress: (issueId) => isLeaseHeld(store, issueLeaseName(issueId), clock()),
      },
      sources: built.sources,
      defaults: config.sources,
      clock,
      ...(config.timezone ? { timeZone: config.timezone } : {}),
      policy: { retryMinutes: config.fetch.retryMinutes, maxAttempts: config.fetch.maxAttempts },
      // One fetch at a time across processes and machines: arXiv's one request every 3 s is for all of paperboy.
      lock: async () => {
        const held = await acquireLease(store, 'fetch', 'the fetch run', { wait: true, clock });
        return () => held.release();
      },
      note: log,
    };
    return deps;
  };
}

/** The sign-up caps' SQLite file: beside the database, `<name>-limits.db`. */
function limitsPath(dbPath: string): string {
  return join(dirname(dbPath), `${dbPath.replace(/^.*[\\/]/, '').replace(/\.db$/i, '')}-limits.db`);
}

export async function createApp(rawConfig: Config, overrides: Partial<AppPorts> = {}): Promise<App> {
  const cwd = overrides.cwd ?? process.cwd();
  const config = resolveConfigPaths(rawConfig, cwd);
  const state = config.stateDir;
  // Made first, for the owner only, whatever then writes in it (addresses, IPs, mail as sent).
  ensureDirSync(state, { mode: PRIVATE_DIR_MODE });
  const clock = overrides.clock ?? (() => new Date());
  const log = overrides.log ?? ((line: string) => process.stderr.write(`paperboy: ${line}\n`));
  const database = databaseTarget(config.databaseUrl, state, cwd);
  const opened = overrides.store ? undefined : await openStore(database);
  const store = overrides.store ?? opened!.store;
  const closers: (() => Promise<void> | void)[] = [];
  if (opened) closers.push(() => opened.store.close());
  try {
    // An install from before the database: its subscribers file and state files come in once.
    if (opened) await importLegacyState(store, legacyStateFiles(config.subscribersPath, state), clock(), log);
    const [secret, taxonomy] = await Promise.all([
      overrides.secret ?? config.secret ?? linkSecret(store, () => readSecretFile(state)),
      overrides.taxonomy ?? loadTaxonomy(config.taxonomyPath!, { fieldModel: overrides.fieldModel ?? true }),
    ]);
    let limits = overrides.limits;
    if (!limits) {
      const made: StoredSignupLimits = opened?.raw.dialect === 'postgres'
        ? createSignupLimits({ dialect: 'postgres', pool: opened.raw.pool, label: store.label }, config.signup)
        : createSignupLimits({ dialect: 'sqlite', path: limitsPath(database.dialect === 'sqlite' ? database.path : join(state, 'paperboy.db')) }, config.signup);
      closers.unshift(() => made.close());
      limits = made;
    }
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
    const mailer = overrides.mailer ?? createMailer(config, state);
    const factory = overrides.factory ?? messageFactory('splice');
    const digestWork = overrides.digestWork ?? digestWorkInThread;
    const today = () => zonedParts(clock(), config.timezone).date;
    const fetchDeps = fetchDepsFor(config, store, overrides, clock, log);

    const ports = async (): Promise<SendPorts> => ({
      config,
      secret,
      clock,
      store,
      mailer,
      taxonomy,
      templates: await getTemplates(),
      factory,
      log,
      sleep: overrides.sleep ?? sleep,
      random: overrides.random ?? Math.random,
      digestWork,
    });

    let closed = false;
    return {
      config,
      database,
      secret,
      clock,
      store,
      mailer,
      taxonomy,
      limits,
      log,
      sendIssue: async (digestPath, opts) => sendIssue(await ports(), resolve(cwd, digestPath), opts),
      sendPending: async (opts) => sendPending(await ports(), opts),
      status: (issueId) => issueStatus(store, clock(), issueId),
      today,
      fetch: (o = {}) => fetchDay(fetchDeps(), { date: o.date ?? today(), ...(o.only ? { only: o.only } : {}), ...(o.force ? { force: true } : {}), ...(o.signal ? { signal: o.signal } : {}) }),
      fetchDue: (signal) => fetchDue(fetchDeps(), today(), signal),
      nextFetchRetry: () => nextRetryAt(fetchDeps(), today()),
      sources: (o = {}) => sourcesStatus(fetchDeps(), today(), o.days),
      async preview(digestPath) {
        const p = await ports();
        const prep = await prepareIssue(p, resolve(cwd, digestPath));
        if (!prep.issue) throw new PaperboyError('INPUT_INVALID', `Every paper of ${digestPath} was sent in an earlier issue: nothing to preview.`);
        const v = await new VariantCache(prep.issue, p).get(null);
        if (!v) throw new PaperboyError('INPUT_INVALID', `${digestPath} has no papers to show.`);
        return { issueId: prep.issueId, subject: v.subject, ...webVersion(p, v, prep.issueId) };
      },
      async close() {
        if (closed) return;
        closed = true;
        await Promise.all([mailer.close(), digestWork.close?.()]);
        for (const c of closers) await c();
      },
    };
  } catch (e) {
    for (const c of closers) await Promise.resolve(c()).catch(() => undefined);
    throw e;
  }
}
