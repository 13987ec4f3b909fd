// Hugging Face Daily Papers (GET /api/daily_papers): `hf-daily` is the day's list
// (?date=YYYY-MM-DD, paged with p and limit until a short page), `hf-trending` the trending list the
// papers page shows (?sort=trending, one page). Answers are parsed with the Hugging Face daily papers
// parser of src/domain/parse; an empty list for a day is "not published yet", not an error.
import type { Paper } from '../../domain/digest.js';
import type { SourceOutcome } from '../../domain/fetch/fetch-record.js';
import { mergePapers } from '../../domain/fetch/merge-day.js';
import { parseHfDaily } from '../../domain/parse/hf-daily.js';
import { isPaperboyError } from '../../errors.js';
import type { Source, SourceContext } from '../../services/fetch-sources.js';
import { FetchFailed, type HttpAnswer, type HttpCache, type HttpService } from '../http-client.js';
import { answerFacts, failedOutcome } from './outcomes.js';

/** The API's largest page. */
const PAGE = 100;
/** A day has had at most a few hundred papers; more pages than this means the paging is broken. */
const MAX_PAGES = 10;

export interface HfOptions {
  /** https://huggingface.co (PAPERBOY_HF_URL). */
  baseUrl: string;
  http: HttpService;
  cache?: HttpCache;
  /** hf-trending: how many papers of the trending list. */
  trendingLimit: number;
}

/** Why an answer is not a list of daily papers, in words. */
function notAList(a: HttpAnswer): string | undefined {
  const start = a.body.trimStart();
  if (start.startsWith('<')) return `an HTML page came back instead of JSON (HTTP ${a.status}, ${a.bytes} bytes)`;
  return undefined;
}

type Page = { papers: Paper[]; items: number };

function parsePage(a: HttpAnswer): Page | string {
  const html = notAList(a);
  if (html) return html;
  let value: unknown;
  try {
    value = JSON.parse(a.body);
  } catch (e) {
    const cut = a.body.length > 0 && /end of (JSON|data)|Unterminated/i.test((e as Error).message);
    return cut ? `the answer is cut off (${a.body.length} bytes of JSON that end too early)` : `not JSON: ${(e as Error).message.slice(0, 120)}`;
  }
  if (!Array.isArray(value)) return `the schema changed: expected a JSON array of papers, got ${value === null ? 'null' : typeof value}`;
  if (value.length === 0) return { papers: [], items: 0 };
  try {
    return { papers: parseHfDaily(value, a.url).papers, items: value.length };
  } catch (e) {
    if (!isPaperboyError(e)) throw e;
    return `the schema changed: ${e.message}`;
  }
}

export class HfPapersSource implements Source {
  constructor(
    readonly name: 'hf-daily' | 'hf-trending',
    private readonly o: HfOptions,
  ) {}

  private url(day: string, page: number): string {
    const base = `${this.o.baseUrl.replace(/\/+$/, '')}/api/daily_papers`;
    return this.name === 'hf-trending' ? `${base}?sort=trending&limit=${this.o.trendingLimit}` : `${base}?date=${day}&limit=${PAGE}&p=${page}`;
  }

  async fetch(day: string, ctx: SourceContext): Promise<SourceOutcome> {
    let papers: Paper[] = [];
    let bytes = 0;
    let first: HttpAnswer | undefined;
    const kept: HttpAnswer[] = [];
    for (let page = 0; page < MAX_PAGES; page++) {
      const url = this.url(day, page);
      let a: HttpAnswer;
      try {
        a = await this.o.http.get(url, { accept: 'application/json', ...(this.o.cache ? { cache: this.o.cache } : {}), force: ctx.force, ...(ctx.signal ? { signal: ctx.signal } : {}) });
      } catch (e) {
        if (!(e instanceof FetchFailed)) throw e;
        return failedOutcome(e, bytes);
      }
      first ??= a;
      bytes += a.bytes;
      const parsed = parsePage(a);
      // Nothing is kept from a day with a bad page: the whole day is fetched again later.
      if (typeof parsed === 'string') return { kind: 'failed', reason: `${url}: ${parsed}`, ...answerFacts(a, bytes) };
      kept.push(a);
      papers = mergePapers(papers, parsed.papers);
      if (this.name === 'hf-trending' || parsed.items < PAGE) break;
    }
    const facts = answerFacts(first!, bytes);
    if (papers.length === 0) {
      const what = this.name === 'hf-trending' ? 'trending papers' : 'papers';
      return { kind: 'not-yet', reason: `0 ${what} for ${day} yet`, ...facts };
    }
    for (const a of kept) await a.remember();
    return { kind: 'papers', papers, ...facts };
  }
}
