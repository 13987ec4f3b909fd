// arXiv by category: the day's new and cross-listed papers from the listing feed
// (rss.arxiv.org/atom/cs.CL+cs.LG), their full metadata from the API (export.arxiv.org/api/query,
// id_list in batches). Both go through one HttpService, so all of paperboy's requests to arXiv keep
// one gap of 3 s between them, one at a time. API answers are cached for a day (arXiv's results
// change once a day); if the API fails, papers keep the metadata the feed has.
import type { Paper } from '../../domain/digest.js';
import type { SourceOutcome } from '../../domain/fetch/fetch-record.js';
import { WEEKDAY_NAMES, zonedParts } from '../../domain/fetch/zoned-time.js';
import { parseArxivAtom } from '../../domain/parse/arxiv-atom.js';
import { parseArxivListing, type ArxivListing } from '../../domain/parse/arxiv-listing.js';
import { isPaperboyError } from '../../errors.js';
import type { Source, SourceContext } from '../../services/fetch-sources.js';
import { FetchFailed, type HttpAnswer, type HttpCache, type HttpService } from '../http-client.js';
import { answerFacts, failedOutcome } from './outcomes.js';

/** arXiv announces in New York time (Sunday to Thursday evenings; nothing on Saturdays and Sundays). */
export const ARXIV_ZONE = 'America/New_York';
/** Ids per API request. */
export const API_BATCH = 100;
/** API answers for the same ids are served from the cache for this long. */
const API_FRESH_MS = 20 * 3600_000;

export interface ArxivOptions {
  categories: string[];
  /** https://rss.arxiv.org/atom (PAPERBOY_ARXIV_FEED_URL). */
  feedUrl: string;
  /** https://export.arxiv.org/api/query (PAPERBOY_ARXIV_API_URL). */
  apiUrl: string;
  http: HttpService;
  cache?: HttpCache;
}

export class ArxivSource implements Source {
  readonly name = 'arxiv' as const;
  constructor(private readonly o: ArxivOptions) {}

  feedUrlFor(): string {
    return `${this.o.feedUrl.replace(/\/+$/, '')}/${this.o.categories.join('+')}`;
  }

  async fetch(day: string, ctx: SourceContext): Promise<SourceOutcome> {
    const url = this.feedUrlFor();
    let feed: HttpAnswer;
    try {
      feed = await this.o.http.get(url, { accept: 'application/atom+xml', ...(this.o.cache ? { cache: this.o.cache } : {}), force: ctx.force, ...(ctx.signal ? { signal: ctx.signal } : {}) });
    } catch (e) {
      if (e instanceof FetchFailed) return failedOutcome(e, 0);
      throw e;
    }
    const facts = answerFacts(feed);
    let listing: ArxivListing;
    try {
      listing = parseArxivListing(feed.body, url);
    } catch (e) {
      if (!isPaperboyError(e)) throw e;
      return { kind: 'failed', reason: e.message, ...facts };
    }
    await feed.remember();
    const ny = zonedParts(ctx.now, ARXIV_ZONE);
    if (listing.papers.length === 0) {
      if (ny.weekday === 0 || ny.weekday === 6) return { kind: 'none', reason: `no announcements on ${WEEKDAY_NAMES[ny.weekday]}s`, ...facts };
      const skipped = listing.replaced ? ` (${listing.replaced} replacements skipped)` : '';
      return { kind: 'not-yet', reason: `no new announcements in the listing feed for ${ny.date}${skipped} yet (a holiday?)`, ...facts };
    }
    const announced = listing.announced ?? ny.date;
    if (announced > day) {
      return { kind: 'none', reason: `the listing feed only holds the newest announcements (${announced}); those for ${day} can no longer be fetched`, ...facts, announced };
    }
    const other = ctx.usedFor(announced);
    if (other) {
      return { kind: 'not-yet', reason: `the listing feed still holds the announcements of ${announced}, already used for ${other}; new ones come after 20:00 New York time`, ...facts };
    }
    const { papers, bytes, note } = await this.withApiMetadata(listing.papers, ctx);
    return { kind: 'papers', papers, announced, ...facts, bytes: feed.bytes + bytes, ...(note ? { note } : {}) };
  }

  /** The feed's papers with the API's metadata where the API gave it. */
  private async withApiMetadata(feedPapers: Paper[], ctx: SourceContext): Promise<{ papers: Paper[]; bytes: number; note?: string }> {
    const byId = new Map<string, Paper>();
    let bytes = 0;
    const problems: string[] = [];
    for (let i = 0; i < feedPapers.length; i += API_BATCH) {
      const ids = feedPapers.slice(i, i + API_BATCH).map((p) => p.id);
      const url = `${this.o.apiUrl}?id_list=${ids.join(',')}&max_results=${ids.length}`;
      try {
        const a = await this.o.http.get(url, {
          accept: 'application/atom+xml',
          ...(this.o.cache ? { cache: this.o.cache } : {}),
          // Even a forced fetch takes the day's metadata from the cache: it changes once a day.
          freshForMs: API_FRESH_MS,
          ...(ctx.signal ? { signal: ctx.signal } : {}),
        });
        bytes += a.bytes;
        for (const p of parseArxivAtom(a.body, url).papers) byId.set(p.id, p);
        await a.remember();
      } catch (e) {
        if (!(e instanceof FetchFailed) && !isPaperboyError(e)) throw e;
        if (e instanceof FetchFailed) bytes += Number(e.details.bytes ?? 0);
        problems.push(e.message);
      }
    }
    const papers = feedPapers.map((p) => {
      const api = byId.get(p.id);
      // The feed's own categories are the ones asked for; the API's list has the primary one first.
      return api ? { ...api, categories: [...new Set([...api.categories, ...p.categories])] } : p;
    });
    const missing = papers.filter((p) => !byId.has(p.id)).length;
    const note = missing ? `${missing} of ${papers.length} papers keep the listing feed's metadata: ${problems[0] ?? 'the arXiv API did not return them'}` : undefined;
    return { papers, bytes, ...(note ? { note } : {}) };
  }
}
