// paperboy fetching its own papers, against a real HTTP server on 127.0.0.1 that replays the
// recorded Hugging Face and arXiv answers (test/helpers/source-server.ts) and misbehaves on demand.
// The clock is fake where waiting would make tests slow: its sleep moves time on at once, and the
// server stamps requests with the same clock, so gaps are measured in the time paperboy believes.
import { readFile, stat, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseDigest } from '../../src/domain/parse/index.js';
import { makeFetchFixture, type FetchFixture } from '../helpers/fetch-fixture.js';
import type { ListingItem } from '../helpers/source-server.js';

let fx: FetchFixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

// 2026-08-20 was a Thursday; 06:00 UTC is 02:00 in New York.
const THURSDAY = '2026-08-20T06:00:00Z';
const SATURDAY = '2026-08-22T06:00:00Z';
const FEED: ListingItem[] = [
  { id: '2510.14968', type: 'new' },
  { id: '2510.14827', type: 'cross' },
  { id: '1801.05533', type: 'new' },
  // A new version of an old paper: not news, skipped.
  { id: '0802.2137', type: 'replace' },
];

const readDay = async (f: FetchFixture, date: string) => {
  const path = join(f.dir, 'digests', `${date}.json`);
  return { path, text: await readFile(path, 'utf8') };
};
const gaps = (times: number[]) => times.slice(1).map((t, i) => t - times[i]!);
const arxivRequests = (f: FetchFixture) => f.server.requests.filter((r) => r.path.startsWith('/atom') || r.path.startsWith('/api/query'));

describe('paperboy fetch: two sources, one digest a day', () => {
  it('merges Hugging Face and arXiv into digests/<date>.json, credits each paper, skips replacements, and does not ask again', async () => {
    fx = await makeFetchFixture({ now: THURSDAY });
    fx.server.listing = { items: FEED, announced: '2026-08-20' };
    const report = await fx.app.fetch();
    expect(report.sources.map((s) => [s.source, s.record?.status, s.record?.papers])).toEqual([
      ['hf-daily', 'ok', 15],
      ['arxiv', 'ok', 3],
    ]);
    const { path, text } = await readDay(fx, '2026-08-20');
    expect(report.written).toBe(path);
    // A digest paperboy reads like any other: 15 + 3 papers, each credited.
    const digest = parseDigest(text, { fileName: path, now: fx.clock.now() });
    expect(digest).toMatchObject({ date: '2026-08-20', source: 'paperboy-json' });
    expect(digest.papers).toHaveLength(18);
    expect(digest.papers.filter((p) => p.sources?.[0] === 'arxiv').map((p) => p.id)).toEqual(['2510.14968', '2510.14827', '1801.05533']);
    expect(digest.papers.every((p) => p.sources && p.sources.length === 1)).toBe(true);
    // The arXiv papers carry the API's metadata (real authors, not the feed's dc:creator).
    const rdd = digest.papers.find((p) => p.id === '2510.14968')!;
    expect(rdd.authors).toContain('Mingxuan Yan');
    expect(rdd.categories[0]).toBe('cs.RO');
    expect(JSON.parse(text).papers.some((p: { id: string }) => p.id === '0802.2137')).toBe(false);
    // Every request named paperboy and the operator.
    expect(fx.server.requests.every((r) => /^paperboy\/\d+\.\d+\.\d+ \(.*contact ops@example\.org\)$/.test(String(r.headers['user-agent'])))).toBe(true);

    // Done for the day: an automatic fetch asks nobody.
    const before = fx.server.requests.length;
    const again = await fx.app.fetch();
    expect(again.sources.map((s) => s.action)).toEqual(['skipped', 'skipped']);
    expect(fx.server.requests).toHaveLength(before);

    // --force asks again, conditionally: the server answers 304 and the digest stays the same.
    fx.clock.ms += 60_000;
    const forced = await fx.app.fetch({ only: ['hf-daily'], force: true });
    expect(forced.sources[0]!.record).toMatchObject({ status: 'ok', papers: 15, attempts: 1 });
    const last = fx.server.requests.at(-1)!;
    expect(last.headers['if-none-match']).toMatch(/^"[0-9a-f]{16}"$/);
    expect(last.status).toBe(304);
    expect((await readDay(fx, '2026-08-20')).text).toBe(text);
  });

  it('credits a paper two sources list to both, once', async () => {
    fx = await makeFetchFixture({ now: THURSDAY, sources: 'hf-daily,hf-trending' });
    // The trending list is the recorded 2026-08-14 file; paper 2608.13558 is on both days' lists.
    fx.server.trendingFile = 'hf-daily-2026-08-14.json';
    await fx.app.fetch();
    const { text, path } = await readDay(fx, '2026-08-20');
    const digest = parseDigest(text, { fileName: path, now: fx.clock.now() });
    expect(digest.papers).toHaveLength(15 + 23 - 1);
    expect(digest.papers.filter((p) => p.id === '2608.13558').map((p) => p.sources)).toEqual([['hf-daily', 'hf-trending']]);
    expect(fx.server.requests.map((r) => r.path)).toEqual([
      '/api/daily_papers?date=2026-08-20&limit=100&p=0',
      '/api/daily_papers?sort=trending&limit=50',
    ]);
  });

  it('sends PAPERBOY_HF_TOKEN to Hugging Face only', async () => {
    fx = await makeFetchFixture({ now: THURSDAY, env: { PAPERBOY_HF_TOKEN: 'hf_test_token' } });
    fx.server.listing = { items: FEED, announced: '2026-08-20' };
    await fx.app.fetch();
    const auth = fx.server.requests.map((r) => [r.path.split('?')[0], r.headers.authorization]);
    expect(auth).toEqual([
      ['/api/daily_papers', 'Bearer hf_test_token'],
      ['/atom/cs.RO+math.DG', undefined],
      ['/api/query', undefined],
    ]);
  });

  it('pages the daily list until a short page', async () => {
    fx = await makeFetchFixture({ now: '2025-10-03T09:00:00Z', sources: 'hf-daily' });
    const report = await fx.app.fetch();
    expect(report.sources[0]!.record?.papers).toBe(39);
    expect(fx.server.requests).toHaveLength(1);
  });
});

describe('arXiv pacing: one request every 3 s for all of paperboy', () => {
  it('keeps at least 3 s between the feed and the API requests (fake clock), and caches the API answer for the day', async () => {
    fx = await makeFetchFixture({ now: THURSDAY, sources: 'arxiv,hf-daily' });
    fx.server.listing = { items: FEED, announced: '2026-08-20' };
    await fx.app.fetch();
    // A second forced fetch an hour later: the feed is asked again (conditionally), the API not (cached).
    fx.clock.ms += 3600_000;
    await fx.app.fetch({ only: ['arxiv'], force: true });
    const times = arxivRequests(fx).map((r) => r.at);
    expect(arxivRequests(fx).map((r) => r.path.split('?')[0])).toEqual(['/atom/cs.RO+math.DG', '/api/query', '/atom/cs.RO+math.DG']);
    expect(Math.min(...gaps(times))).toBeGreaterThanOrEqual(3000);
    // The wait before the API request was slept through the injected clock: 3 s exactly.
    expect(fx.clock.slept).toContain(3000);
  });

  it('keeps the gap in real time too (one short check)', { timeout: 20_000 }, async () => {
    fx = await makeFetchFixture({ now: THURSDAY, sources: 'arxiv', realClock: true });
    fx.server.listing = { items: FEED.slice(0, 1), announced: new Date().toISOString().slice(0, 10) };
    const report = await fx.app.fetch();
    expect(report.sources[0]!.record?.status).toBe('ok');
    const times = arxivRequests(fx).map((r) => r.at);
    expect(times).toHaveLength(2);
    expect(gaps(times)[0]).toBeGreaterThanOrEqual(3000);
  });
});

describe('bad answers never hurt what exists', () => {
  const misbehave = async (fault: Parameters<FetchFixture['server']['fail']>[1], times = 3) => {
    fx = await makeFetchFixture({ now: THURSDAY });
    fx.server.listing = { items: FEED, announced: '2026-08-20' };
    await mkdir(join(fx.dir, 'digests'), { recursive: true });
    const path = join(fx.dir, 'digests', '2026-08-20.json');
    await writeFile(path, '{"date": "2026-08-20", "papers": [{"id": "2501.00001", "title": "Already here", "abstract": "", "sources": ["hf-daily"]}]}\n');
    const before = await stat(path);
    fx.server.fail('/api/daily_papers', ...Array(times).fill(fault));
    const report = await fx.app.fetch();
    return { report, path, before, hf: report.sources[0]!, arxiv: report.sources[1]! };
  };

  it('an HTML page instead of JSON: named with the source and URL; the digest keeps its papers; arXiv is still fetched', async () => {
    const { hf, arxiv, path } = await misbehave('html', 1);
    expect(hf.record).toMatchObject({ status: 'failed', httpStatus: 200, papers: 0 });
    expect(hf.line).toMatch(/^Hugging Face: http:\/\/127\.0\.0\.1:\d+\/api\/daily_papers\?date=2026-08-20&limit=100&p=0: an HTML page came back instead of JSON \(HTTP 200, \d+ bytes\), retrying at 06:30$/);
    expect(arxiv.record?.status).toBe('ok');
    // arXiv's papers joined the one already there; nothing of Hugging Face's broken answer did.
    const papers = JSON.parse(await readFile(path, 'utf8')).papers as { id: string }[];
    expect(papers.map((p) => p.id)).toEqual(['2501.00001', '2510.14968', '2510.14827', '1801.05533']);
  });

  it('a changed schema, a truncated body, a cut-off JSON, a stall: each a clear message, nothing written', async () => {
    const cases: [Parameters<FetchFixture['server']['fail']>[1], RegExp][] = [
      ['schema', /the schema changed: expected a JSON array of papers, got object/],
      ['truncate', /the answer was cut off: the connection closed before it was complete \(.+\), 3 tries/],
      ['cut-json', /the answer is cut off \(\d+ bytes of JSON that end too early\)/],
      ['stall', /no complete answer within 2 s, 3 tries/],
    ];
    for (const [fault, message] of cases) {
      const { hf, path, before } = await misbehave(fault);
      expect(hf.record?.status, String(fault)).toBe('failed');
      expect(hf.line, String(fault)).toMatch(message);
      expect(hf.line).toContain('/api/daily_papers?date=2026-08-20');
      // Untouched by Hugging Face: only arXiv's papers were merged in (so the file was rewritten once, by arXiv).
      const papers = JSON.parse(await readFile(path, 'utf8')).papers as { id: string; sources: string[] }[];
      expect(papers.filter((p) => p.sources.includes('hf-daily')).map((p) => p.id)).toEqual(['2501.00001']);
      expect(before.size).toBeGreaterThan(0);
      await fx!.close();
      fx = undefined;
    }
  }, 60_000);

  it('503 twice, then the answer: retried with backoff inside the run', async () => {
    const { hf } = await misbehave({ status: 503 }, 2);
    expect(hf.record).toMatchObject({ status: 'ok', papers: 15, attempts: 1 });
    expect(fx!.server.requests.filter((r) => r.path.startsWith('/api/daily')).map((r) => r.status)).toEqual([503, 503, 200]);
    // Backoff 1 s then 2 s (jitter fixed at 0 by the test's random).
    expect(gaps(fx!.server.requests.filter((r) => r.path.startsWith('/api/daily')).map((r) => r.at))).toEqual([1000, 2000]);
  });

  it('429 with a short Retry-After is waited out; a long one is the next try ("HTTP 429, retrying at 06:02")', async () => {
    const short = await misbehave({ status: 429, retryAfter: '7' }, 1);
    expect(short.hf.record?.status).toBe('ok');
    expect(gaps(fx!.server.requests.filter((r) => r.path.startsWith('/api/daily')).map((r) => r.at))).toEqual([7000]);
    await fx!.close();

    const long = await misbehave({ status: 429, retryAfter: '120' }, 1);
    expect(long.hf.record).toMatchObject({ status: 'failed', httpStatus: 429, nextAttemptAt: '2026-08-20T06:02:00.000Z' });
    expect(long.hf.line).toMatch(/^Hugging Face: HTTP 429 from http:\/\/127\.0\.0\.1:\d+\/api\/daily_papers\?date=2026-08-20&limit=100&p=0, retrying at 06:02$/);
    // Not due before then; due after.
    expect((await fx!.app.fetch({ only: ['hf-daily'] })).sources[0]!.action).toBe('skipped');
    fx!.clock.ms += 121_000;
    expect((await fx!.app.fetch({ only: ['hf-daily'] })).sources[0]!.record?.status).toBe('ok');
  });

  it("Hugging Face's RateLimit header: a used-up window holds the next request until it resets", async () => {
    fx = await makeFetchFixture({ now: THURSDAY, sources: 'hf-daily,hf-trending' });
    fx.server.hfRateLimit = { remaining: 0, resetSeconds: 40 };
    await fx.app.fetch();
    const hf = fx.server.requests.filter((r) => r.path.startsWith('/api/daily'));
    expect(hf).toHaveLength(2);
    expect(gaps(hf.map((r) => r.at))[0]).toBe(40_000);
  });
});

describe('a day a source has not published yet', () => {
  it('Hugging Face: an empty list is "0 papers yet", retried later (bounded), then reported', async () => {
    fx = await makeFetchFixture({ now: '2026-12-02T07:00:00Z', sources: 'hf-daily', env: { PAPERBOY_FETCH_MAX_ATTEMPTS: '3', PAPERBOY_FETCH_RETRY_MINUTES: '90' } });
    const first = await fx.app.fetch();
    expect(first.sources[0]!.line).toBe('Hugging Face: 0 papers for 2026-12-02 yet, next try 08:30');
    expect(first.written).toBeUndefined();
    expect(await fx.app.nextFetchRetry()).toEqual(new Date('2026-12-02T08:30:00Z'));
    fx.clock.ms += 90 * 60_000;
    expect((await fx.app.fetchDue())[0]!.sources[0]!.line).toBe('Hugging Face: 0 papers for 2026-12-02 yet, next try 10:00');
    fx.clock.ms += 90 * 60_000;
    const last = (await fx.app.fetchDue())[0]!.sources[0]!;
    expect(last.line).toBe('Hugging Face: 0 papers for 2026-12-02 after 3 tries');
    expect(last.record).toMatchObject({ status: 'none', attempts: 3 });
    expect(last.record?.nextAttemptAt).toBeUndefined();
    expect(await fx.app.nextFetchRetry()).toBeUndefined();
    // `paperboy sources` says why there is no issue that day.
    const s = await fx.app.sources();
    expect(s.days[0]).toMatchObject({ date: '2026-12-02', lines: ['Hugging Face: 0 papers for 2026-12-02 after 3 tries'] });
    expect(s.days[0]!.digest).toBeUndefined();
  });

  it('arXiv: an empty feed on a Saturday is "no announcements on Saturdays", not an error, and not retried', async () => {
    fx = await makeFetchFixture({ now: SATURDAY, sources: 'arxiv' });
    fx.server.listing = { items: [], announced: '2026-08-22' };
    const r = await fx.app.fetch();
    expect(r.sources[0]!.line).toBe('arXiv: no announcements on Saturdays');
    expect(r.sources[0]!.record).toMatchObject({ status: 'none', httpStatus: 200 });
    expect(r.sources[0]!.record?.nextAttemptAt).toBeUndefined();
  });

  it("arXiv: a feed that still holds yesterday's announcements (already used) is retried, not sent twice", async () => {
    fx = await makeFetchFixture({ now: THURSDAY, sources: 'arxiv' });
    fx.server.listing = { items: FEED, announced: '2026-08-19' };
    await fx.app.fetch({ date: '2026-08-19' });
    const next = await fx.app.fetch();
    expect(next.sources[0]!.record?.status).toBe('waiting');
    expect(next.sources[0]!.line).toBe('arXiv: the listing feed still holds the announcements of 2026-08-19, already used for 2026-08-19; new ones come after 20:00 New York time, next try 06:30');
  });

  it('the arXiv API failing leaves the feed metadata, and says so', async () => {
    fx = await makeFetchFixture({ now: THURSDAY, sources: 'arxiv' });
    fx.server.listing = { items: FEED, announced: '2026-08-20' };
    fx.server.fail('/api/query', { status: 500 }, { status: 500 }, { status: 500 });
    const r = await fx.app.fetch();
    expect(r.sources[0]!.record).toMatchObject({ status: 'ok', papers: 3 });
    expect(r.sources[0]!.line).toMatch(/^arXiv: 3 papers for 2026-08-20; 3 of 3 papers keep the listing feed's metadata: HTTP 500 from http:\/\/127\.0\.0\.1:\d+\/api\/query\?id_list=2510\.14968,2510\.14827,1801\.05533&max_results=3, 3 tries$/);
    const papers = JSON.parse((await readDay(fx, '2026-08-20')).text).papers as { authors: string[] }[];
    expect(papers[0]!.authors).toEqual(['Feed Author', 'Other Author']);
  });
});

describe('a source that comes after the day\'s issue started sending', () => {
  it('never makes a second email: its papers go out with the next day\'s issue', async () => {
    fx = await makeFetchFixture({ now: THURSDAY });
    fx.server.listing = { items: FEED, announced: '2026-08-20' };
    fx.server.fail('/atom', 'html');
    // 07:00: Hugging Face is in, arXiv answered with an error page; the issue goes out with what there is.
    await fx.app.fetch();
    const first = await fx.app.sendPending();
    expect(first.results.map((r) => [r.outcome, r.report?.sent])).toEqual([['completed', 1]]);
    const sentDigest = (await readDay(fx, '2026-08-20')).text;

    // 08:30: arXiv answers. The day's digest is left alone; the papers are kept for the next digest.
    fx.clock.ms += 150 * 60_000;
    const late = await fx.app.fetchDue();
    const arxiv = late.at(-1)!.sources.find((s) => s.source === 'arxiv')!;
    expect(arxiv.record).toMatchObject({ status: 'ok', papers: 3 });
    expect(arxiv.line).toBe('arXiv: 3 papers for 2026-08-20; 3 of them came after the issue of 2026-08-20 had started sending; they go out with the next issue');
    expect((await readDay(fx, '2026-08-20')).text).toBe(sentDigest);
    expect((await fx.app.sendPending()).results.map((r) => r.outcome)).toEqual(['done']);

    // The next morning: the day's digest holds Hugging Face's papers of that day and yesterday's late arXiv ones.
    fx.server.listing = { items: [], announced: '2026-08-21' };
    fx.clock.ms = Date.parse('2026-08-21T06:00:00Z');
    fx.server.dailyFallback = 'hf-daily-2026-08-14.json';
    await fx.app.fetch();
    const next = JSON.parse((await readDay(fx, '2026-08-21')).text).papers as { id: string; sources: string[] }[];
    expect(next.filter((p) => p.sources.includes('arxiv')).map((p) => p.id)).toEqual(['2510.14968', '2510.14827', '1801.05533']);
    const second = await fx.app.sendPending();
    expect(second.results.find((r) => r.file.endsWith('2026-08-21.json'))?.report?.sent).toBe(1);
    // Once an issue carried them, they are not carried again.
    fx.clock.ms = Date.parse('2026-08-22T06:00:00Z');
    await fx.app.fetch({ only: ['hf-daily'] });
    const third = JSON.parse((await readDay(fx, '2026-08-22')).text).papers as { sources: string[] }[];
    expect(third.some((p) => p.sources.includes('arxiv'))).toBe(false);
  });

  it('a digest rewritten after its issue started is not sent again automatically', async () => {
    fx = await makeFetchFixture({ now: THURSDAY, sources: 'hf-daily' });
    await fx.app.fetch();
    expect((await fx.app.sendPending()).results[0]!.report?.sent).toBe(1);
    const { path } = await readDay(fx, '2026-08-20');
    // As if a fetch in another process had raced the send: the file changes under the same name.
    const body = JSON.parse(await readFile(path, 'utf8'));
    body.papers.push({ id: '2501.00009', title: 'Raced in', abstract: '', sources: ['arxiv'] });
    await writeFile(path, JSON.stringify(body));
    const again = await fx.app.sendPending();
    expect(again.results[0]).toMatchObject({ outcome: 'changed' });
    expect(again.results[0]!.message).toMatch(/not sent again automatically \(one issue per file\)/);
  });
});

describe('admin API: GET /admin/sources', () => {
  it('answers what each source gave per day (token required)', async () => {
    const { createHttpApp } = await import('../../src/http/app.js');
    fx = await makeFetchFixture({ now: SATURDAY, env: { PAPERBOY_ADMIN_TOKEN: 'admin-token-0123456789abcdef' } });
    fx.server.listing = { items: [], announced: '2026-08-22' };
    await fx.app.fetch();
    const web = createHttpApp(fx.app);
    expect((await web.request('/admin/sources')).status).toBe(401);
    const r = await web.request('/admin/sources', { headers: { authorization: 'Bearer admin-token-0123456789abcdef' } });
    expect(r.status).toBe(200);
    const body = (await r.json()) as { today: string; configured: string[]; days: { date: string; lines: string[]; records: { source: string; httpStatus: number }[] }[] };
    expect(body).toMatchObject({ today: '2026-08-22', configured: ['hf-daily', 'arxiv'] });
    expect(body.days[0]!.lines).toEqual(['arXiv: no announcements on Saturdays', 'Hugging Face: 0 papers for 2026-08-22 yet, next try 06:30']);
    expect(body.days[0]!.records.map((x) => [x.source, x.httpStatus])).toEqual([['arxiv', 200], ['hf-daily', 200]]);
  });
});
