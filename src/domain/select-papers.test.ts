import { describe, expect, it } from 'vitest';
import type { Digest } from './digest.js';
import { selectPapers } from './select-papers.js';

const paper = (id: string) => ({ id, title: `T${id}`, abstract: '', authors: [], keywords: [], categories: [] });
const digest: Digest = { date: '2026-03-15', source: 'paperboy-json', papers: [paper('a'), paper('b'), paper('c')] };
const started = '2026-03-14T07:00:00.000Z';

describe('selectPapers', () => {
  it('leaves out papers an earlier issue started sending, naming that issue', () => {
    const s = selectPapers(digest, 'new', [{ issueId: 'old', paperIds: ['b', 'x'], startedAt: started }], { skipSentPapers: true });
    expect(s.papers.map((p) => p.id)).toEqual(['a', 'c']);
    expect(s.excluded).toEqual([{ paperId: 'b', issueId: 'old' }]);
  });

  it('ignores issues that never started and keeps everything when skipping is off', () => {
    expect(selectPapers(digest, 'new', [{ issueId: 'old', paperIds: ['b'] }], { skipSentPapers: true }).papers).toHaveLength(3);
    expect(selectPapers(digest, 'new', [{ issueId: 'old', paperIds: ['b'], startedAt: started }], { skipSentPapers: false }).papers).toHaveLength(3);
  });

  it('keeps the paper list an issue started with, whatever was sent since', () => {
    const issues = [
      { issueId: 'this', paperIds: ['a', 'b'], startedAt: started },
      { issueId: 'later', paperIds: ['c'], startedAt: started },
    ];
    const s = selectPapers(digest, 'this', issues, { skipSentPapers: true });
    expect(s.papers.map((p) => p.id)).toEqual(['a', 'b']);
  });
});
