import { describe, expect, it } from 'vitest';
import type { Digest } from './digest.js';
import { selectPapers } from './select-papers.js';

const paper = (id: string) => ({ id, title: `T${id}`, abstract: '', authors: [], keywords: [], categories: [] });
const digest: Digest = { date: '2026-03-15', source: 'paperboy-json', papers: [paper('a'), paper('b'), paper('c')] };
const started = '2026-03-14T07:00:00.000Z';

describe('selectPapers', () => {
  it('leaves out papers an earlier issue delivered, naming that issue', () => {
    const s = selectPapers(digest, undefined, new Map([['b', 'old']]), { skipSentPapers: true });
    expect(s.papers.map((p) => p.id)).toEqual(['a', 'c']);
    expect(s.excluded).toEqual([{ paperId: 'b', issueId: 'old' }]);
  });

  it('keeps everything when skipping is off', () => {
    expect(selectPapers(digest, undefined, new Map([['b', 'old']]), { skipSentPapers: false }).papers).toHaveLength(3);
  });

  it('keeps the paper list an issue started with, whatever was sent since', () => {
    const s = selectPapers(digest, { paperIds: ['a', 'b'], startedAt: started }, new Map([['c', 'later'], ['a', 'later']]), { skipSentPapers: true });
    expect(s.papers.map((p) => p.id)).toEqual(['a', 'b']);
  });

  it('selects afresh for an issue that was recorded but never started', () => {
    const s = selectPapers(digest, { paperIds: [] }, new Map([['c', 'old']]), { skipSentPapers: true });
    expect(s.papers.map((p) => p.id)).toEqual(['a', 'b']);
  });
});
