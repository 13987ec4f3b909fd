// The one way paperboy talks to other people's servers: Node's fetch with a timeout on every
// request, one request at a time per service with the gap the service asks for, retries with
// backoff on 5xx, 429 and network errors (as told by Retry-After and RateLimit), conditional
// requests from a cache of earlier answers, a User-Agent that names paperboy and its operator, and
// a size cap. Every wait goes through the injected clock and sleep, so tests run on a fake clock.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { rateLimitInfo, retryAfter } from '../domain/fetch/rate-headers.js';
import { endedAt, heldUntil, startedAt, waitBeforeNext, type PaceRules, type PaceState } from '../domain/fetch/request-pacing.js';
import { PaperboyError } from '../errors.js';

/** A stored earlier answer: served while fresh, revalidated with its validators after. */
export interface CachedAnswer {
  url: string;
  storedAtMs: number;
  body: string;
  etag?: string;
  lastModified?: string;
}

/** Earlier answers by URL (<stateDir>/cache/http; safe to delete). */
export interface HttpCache {
  get(url: string): Promise<CachedAnswer | undefined>;
  put(entry: CachedAnswer): Promise<void>;
}

export interface HttpDeps {
  nowMs: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  /** Default: the global fetch. */
  fetch?: typeof fetch;
}

export interface ClientOptions {
  /** The operator's address, put in the User-Agent (arXiv asks for a way to reach whoever runs a client). */
  contact: string;
  /** Per request, headers to last byte. */
  timeoutMs: number;
  /** Tries per request within one fetch run (the first one included). */
  maxTries: number;
  /** The longest paperboy waits in-process for a server's "come back later"; longer ones end the run with a retry time. */
  maxWaitMs: number;
  /** Larger answers are refused. */
  maxBytes?: number;
}

export interface ServiceOptions extends PaceRules {
  /** How messages name the service ("arXiv", "Hugging Face"). */
  label: string;
  /** Headers every request to it carries (Authorization for a token). */
  headers?: Record<string, string>;
  /** Read Hugging Face's RateLimit / RateLimit-Policy headers and hold off when a window is used up. */
  rateLimitHeaders?: boolean;
}

export interface GetOptions {
  accept: string;
  cache?: HttpCache;
  /** Serve a cached answer younger than this without asking (arXiv's results change once a day). */
  freshForMs?: number;
  /** Ask the server even when a cached answer is fresh (validators are still sent). */
  force?: boolean;
  signal?: AbortSignal;
}

export interface HttpAnswer {
  url: string;
  status: number;
  body: string;
  /** Bytes received over the network for this answer (0 when served from the cache without asking). */
  bytes: number;
  /** 'fresh': not asked; 'revalidated': the server said 304. */
  fromCache?: 'fresh' | 'revalidated';
  etag?: string;
  lastModified?: string;
  /** Stores the answer in the cache; call it once the body has been checked, so a bad answer is never revalidated. */
  remember(): Promise<void>;
}

/** A failed request, with what the record needs: the URL, the status if any, when to come back. */
export class FetchFailed extends PaperboyError {
  constructor(message: string, details: { url: string; httpStatus?: number; retryAt?: Date; bytes?: number }) {
    super('FETCH_FAILED', message, details);
  }
  get url(): string {
    return this.details.url as string;
  }
  get httpStatus(): number | undefined {
    return this.details.httpStatus as number | undefined;
  }
  get retryAt(): Date | undefined {
    return this.details.retryAt as Date | undefined;
  }
}

const RETRY_STATUSES = new Set([429, 500, 502, 503, 504]);
const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;

let version: string | undefined;
function paperboyVersion(): string {
  version ??= (JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as { version: string }).version;
  return version;
}

export function userAgent(contact: string): string {
  return `paperboy/${paperboyVersion()} (self-hosted paper digest; contact ${contact})`;
}

/** Why a fetch threw, in words, and whether trying again may help. */
function networkReason(e: unknown, timeoutMs: number): string {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError') return `no complete answer within ${timeoutMs < 1000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1000)} s`}`;
  const code = err.cause?.code;
  if (code === 'UND_ERR_SOCKET') return `the answer was cut off: the connection closed before it was complete (${err.cause?.message ?? code})`;
  if (code) return `network error (${code}${err.cause?.message ? `: ${err.cause.message}` : ''})`;
  return `network error (${err.message ?? String(e)})`;
}

async function readBody(res: Response, maxBytes: number, url: string): Promise<Buffer> {
  if (!res.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new FetchFailed(`${url}: the answer is larger than ${Math.round(maxBytes / 1024 / 1024)} MB, which no listing is; refused`, { url, httpStatus: res.status, bytes: size });
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks);
}

/** One service (arXiv, Hugging Face): its own pace, one request at a time. */
export class HttpService {
  private pace: PaceState = {};
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly opts: ServiceOptions,
    private readonly client: ClientOptions,
    private readonly deps: HttpDeps,
  ) {}

  get label(): string {
    return this.opts.label;
  }

  /** GETs `url`, queued behind this service's other requests. Throws FetchFailed. */
  get(url: string, o: GetOptions): Promise<HttpAnswer> {
    const run = this.queue.then(() => this.getNow(url, o));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async getNow(url: string, o: GetOptions): Promise<HttpAnswer> {
    const cached = await o.cache?.get(url);
    const nowMs = this.deps.nowMs();
    const remember = (entry: CachedAnswer) => async () => {
      await o.cache?.put(entry);
    };
    if (cached && !o.force && o.freshForMs !== undefined && nowMs - cached.storedAtMs < o.freshForMs) {
      return { url, status: 200, body: cached.body, bytes: 0, fromCache: 'fresh', ...validators(cached), remember: async () => {} };
    }
    const headers: Record<string, string> = {
      'User-Agent': userAgent(this.client.contact),
      Accept: o.accept,
      ...this.opts.headers,
    };
    if (cached?.etag) headers['If-None-Match'] = cached.etag;
    if (cached?.lastModified) headers['If-Modified-Since'] = cached.lastModified;
    const maxBytes = this.client.maxBytes ?? DEFAULT_MAX_BYTES;
    let bytes = 0;
    for (let attempt = 1; ; attempt++) {
      await this.waitTurn(url, o.signal);
      this.pace = startedAt(this.pace, this.opts, this.deps.nowMs());
      let res: Response | undefined;
      let body: Buffer;
      try {
        const signal = o.signal ? AbortSignal.any([AbortSignal.timeout(this.client.timeoutMs), o.signal]) : AbortSignal.timeout(this.client.timeoutMs);
        res = await (this.deps.fetch ?? fetch)(url, { headers, signal, redirect: 'follow' });
        body = await readBody(res, maxBytes, url);
      } catch (e) {
        this.pace = endedAt(this.pace, this.deps.nowMs());
        if (o.signal?.aborted) throw e;
        if (e instanceof FetchFailed) throw e;
        const why = networkReason(e, this.client.timeoutMs);
        // Headers came but the body did not: a cut-off answer (the connection closed early, or stalled).
        const reason = res && !why.startsWith('the answer was cut off') ? `HTTP ${res.status} but the answer was cut off: ${why}` : why;
        if (attempt < this.client.maxTries) {
          this.backoff(attempt);
          continue;
        }
        throw new FetchFailed(`${url}: ${reason}, ${attempt} tries`, { url, bytes, ...(res ? { httpStatus: res.status } : {}) });
      }
      this.pace = endedAt(this.pace, this.deps.nowMs());
      bytes += body.length;
      this.readRateLimit(res);
      if (res.status === 304 && cached) {
        const entry = { ...cached, storedAtMs: this.deps.nowMs() };
        return { url, status: 304, body: cached.body, bytes, fromCache: 'revalidated', ...validators(cached), remember: remember(entry) };
      }
      if (res.status >= 200 && res.status < 300) {
        let text: string;
        try {
          text = new TextDecoder('utf-8', { fatal: true }).decode(body);
        } catch {
          throw new FetchFailed(`${url}: the answer is not UTF-8 text`, { url, httpStatus: res.status, bytes });
        }
        const got = { etag: res.headers.get('etag') ?? undefined, lastModified: res.headers.get('last-modified') ?? undefined };
        const entry: CachedAnswer = { url, storedAtMs: this.deps.nowMs(), body: text, ...definedOnly(got) };
        return { url, status: res.status, body: text, bytes, ...definedOnly(got), remember: remember(entry) };
      }
      if (RETRY_STATUSES.has(res.status)) {
        const now = new Date(this.deps.nowMs());
        const rl = this.opts.rateLimitHeaders ? rateLimitInfo(res.headers.get('ratelimit'), res.headers.get('ratelimit-policy')) : {};
        const told = retryAfter(res.headers.get('retry-after'), now) ?? (rl.resetSeconds !== undefined ? new Date(now.getTime() + rl.resetSeconds * 1000) : undefined);
        if (told) this.pace = heldUntil(this.pace, told.getTime());
        else this.backoff(attempt);
        const wait = waitBeforeNext(this.pace, this.opts, this.deps.nowMs());
        if (wait <= this.client.maxWaitMs) {
          if (attempt < this.client.maxTries) continue;
          throw new FetchFailed(`HTTP ${res.status} from ${url}, ${attempt} tries`, { url, httpStatus: res.status, bytes });
        }
        // Longer than paperboy waits in one run: the record says when the server wants to be asked again.
        const retryAt = new Date(this.deps.nowMs() + wait);
        throw new FetchFailed(`HTTP ${res.status} from ${url}`, { url, httpStatus: res.status, retryAt, bytes });
      }
      throw new FetchFailed(`HTTP ${res.status} from ${url}`, { url, httpStatus: res.status, bytes });
    }
  }

  /** Waits for this service's gap, hold and window; a wait longer than maxWaitMs ends the run with its time. */
  private async waitTurn(url: string, signal?: AbortSignal): Promise<void> {
    const wait = waitBeforeNext(this.pace, this.opts, this.deps.nowMs());
    if (wait <= 0) return;
    if (wait > this.client.maxWaitMs) {
      const retryAt = new Date(this.deps.nowMs() + wait);
      throw new FetchFailed(`${this.opts.label} asked paperboy to wait until ${retryAt.toISOString()} before ${url}`, { url, retryAt });
    }
    await this.deps.sleep(wait, signal);
    if (signal?.aborted) throw signal.reason ?? new Error('aborted');
    // A timer may fire a millisecond early: wait out the rest.
    return this.waitTurn(url, signal);
  }

  /** Exponential backoff with jitter, as a hold on the pace (1 s, 2 s, 4 s, … ±20%). */
  private backoff(attempt: number): void {
    const base = 1000 * 2 ** (attempt - 1);
    const jitter = 1 + ((this.deps.random ?? Math.random)() - 0.5) * 0.4;
    this.pace = heldUntil(this.pace, this.deps.nowMs() + Math.round(base * jitter));
  }

  /** A used-up window (r=0) holds every request to the service until it resets. */
  private readRateLimit(res: Response): void {
    if (!this.opts.rateLimitHeaders) return;
    const rl = rateLimitInfo(res.headers.get('ratelimit'), res.headers.get('ratelimit-policy'));
    if (rl.remaining === 0 && rl.resetSeconds !== undefined) this.pace = heldUntil(this.pace, this.deps.nowMs() + rl.resetSeconds * 1000);
  }
}

function validators(c: CachedAnswer): { etag?: string; lastModified?: string } {
  return definedOnly({ etag: c.etag, lastModified: c.lastModified });
}

function definedOnly<T extends Record<string, unknown>>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}
