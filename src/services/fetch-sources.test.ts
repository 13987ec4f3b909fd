// The fetch service over in-memory ports: sources are fakes, the day's digest a map.
import { describe, expect, it } from 'vitest';
import type { Paper } from '../domain/digest.js';
import { FetchRecordSchema, type FetchRecord, type SourceOutcome } from '../domain/fetch/fetch-record.js';
import type { SourceName } from '../domain/fetch/sources.js';
import { PaperboyError } from '../errors.js';
import { fetchDay, sourcesStatus, type DayDigests, type FetchDeps, type FetchLog, type Source } from './fetch-sources.js';

/** The fetch log in memory: the fetch decisions tested here, not the database (store-contract tests that). */
class MemoryFetchLog implements FetchLog {
  private readonly records = new Map<string, FetchRecord>();
  async get(source: SourceName, date: string): Promise<FetchRecord | undefined> {
    const r = this.records.get(`${date} ${source}`);
    return r ? structuredClone(r) : undefined;
  }
  async put(record: FetchRecord): Promise<void> {
    this.records.set(`${record.date} ${record.source}`, structuredClone(FetchRecordSchema.parse(record)));
  }
  async listSince(sinceDate: string): Promise<FetchRecord[]> {
    return [...this.records.values()].filter((r) => r.date >= sinceDate).sort((a, b) => a.date.localeCompare(b.date) || a.source.localeCompare(b.source)).map((r) => structuredClone(r));
  }
}

const paper = (id: string): Paper => ({ id, title: `Paper ${id}`, abstract: '', authors: [], keywords: [], categories: [] });

function deps(sources: Record<string, () => Promise<SourceOutcome>>, metas: { issueId: string; digestPath?: string; paperIds: string[] }[] = []) {
  const files = new Map<string, Paper[]>();
  const digests: DayDigests = {
    pathFor: (d) => `/digests/${d}.json`,
    read: async (d) => (files.has(d) ? { papers: files.get(d)!, issueId: `${d}-x` } : undefined),
    write: async (d, papers) => {
      files.set(d, papers);
      return `/digests/${d}.json`;
    },
  };
  const map = new Map<SourceName, Source>(Object.entries(sources).map(([name, fetch]) => [name as SourceName, { name: name as SourceName, fetch }]));
  const d: FetchDeps = {
    log: new MemoryFetchLog(),
    digests,
    ledger: { listMeta: async () => metas, inProgress: async () => false },
    sources: map,
    defaults: [...map.keys()],
    clock: () => new Date('2026-12-02T07:00:00Z'),
    timeZone: 'UTC',
    policy: { retryMinutes: 30, maxAttempts: 3 },
  };
  return { d, files };
}

describe('fetchDay', () => {
  it('one source failing (even by throwing a PaperboyError) does not stop the others', async () => {
    const { d, files } = deps({
      'hf-daily': async () => {
        throw new PaperboyError('FETCH_FAILED', 'http://hf/api: boom');
      },
      arxiv: async () => ({ kind: 'papers', papers: [paper('1')] }),
    });
    const r = await fetchDay(d, { date: '2026-12-02' });
    expect(r.sources.map((s) => s.line)).toEqual(['Hugging Face: http://hf/api: boom, retrying at 07:30', 'arXiv: 1 paper for 2026-12-02']);
    expect(files.get('2026-12-02')!.map((p) => p.sources)).toEqual([['arxiv']]);
  });

  it('papers of an issue already sent go nowhere; a day whose issue started keeps them for the next digest', async () => {
    const { d, files } = deps({ arxiv: async () => ({ kind: 'papers', papers: [paper('sent'), paper('new')] }) }, [{ issueId: '2026-12-02-aaaa', digestPath: '/digests/2026-12-02.json', paperIds: ['sent'] }]);
    const r = await fetchDay(d, { date: '2026-12-02' });
    expect(files.size).toBe(0);
    expect(r.sources[0]!.record?.late?.map((p) => [p.id, p.sources])).toEqual([['new', ['arxiv']]]);
    await fetchDay(d, { date: '2026-12-03' });
    expect(files.get('2026-12-03')!.map((p) => p.id)).toEqual(['sent', 'new']);
  });

  it('says what to do when no source is configured or one needs its categories', async () => {
    const { d } = deps({});
    await expect(fetchDay(d, { date: '2026-12-02' })).rejects.toThrow(/No sources to fetch: set PAPERBOY_SOURCES/);
    await expect(fetchDay(d, { date: '2026-12-02', only: ['arxiv'] })).rejects.toThrow(/needs its arXiv categories: set PAPERBOY_ARXIV_CATEGORIES/);
  });

  it('sourcesStatus lists today with a line per configured source, fetched or not', async () => {
    const { d } = deps({ arxiv: async () => ({ kind: 'none', reason: 'no announcements on Saturdays' }), 'hf-daily': async () => ({ kind: 'papers', papers: [] }) });
    await fetchDay(d, { date: '2026-12-02', only: ['arxiv'] });
    const s = await sourcesStatus(d, '2026-12-02');
    expect(s.days).toEqual([expect.objectContaining({ date: '2026-12-02', lines: ['arXiv: no announcements on Saturdays', 'Hugging Face: not fetched yet today'] })]);
  });
});
