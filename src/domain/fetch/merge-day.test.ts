import { describe, expect, it } from 'vitest';
import type { Paper } from '../digest.js';
import { carriedInto, mergePapers, replaceSource } from './merge-day.js';

const paper = (id: string, over: Partial<Paper> = {}): Paper => ({ id, title: `Paper ${id}`, abstract: '', authors: [], keywords: [], categories: [], ...over });

describe('replaceSource', () => {
  it('credits a paper two sources list to both, once, keeping the first listing and filling its gaps', () => {
    const day = replaceSource([], 'hf-daily', [paper('1', { upvotes: 5 }), paper('2')]);
    const both = replaceSource(day, 'arxiv', [paper('2', { authors: ['A. Author'], categories: ['cs.CL'] }), paper('3')]);
    expect(both.map((p) => [p.id, p.sources])).toEqual([
      ['1', ['hf-daily']],
      ['2', ['hf-daily', 'arxiv']],
      ['3', ['arxiv']],
    ]);
    expect(both[1]).toMatchObject({ authors: ['A. Author'], categories: ['cs.CL'] });
  });

  it("replaces a source's part: its papers it no longer lists go, shared ones lose only its credit, the order stays", () => {
    const day = replaceSource(replaceSource([], 'hf-daily', [paper('1'), paper('2')]), 'arxiv', [paper('2'), paper('3')]);
    const again = replaceSource(day, 'hf-daily', [paper('2'), paper('4')]);
    expect(again.map((p) => [p.id, p.sources])).toEqual([
      ['2', ['hf-daily', 'arxiv']],
      ['3', ['arxiv']],
      ['4', ['hf-daily']],
    ]);
    // Fetching the same again changes nothing.
    expect(replaceSource(again, 'hf-daily', [paper('2'), paper('4')])).toEqual(again);
  });

  it('leaves papers without credits (put there by someone else) alone', () => {
    expect(replaceSource([paper('x')], 'arxiv', []).map((p) => p.id)).toEqual(['x']);
  });
});

describe('carriedInto', () => {
  it('takes late papers of earlier days that no started issue carries, once each', () => {
    const records = [
      { date: '2026-12-01', late: [paper('a', { sources: ['arxiv'] }), paper('b', { sources: ['arxiv'] })] },
      { date: '2026-12-02', late: [paper('c', { sources: ['arxiv'] })] },
      { date: '2026-11-30' },
    ];
    expect(carriedInto('2026-12-02', records, (id) => id === 'b').map((p) => p.id)).toEqual(['a']);
    expect(carriedInto('2026-12-03', records, () => false).map((p) => p.id)).toEqual(['a', 'b', 'c']);
  });
  it('merges the same late paper from two days into one', () => {
    expect(mergePapers([paper('a', { sources: ['arxiv'] })], [paper('a', { sources: ['hf-daily'] })])[0]!.sources).toEqual(['arxiv', 'hf-daily']);
  });
});
