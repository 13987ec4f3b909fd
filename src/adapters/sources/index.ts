// Builds the configured sources over two polite HTTP services: one for arXiv (feed and API share
// it: at most one request every 3 s, one at a time, for all of paperboy's arXiv requests) and one
// for Hugging Face (its RateLimit headers honoured; our own budget well under its 500 calls per
// 5-minute window for anonymous callers).
import type { Config } from '../../config.js';
import type { SourceName } from '../../domain/fetch/sources.js';
import type { Source } from '../../services/fetch-sources.js';
import { HttpService, type HttpCache, type HttpDeps } from '../http-client.js';
import { ArxivSource } from './arxiv.js';
import { HfPapersSource } from './hf-papers.js';

/** arXiv's terms: no more than one request every three seconds. */
export const ARXIV_GAP_MS = 3_000;
/** Our budget per Hugging Face window (its anonymous limit is 500 per 5 minutes); a day takes a few calls. */
export const HF_WINDOW_QUOTA = 100;
export const HF_WINDOW_MS = 5 * 60_000;

export interface BuiltSources {
  sources: Map<SourceName, Source>;
  arxiv: HttpService;
  hf: HttpService;
}

export function buildSources(config: Config, deps: HttpDeps, cache: HttpCache): BuiltSources {
  const f = config.fetch;
  const contact = f.contact ?? /[^\s<>@]+@[^\s<>@]+/.exec(config.from)?.[0] ?? 'unknown';
  // Retry-After and RateLimit waits up to a minute are waited out in the run; longer ones are retried later.
  const client = { contact, timeoutMs: f.timeoutMs, maxTries: 3, maxWaitMs: 60_000 };
  const arxiv = new HttpService({ label: 'arXiv', minGapMs: ARXIV_GAP_MS }, client, deps);
  const hf = new HttpService(
    {
      label: 'Hugging Face',
      minGapMs: 250,
      windowQuota: HF_WINDOW_QUOTA,
      windowMs: HF_WINDOW_MS,
      rateLimitHeaders: true,
      ...(f.hfToken ? { headers: { Authorization: `Bearer ${f.hfToken}` } } : {}),
    },
    client,
    deps,
  );
  const sources = new Map<SourceName, Source>();
  // Every source that can be built, so `paperboy fetch <name>` works for one not in PAPERBOY_SOURCES too.
  for (const name of ['hf-daily', 'hf-trending'] as const) sources.set(name, new HfPapersSource(name, { baseUrl: f.hfUrl, http: hf, cache, trendingLimit: f.hfTrendingLimit }));
  if (f.arxivCategories.length) sources.set('arxiv', new ArxivSource({ categories: f.arxivCategories, feedUrl: f.arxivFeedUrl, apiUrl: f.arxivApiUrl, http: arxiv, cache }));
  return { sources, arxiv, hf };
}
