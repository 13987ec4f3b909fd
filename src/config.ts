// One schema over config file + environment (+ CLI flags), parsed once at start. Environment wins
// over the file, flags win over both. Nothing else in paperboy reads process.env.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { parseMailbox } from './domain/mime/headers.js';
import { SOURCE_NAMES } from './domain/fetch/sources.js';
import { PaperboyError, formatPath } from './errors.js';

/** The From a fresh install has: fine for the outbox, refused with a real SMTP server (senderProblem). */
export const BUILTIN_FROM = 'paperboy <paperboy@localhost>';

/** paperboy's own templates folder (src/../templates). */
export const SHIPPED_TEMPLATES = fileURLToPath(new URL('../templates', import.meta.url));

// Each with one message that says what a good value looks like (zod's own, e.g. "expected number,
// received NaN", does not help someone who typed PAPERBOY_PORT=abc).
const PORT = 'must be a port number from 0 to 65535';
const POSITIVE = 'must be a whole number above 0';
const NON_NEG = 'must be a whole number, 0 or more';
const port = z.coerce.number(PORT).int(PORT).min(0, PORT).max(65535, PORT);
const positiveInt = z.coerce.number(POSITIVE).int(POSITIVE).positive(POSITIVE);
const nonNegInt = z.coerce.number(NON_NEG).int(NON_NEG).nonnegative(NON_NEG);
const bool = z.union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => ['true', '1', 'yes'].includes(v))], {
  error: 'must be true or false',
});

/** A list from the environment ("hf-trending,arxiv", "cs.CL cs.LG") or a JSON array in the config file. */
const list = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (typeof v === 'string' ? v.split(/[\s,+]+/).filter(Boolean) : v), z.array(item));
const SOURCES = `must be a list of ${SOURCE_NAMES.join(', ')}`;
const source = z.enum(SOURCE_NAMES, { error: (iss) => `"${String(iss.input)}" is not a source: ${SOURCES.replace('must be a list of', 'use')}` });
const ARXIV_CATEGORY = /^[a-z]+(?:-[a-z]+)*(?:\.[A-Za-z]+(?:-[A-Za-z]+)*)?$/;
const category = z.string().regex(ARXIV_CATEGORY, 'must be arXiv categories such as cs.CL,cs.LG');
const serviceUrl = (example: string) => z.url({ protocol: /^https?$/, error: `must be an http(s) URL like ${example}` }).transform((u) => u.replace(/\/+$/, ''));

// Strict objects: an unknown key in a config file is almost always a typo ("smtpURL"), and ignoring
// it silently would, for example, write mail to the outbox instead of sending it.
const ConfigShape = z.strictObject({
  /** smtp:// or smtps:// URL with user and password. Unset: mail goes to the outbox folder as .eml files. */
  smtpUrl: z
    .string()
    .regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://')
    .optional(),
  from: z
    .string()
    .regex(/[^\s<>@]+@[^\s<>@]+/, 'must be an email address, like "Paper digest <papers@example.org>" or papers@example.org')
    .default(BUILTIN_FROM),
  /** Reply-To of issues and one-off mails: where replies go when the From address takes none. */
  replyTo: z
    .string()
    .regex(/[^\s<>@]+@[^\s<>@]+/, 'must be an email address, like "Editors <editors@example.org>" or editors@example.org')
    .optional(),
  /** The publication's name in every issue's header and footer and on the web pages; default: From's name. */
  publication: z.string().trim().min(1, 'must not be empty').max(80, 'must be at most 80 characters').optional(),
  /** A postal address or other contact line for every issue's footer (anti-spam laws ask for one). */
  postalAddress: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters').optional(),
  /** Public URL of the web app, used in links in emails. No trailing slash. */
  baseUrl: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL like https://papers.example.org' })
    .default('http://127.0.0.1:8080')
    .transform((u) => u.replace(/\/+$/, '')),
  /** Signs tokens in links. Unset: generated once and kept in <stateDir>/secret. */
  secret: z.string().min(16, 'must be at least 16 characters').optional(),
  digestsDir: z.string().default('./digests'),
  /**
   * Where the data lives: unset = the SQLite file <stateDir>/paperboy.db; `postgres://user:pass@host/db`
   * for PostgreSQL (several machines on one database); `sqlite:<path>` for a SQLite file elsewhere.
   */
  databaseUrl: z
    .string()
    .regex(/^(postgres(ql)?:\/\/|sqlite:|[^:]*$)/i, 'must be a postgres:// URL, sqlite:<path> or a file path')
    .optional(),
  /** A subscribers file imported once into an empty database at start (from before the database, or an export). */
  subscribersPath: z.string().default('./subscribers.json'),
  stateDir: z.string().default('./state'),
  /** Default: the templates shipped with paperboy, wherever it is run from. */
  templatesDir: z.string().default(SHIPPED_TEMPLATES),
  /** Taxonomy file; default <templatesDir>/topics.json. */
  taxonomyPath: z.string().optional(),
  schedule: z.string().default('0 7 * * *'),
  timezone: z.string().optional(),
  /** Log lines: "json" (one object per line), "pretty" (HH:MM:SS level event key=value), "auto" = pretty on a terminal. */
  logFormat: z.enum(['auto', 'json', 'pretty']).default('auto'),
  host: z.string().default('127.0.0.1'),
  port: port.default(8080),
  /** Behind a reverse proxy: take the client IP from X-Forwarded-For (rightmost entry) instead of the socket. */
  trustProxy: bool.default(false),
  adminToken: z.string().min(16, 'must be at least 16 characters').optional(),
  listId: z.string().optional(),

  smtp: z
    .strictObject({
      /**
       * Pooled SMTP connections. 10, as listmonk's default (postfix itself delivers to 20 at once per
       * destination): with 5, a 100k send to a local relay took ~30% more CPU per message and ran
       * ~45% slower, the relay idling between replies (docs/performance.md). Lower it for a server
       * that limits concurrent connections.
       */
      connections: positiveInt.default(10),
      /** Messages per second across the whole run; 0 = no limit. */
      rateLimit: nonNegInt.default(0),
      /** First retry delay of a deferred recipient; doubles each attempt, up to an hour. */
      retryBaseMs: nonNegInt.default(2000),
      /** How long a recipient may stay deferred (temporary failures) before it fails for good, as an MTA's queue lifetime. */
      deferredLifetimeHours: positiveInt.default(24),
      /** A run waits in-process for a deferred retry due within this long; later ones are left to later runs and the scheduler. */
      maxRetryWaitMs: nonNegInt.default(60_000),
      /** Recipients failing in a row (nothing accepted between) after which a run stops: the server, not the recipients, is failing. */
      maxFailuresInARow: positiveInt.default(5),
      /** Permanent failures (5xx) after which a subscriber is marked bounced. */
      hardBounceLimit: positiveInt.default(2),
      timeoutMs: positiveInt.default(30_000),
    })
    .prefault({}),

  dkim: z
    .strictObject({
      domainName: z.string(),
      keySelector: z.string(),
      /** PEM text or a path to a PEM file. */
      privateKey: z.string(),
    })
    .optional(),

  render: z
    .strictObject({
      // The byte budget decides how much each paper gets now (docs/decisions/009): a cap would hide papers.
      maxPapersPerTopic: z
        .undefined({ error: 'is no longer used: every paper of a reader\'s topics is in their email, and render.maxHtmlBytes decides how much of each shows. Remove the setting.' })
        .optional(),
      maxAbstractChars: positiveInt.default(420),
      /** HTML size budget in bytes, as sent (quoted-printable); papers are shown more briefly when a render exceeds it. */
      maxHtmlBytes: positiveInt.default(95_000),
    })
    .prefault({}),

  /** Leave out papers already sent in an earlier issue (trending pages repeat papers for days). */
  skipSentPapers: bool.default(true),
  /**
   * Digests dated more than this many days ago are not sent automatically (the scheduler, and
   * `paperboy send` without a file) unless a send of them already started; 0 = no limit.
   * `paperboy send <file>` always sends.
   */
  maxDigestAgeDays: nonNegInt.default(7),

  /** Sources `paperboy start` fetches before each send (and `paperboy fetch` without names). Empty: none, only files dropped in digestsDir. */
  sources: list(source).default([]),

  fetch: z
    .strictObject({
      /** arXiv categories for the `arxiv` source, e.g. ["cs.CL", "cs.LG"]. */
      arxivCategories: list(category).default([]),
      hfUrl: serviceUrl('https://huggingface.co').default('https://huggingface.co'),
      arxivFeedUrl: serviceUrl('https://rss.arxiv.org/atom').default('https://rss.arxiv.org/atom'),
      arxivApiUrl: serviceUrl('https://export.arxiv.org/api/query').default('https://export.arxiv.org/api/query'),
      /** Hugging Face access token (read scope is enough): a higher rate limit than anonymous calls. */
      hfToken: z.string().min(1).optional(),
      /** Named in the User-Agent of every request (arXiv asks for a contact); default: the From address. */
      contact: z.string().regex(/[^\s<>@]+@[^\s<>@]+/, 'must be an email address, like ops@example.org').optional(),
      /** Cron expression for fetching ahead of the send schedule; unset: fetch at each scheduled send. */
      schedule: z.string().optional(),
      /** Minutes between tries for a day a source has not published yet (or a failed fetch). */
      retryMinutes: positiveInt.default(30),
      /** Tries per source and day before paperboy stops and reports the day. */
      maxAttempts: positiveInt.default(6),
      /** Per request, start to last byte. */
      timeoutMs: positiveInt.default(30_000),
      /** Papers taken from the Hugging Face trending list (the API serves at most 100 per page). */
      hfTrendingLimit: positiveInt.max(100, 'must be at most 100').default(50),
    })
    .prefault({}),

  signup: z
    .strictObject({
      confirmTtlHours: positiveInt.default(48),
      /** Sign-up mails (confirmation or already-subscribed) per mailbox: `+tags` and Gmail's dots ignored. */
      perAddressPer10Min: positiveInt.default(1),
      perAddressPerDay: positiveInt.default(3),
      /** Sign-up mails per hour to one domain (googlemail.com counted as gmail.com), and to all. */
      perDomainPerHour: positiveInt.default(50),
      totalPerHour: positiveInt.default(200),
      /** Sign-up requests per IP per hour. */
      perIpPerHour: positiveInt.default(20),
    })
    .prefault({}),
}).superRefine((c, ctx) => {
  if (c.sources.includes('arxiv') && c.fetch.arxivCategories.length === 0) {
    ctx.addIssue({ code: 'custom', path: ['fetch', 'arxivCategories'], message: 'is needed for the arxiv source: list the categories to fetch, e.g. cs.CL,cs.LG' });
  }
});

export const ConfigSchema = ConfigShape.superRefine((c, ctx) => {
  const problem = senderProblem(c);
  if (problem) ctx.addIssue({ code: 'custom', path: ['from'], message: problem });
});
export type Config = z.infer<typeof ConfigSchema>;

/**
 * Why this sender cannot go to a real SMTP server, or undefined. The built-in paperboy@localhost is
 * fine for the outbox, but real servers refuse it or mark it as spam, and replies go nowhere.
 */
export function senderProblem(c: { smtpUrl?: string | undefined; from: string }): string | undefined {
  if (!c.smtpUrl || !/<?paperboy@localhost>?\s*$/i.test(c.from.trim())) return undefined;
  return 'is still the built-in paperboy@localhost, which a real SMTP server (smtpUrl is set) would refuse or mark as spam. Set PAPERBOY_FROM (config "from") to an address of a domain you send for, like "Paper digest <papers@example.org>"';
}

/** The name and contact line issues and pages show: `publication`, else From's display name, else "paperboy". */
export function publicationFor(c: Pick<Config, 'publication' | 'postalAddress' | 'from'>): { name: string; contact?: string } {
  const name = c.publication ?? (parseMailbox(c.from).name?.trim() || 'paperboy');
  return c.postalAddress ? { name, contact: c.postalAddress } : { name };
}

/** Environment variable → config path. */
export const ENV_MAP: Record<string, string> = {
  PAPERBOY_SMTP_URL: 'smtpUrl',
  PAPERBOY_FROM: 'from',
  PAPERBOY_BASE_URL: 'baseUrl',
  PAPERBOY_SECRET: 'secret',
  PAPERBOY_DIGESTS_DIR: 'digestsDir',
  PAPERBOY_DATABASE_URL: 'databaseUrl',
  PAPERBOY_SUBSCRIBERS: 'subscribersPath',
  PAPERBOY_STATE_DIR: 'stateDir',
  PAPERBOY_TEMPLATES_DIR: 'templatesDir',
  PAPERBOY_TAXONOMY: 'taxonomyPath',
  PAPERBOY_SCHEDULE: 'schedule',
  PAPERBOY_TZ: 'timezone',
  PAPERBOY_LOG_FORMAT: 'logFormat',
  PAPERBOY_HOST: 'host',
  PAPERBOY_PORT: 'port',
  PAPERBOY_TRUST_PROXY: 'trustProxy',
  PAPERBOY_ADMIN_TOKEN: 'adminToken',
  PAPERBOY_LIST_ID: 'listId',
  PAPERBOY_REPLY_TO: 'replyTo',
  PAPERBOY_PUBLICATION: 'publication',
  PAPERBOY_POSTAL_ADDRESS: 'postalAddress',
  PAPERBOY_SMTP_CONNECTIONS: 'smtp.connections',
  PAPERBOY_RATE_LIMIT: 'smtp.rateLimit',
  PAPERBOY_RETRY_BASE_MS: 'smtp.retryBaseMs',
  PAPERBOY_DEFERRED_LIFETIME_HOURS: 'smtp.deferredLifetimeHours',
  PAPERBOY_MAX_RETRY_WAIT_MS: 'smtp.maxRetryWaitMs',
  PAPERBOY_MAX_FAILURES_IN_A_ROW: 'smtp.maxFailuresInARow',
  PAPERBOY_HARD_BOUNCE_LIMIT: 'smtp.hardBounceLimit',
  PAPERBOY_SMTP_TIMEOUT_MS: 'smtp.timeoutMs',
  PAPERBOY_DKIM_DOMAIN: 'dkim.domainName',
  PAPERBOY_DKIM_SELECTOR: 'dkim.keySelector',
  PAPERBOY_DKIM_PRIVATE_KEY: 'dkim.privateKey',
  PAPERBOY_MAX_PAPERS_PER_TOPIC: 'render.maxPapersPerTopic',
  PAPERBOY_MAX_ABSTRACT_CHARS: 'render.maxAbstractChars',
  PAPERBOY_MAX_HTML_BYTES: 'render.maxHtmlBytes',
  PAPERBOY_SKIP_SENT_PAPERS: 'skipSentPapers',
  PAPERBOY_MAX_DIGEST_AGE_DAYS: 'maxDigestAgeDays',
  PAPERBOY_CONFIRM_TTL_HOURS: 'signup.confirmTtlHours',
  PAPERBOY_SOURCES: 'sources',
  PAPERBOY_ARXIV_CATEGORIES: 'fetch.arxivCategories',
  PAPERBOY_HF_URL: 'fetch.hfUrl',
  PAPERBOY_ARXIV_FEED_URL: 'fetch.arxivFeedUrl',
  PAPERBOY_ARXIV_API_URL: 'fetch.arxivApiUrl',
  PAPERBOY_HF_TOKEN: 'fetch.hfToken',
  PAPERBOY_CONTACT: 'fetch.contact',
  PAPERBOY_FETCH_SCHEDULE: 'fetch.schedule',
  PAPERBOY_FETCH_RETRY_MINUTES: 'fetch.retryMinutes',
  PAPERBOY_FETCH_MAX_ATTEMPTS: 'fetch.maxAttempts',
  PAPERBOY_FETCH_TIMEOUT_MS: 'fetch.timeoutMs',
  PAPERBOY_HF_TRENDING_LIMIT: 'fetch.hfTrendingLimit',
};

type Obj = Record<string, unknown>;

function setPath(target: Obj, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Obj;
  }
  node[keys[keys.length - 1]!] = value;
}

function deepMerge(a: Obj, b: Obj): Obj {
  const out: Obj = { ...a };
  for (const [k, v] of Object.entries(b)) {
    if (v === undefined) continue;
    const prev = out[k];
    out[k] =
      v && typeof v === 'object' && !Array.isArray(v) && prev && typeof prev === 'object' && !Array.isArray(prev)
        ? deepMerge(prev as Obj, v as Obj)
        : v;
  }
  return out;
}

const envNameFor = (path: string) => Object.entries(ENV_MAP).find(([, p]) => p === path)?.[0];

/** Dotted paths of the leaf values in a (nested) object: {smtp: {connections: 1}} → ["smtp.connections"]. */
function leafPaths(o: Obj, prefix = ''): string[] {
  return Object.entries(o).flatMap(([k, v]) =>
    v && typeof v === 'object' && !Array.isArray(v) ? leafPaths(v as Obj, `${prefix}${k}.`) : v === undefined ? [] : [`${prefix}${k}`],
  );
}

/**
 * Pure: merges file values, environment and flags, validates, and throws CONFIG_INVALID naming every
 * bad setting (by its environment variable where it has one).
 */
export function parseConfig(fileValues: Obj, env: Record<string, string | undefined>, flags: Obj = {}, source = 'config'): Config {
  const fromEnv: Obj = {};
  for (const [name, path] of Object.entries(ENV_MAP)) {
    const v = env[name];
    if (v !== undefined && v !== '') setPath(fromEnv, path, v);
  }
  const merged = deepMerge(deepMerge(fileValues, fromEnv), flags);
  const result = ConfigSchema.safeParse(merged);
  if (!result.success) {
    const fromFlags = new Set(leafPaths(flags));
    const lines = result.error.issues.flatMap((issue) => {
      if (issue.code === 'unrecognized_keys') {
        const prefix = issue.path.length ? `${issue.path.join('.')}.` : '';
        return issue.keys.map((k) => `  - unknown setting "${prefix}${k}": check its spelling against the settings listed in the README`);
      }
      const path = formatPath(issue.path);
      // A list item (sources[1]) came from the list's variable.
      const dotted = issue.path.filter((k) => typeof k !== 'number').join('.');
      // Name where the value came from: a flag wins over the environment, which wins over the file.
      const envName = envNameFor(dotted);
      const origin = fromFlags.has(dotted) ? `--${dotted}` : envName;
      return [`  - ${path}${origin ? ` (${origin})` : ''}: ${issue.message}`];
    });
    const where = fromFlags.size > 0 ? `${source} and command-line flags` : source;
    throw new PaperboyError('CONFIG_INVALID', `Invalid configuration in ${where}:\n${lines.join('\n')}`);
  }
  return result.data;
}

/** Reads the optional JSON config file, then parses everything. */
export function loadConfig(opts: { file?: string; env: Record<string, string | undefined>; flags?: Obj }): Config {
  let fileValues: Obj = {};
  let source = 'environment';
  if (opts.file) {
    const path = resolve(opts.file);
    source = `${opts.file} and environment`;
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      throw new PaperboyError('CONFIG_INVALID', `Config file ${opts.file} cannot be read: check the path given to --config.`);
    }
    try {
      fileValues = JSON.parse(text) as Obj;
    } catch (e) {
      throw new PaperboyError('CONFIG_INVALID', `Config file ${opts.file} is not valid JSON: ${(e as Error).message}`);
    }
    if (typeof fileValues !== 'object' || fileValues === null || Array.isArray(fileValues)) {
      throw new PaperboyError('CONFIG_INVALID', `Config file ${opts.file} must hold a JSON object of settings.`);
    }
  }
  return parseConfig(fileValues, opts.env, opts.flags ?? {}, source);
}
