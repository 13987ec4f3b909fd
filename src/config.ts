// One schema over config file + environment (+ CLI flags), parsed once at start. Environment wins
// over the file, flags win over both. Nothing else in paperboy reads process.env.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { PaperboyError, formatPath } from './errors.js';

/** paperboy's own templates folder (src/../templates). */
export const SHIPPED_TEMPLATES = fileURLToPath(new URL('../templates', import.meta.url));

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const nonNegInt = z.coerce.number().int().nonnegative();
const bool = z.union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => ['true', '1', 'yes'].includes(v))]);

export const ConfigSchema = z.object({
  /** smtp:// or smtps:// URL with user and password. Unset: mail goes to the outbox folder as .eml files. */
  smtpUrl: z
    .string()
    .regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://')
    .optional(),
  from: z.string().min(3).default('paperboy <paperboy@localhost>'),
  /** Public URL of the web app, used in links in emails. No trailing slash. */
  baseUrl: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL like https://papers.example.org' })
    .default('http://127.0.0.1:8080')
    .transform((u) => u.replace(/\/+$/, '')),
  /** Signs tokens in links. Unset: generated once and kept in <stateDir>/secret. */
  secret: z.string().min(16, 'must be at least 16 characters').optional(),
  digestsDir: z.string().default('./digests'),
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
    .object({
      /** Pooled SMTP connections. */
      connections: positiveInt.default(5),
      /** Messages per second across the whole run; 0 = no limit. */
      rateLimit: nonNegInt.default(0),
      /** Attempts per recipient for temporary failures (4xx, timeouts, dropped connections). */
      maxAttempts: positiveInt.default(5),
      /** First retry delay; doubles each attempt. */
      retryBaseMs: nonNegInt.default(2000),
      /** Consecutive connection failures after which a run stops ("SMTP server unreachable"). */
      maxConnectionFailures: positiveInt.default(5),
      /** Permanent failures (5xx) after which a subscriber is marked bounced. */
      hardBounceLimit: positiveInt.default(2),
      timeoutMs: positiveInt.default(30_000),
    })
    .prefault({}),

  dkim: z
    .object({
      domainName: z.string(),
      keySelector: z.string(),
      /** PEM text or a path to a PEM file. */
      privateKey: z.string(),
    })
    .optional(),

  render: z
    .object({
      maxPapersPerTopic: positiveInt.default(8),
      maxAbstractChars: positiveInt.default(420),
      /** HTML size budget in bytes; sections are trimmed further if a render exceeds it. */
      maxHtmlBytes: positiveInt.default(95_000),
    })
    .prefault({}),

  /** Leave out papers already sent in an earlier issue (trending pages repeat papers for days). */
  skipSentPapers: bool.default(true),

  signup: z
    .object({
      confirmTtlHours: positiveInt.default(48),
      /** Confirmation mails per address. */
      perAddressPer10Min: positiveInt.default(1),
      perAddressPerDay: positiveInt.default(3),
      /** Sign-up requests per IP per hour. */
      perIpPerHour: positiveInt.default(20),
    })
    .prefault({}),
});
export type Config = z.infer<typeof ConfigSchema>;

/** Environment variable → config path. */
export const ENV_MAP: Record<string, string> = {
  PAPERBOY_SMTP_URL: 'smtpUrl',
  PAPERBOY_FROM: 'from',
  PAPERBOY_BASE_URL: 'baseUrl',
  PAPERBOY_SECRET: 'secret',
  PAPERBOY_DIGESTS_DIR: 'digestsDir',
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
  PAPERBOY_SMTP_CONNECTIONS: 'smtp.connections',
  PAPERBOY_RATE_LIMIT: 'smtp.rateLimit',
  PAPERBOY_MAX_ATTEMPTS: 'smtp.maxAttempts',
  PAPERBOY_RETRY_BASE_MS: 'smtp.retryBaseMs',
  PAPERBOY_MAX_CONNECTION_FAILURES: 'smtp.maxConnectionFailures',
  PAPERBOY_HARD_BOUNCE_LIMIT: 'smtp.hardBounceLimit',
  PAPERBOY_SMTP_TIMEOUT_MS: 'smtp.timeoutMs',
  PAPERBOY_DKIM_DOMAIN: 'dkim.domainName',
  PAPERBOY_DKIM_SELECTOR: 'dkim.keySelector',
  PAPERBOY_DKIM_PRIVATE_KEY: 'dkim.privateKey',
  PAPERBOY_MAX_PAPERS_PER_TOPIC: 'render.maxPapersPerTopic',
  PAPERBOY_MAX_ABSTRACT_CHARS: 'render.maxAbstractChars',
  PAPERBOY_MAX_HTML_BYTES: 'render.maxHtmlBytes',
  PAPERBOY_SKIP_SENT_PAPERS: 'skipSentPapers',
  PAPERBOY_CONFIRM_TTL_HOURS: 'signup.confirmTtlHours',
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
    const lines = result.error.issues.map((issue) => {
      const path = formatPath(issue.path);
      const envName = envNameFor(issue.path.join('.'));
      return `  - ${path}${envName ? ` (${envName})` : ''}: ${issue.message}`;
    });
    throw new PaperboyError('CONFIG_INVALID', `Invalid configuration in ${source}:\n${lines.join('\n')}`);
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
