// A real HTTP server on 127.0.0.1 (port 0) that stands in for Hugging Face and arXiv in tests. It
// replays the real recorded answers in ../shared/data/digests: /api/daily_papers?date=D serves
// hf-daily-D.json (paged by p and limit), ?sort=trending the file chosen as trending, and
// /api/query?id_list=… the recorded arXiv API entries with those ids. There is no recorded arXiv
// listing feed, so /atom/<cats> is built here from the recorded API entries (their ids and
// titles), in the shape rss.arxiv.org serves (announce_type new/cross/replace, dc:creator).
// Every request is recorded with the time of a clock the test chooses (a fake one for pacing
// checks). Faults are queued per path: 429 with Retry-After, 503, a stall past the client's
// timeout, a body cut off mid-way, an HTML page instead of JSON, a changed schema.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { REPO_ROOT } from './paperboy-process.js';

export const RECORDED = resolve(REPO_ROOT, '../shared/data/digests');

export type Fault =
  | { status: number; retryAfter?: string; rateLimit?: string }
  /** Headers sent, then nothing (the client's timeout must fire). */
  | 'stall'
  /** Content-Length says the whole body, half of it is sent, the connection closes. */
  | 'truncate'
  /** Half of a JSON body, no Content-Length, connection closed: "complete" but cut. */
  | 'cut-json'
  | 'html'
  /** A JSON object where a list of papers belongs. */
  | 'schema';

export interface ListingItem {
  id: string;
  type: 'new' | 'cross' | 'replace' | 'replace-cross';
}

export interface RecordedRequest {
  at: number;
  path: string;
  headers: IncomingMessage['headers'];
  status?: number;
}

/** The entries of the recorded arXiv API answers, by id without version (text of each <entry>). */
export function recordedArxivEntries(): Map<string, { xml: string; title: string; categories: string[] }> {
  const out = new Map<string, { xml: string; title: string; categories: string[] }>();
  for (const f of ['arxiv-query-cs-ro-2025-10-17.atom.xml', 'arxiv-query-einstein-2018-02-05.atom.xml']) {
    const text = readFileSync(resolve(RECORDED, f), 'utf8');
    for (const m of text.matchAll(/<entry>[\s\S]*?<\/entry>/g)) {
      const xml = m[0];
      const id = /<id>http:\/\/arxiv\.org\/abs\/(.+?)(?:v\d+)?<\/id>/.exec(xml)![1]!;
      const title = /<title>([\s\S]*?)<\/title>/.exec(xml)![1]!.replace(/\s+/g, ' ').trim();
      const categories = [...xml.matchAll(/<category term="([^"]+)"/g)].map((c) => c[1]!);
      out.set(id, { xml, title, categories });
    }
  }
  return out;
}

export interface SourceServer {
  url: string;
  requests: RecordedRequest[];
  /** Queues faults for requests whose path starts with `prefix` (one fault per request, in order). */
  fail(prefix: string, ...faults: Fault[]): void;
  /** The listing feed's items (empty: a weekend feed) and the day they were announced (New York). */
  listing: { items: ListingItem[]; announced: string };
  /** Recorded HF file served for a date the recordings do not have (undefined: an empty list). */
  dailyFallback: string | undefined;
  /** Recorded HF file served as the trending list. */
  trendingFile: string;
  /** Sends `RateLimit: "api";r=<n>;t=<t>` on Hugging Face answers. */
  hfRateLimit: { remaining: number; resetSeconds: number } | undefined;
  close(): Promise<void>;
}

const etagOf = (body: string) => `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`;

function listingFeed(items: ListingItem[], announced: string, cats: string, entries: ReturnType<typeof recordedArxivEntries>): string {
  const published = `${announced}T00:00:00-05:00`;
  const body = items
    .map((it) => {
      const e = entries.get(it.id);
      const title = e?.title ?? `Paper ${it.id}`;
      const categories = (e?.categories ?? ['cs.CL']).map((c) => `<category term="${c}" scheme="http://arxiv.org/schemas/atom"/>`).join('');
      const abstract = (e && /<summary>([\s\S]*?)<\/summary>/.exec(e.xml)?.[1]) ?? 'An abstract.';
      return `  <entry>
    <id>oai:arXiv.org:${it.id}v1</id>
    <title>${title}</title>
    <updated>${published}</updated>
    <link href="https://arxiv.org/abs/${it.id}" rel="alternate" type="text/html"/>
    <summary>arXiv:${it.id}v1 Announce Type: ${it.type}
Abstract: ${abstract.trim()}</summary>
    ${categories}
    <published>${published}</published>
    <arxiv:announce_type>${it.type}</arxiv:announce_type>
    <dc:rights>http://creativecommons.org/licenses/by/4.0/</dc:rights>
    <dc:creator>Feed Author, Other Author</dc:creator>
  </entry>`;
    })
    .join('\n');
  return `<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns="http://www.w3.org/2005/Atom" xml:lang="en-us">
  <id>http://rss.arxiv.org/atom/${cats}</id>
  <title>${cats} updates on arXiv.org</title>
  <updated>${announced}T05:00:00.000Z</updated>
  <link href="http://rss.arxiv.org/atom/${cats}" rel="self" type="application/atom+xml"/>
  <subtitle>${cats} updates on the arXiv.org e-print archive.</subtitle>
${body}
</feed>
`;
}

function apiAnswer(ids: string[], entries: ReturnType<typeof recordedArxivEntries>): string {
  const found = ids.map((id) => entries.get(id)?.xml).filter(Boolean);
  return `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="html">ArXiv Query: id_list=${ids.join(',')}</title>
  <id>http://arxiv.org/api/test</id>
  <updated>2026-12-02T00:00:00-05:00</updated>
  <opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">${found.length}</opensearch:totalResults>
  ${found.join('\n  ')}
</feed>
`;
}

export async function startSourceServer(opts: { clock?: () => number } = {}): Promise<SourceServer> {
  const clock = opts.clock ?? Date.now;
  const entries = recordedArxivEntries();
  const faults: { prefix: string; fault: Fault }[] = [];
  const requests: RecordedRequest[] = [];
  const sockets = new Set<import('node:net').Socket>();

  const state: Omit<SourceServer, 'url' | 'requests' | 'fail' | 'close'> = {
    listing: { items: [], announced: '2026-12-02' },
    dailyFallback: undefined,
    trendingFile: 'hf-daily-2026-08-20.json',
    hfRateLimit: undefined,
  };

  function answer(req: IncomingMessage, res: ServerResponse, rec: RecordedRequest, status: number, type: string, body: string): void {
    const etag = etagOf(body);
    rec.status = status;
    const headers: Record<string, string> = { 'Content-Type': type, ETag: etag };
    if (state.hfRateLimit && rec.path.startsWith('/api/daily_papers')) {
      headers.RateLimit = `"api";r=${state.hfRateLimit.remaining};t=${state.hfRateLimit.resetSeconds}`;
      headers['RateLimit-Policy'] = '"fixed window";"api";q=500;w=300';
    }
    if (status === 200 && req.headers['if-none-match'] === etag) {
      rec.status = 304;
      res.writeHead(304, headers).end();
      return;
    }
    res.writeHead(status, { ...headers, 'Content-Length': String(Buffer.byteLength(body)) }).end(body);
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    const rec: RecordedRequest = { at: clock(), path: url.pathname + url.search, headers: req.headers };
    requests.push(rec);
    const i = faults.findIndex((f) => rec.path.startsWith(f.prefix));
    const fault = i >= 0 ? faults.splice(i, 1)[0]!.fault : undefined;
    if (fault === 'stall') {
      rec.status = 200;
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('[');
      return; // never ends; the client gives up
    }
    if (fault === 'html') return answer(req, res, rec, 200, 'text/html', '<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>');
    if (fault === 'schema') return answer(req, res, rec, 200, 'application/json', JSON.stringify({ papers: [], next: null }));
    if (typeof fault === 'object') {
      rec.status = fault.status;
      const headers: Record<string, string> = { 'Content-Type': 'text/plain' };
      if (fault.retryAfter) headers['Retry-After'] = fault.retryAfter;
      if (fault.rateLimit) headers.RateLimit = fault.rateLimit;
      res.writeHead(fault.status, headers).end(`error ${fault.status}`);
      return;
    }

    let status = 200;
    let type = 'application/json';
    let body: string;
    if (url.pathname === '/api/daily_papers') {
      const limit = Number(url.searchParams.get('limit') ?? 50);
      const page = Number(url.searchParams.get('p') ?? 0);
      const date = url.searchParams.get('date');
      const file = url.searchParams.get('sort') === 'trending' ? state.trendingFile : date ? `hf-daily-${date}.json` : undefined;
      let items: unknown[] = [];
      try {
        items = JSON.parse(readFileSync(resolve(RECORDED, file ?? ''), 'utf8')) as unknown[];
      } catch {
        if (state.dailyFallback) items = JSON.parse(readFileSync(resolve(RECORDED, state.dailyFallback), 'utf8')) as unknown[];
      }
      body = JSON.stringify(items.slice(page * limit, (page + 1) * limit));
    } else if (url.pathname.startsWith('/atom/')) {
      type = 'application/atom+xml';
      body = listingFeed(state.listing.items, state.listing.announced, url.pathname.slice('/atom/'.length), entries);
    } else if (url.pathname === '/api/query') {
      type = 'application/atom+xml';
      body = apiAnswer((url.searchParams.get('id_list') ?? '').split(',').filter(Boolean), entries);
    } else {
      status = 404;
      body = 'not found';
    }
    if (fault === 'truncate') {
      rec.status = 200;
      res.writeHead(200, { 'Content-Type': type, 'Content-Length': String(Buffer.byteLength(body)) });
      res.write(body.slice(0, Math.floor(body.length / 2)));
      res.socket?.destroy();
      return;
    }
    if (fault === 'cut-json') {
      rec.status = 200;
      res.writeHead(200, { 'Content-Type': type, Connection: 'close' });
      res.end(body.slice(0, Math.floor(body.length / 2)));
      return;
    }
    answer(req, res, rec, status, type, body);
  }

  const server: Server = createServer(handle);
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    requests,
    fail(prefix: string, ...fs: Fault[]) {
      for (const fault of fs) faults.push({ prefix, fault });
    },
    close: () =>
      new Promise<void>((done) => {
        for (const s of sockets) s.destroy();
        server.close(() => done());
      }),
  });
}
