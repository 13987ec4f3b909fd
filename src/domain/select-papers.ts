// Which papers of a digest go into its issue. Trending pages repeat papers for days; by default a
// paper an earlier issue delivered to someone is left out. Once an issue has started sending its
// paper list is fixed, so a resumed run sends exactly what the first run sent.
import type { Digest, Paper } from './digest.js';

export interface PaperSelection {
  papers: Paper[];
  /** Left out because an earlier issue carried them. */
  excluded: { paperId: string; issueId: string }[];
}

/**
 * `own`: the issue's stored paper list once it started sending. `sentBefore`: paper id → the
 * earlier issue that delivered it (only issues that reached someone count).
 */
export function selectPapers(digest: Digest, own: { paperIds: readonly string[]; startedAt?: string } | undefined, sentBefore: ReadonlyMap<string, string>, opts: { skipSentPapers: boolean }): PaperSelection {
  if (own?.startedAt) {
    const keep = new Set(own.paperIds);
    return { papers: digest.papers.filter((p) => keep.has(p.id)), excluded: [] };
  }
  if (!opts.skipSentPapers) return { papers: digest.papers, excluded: [] };
  const papers: Paper[] = [];
  const excluded: PaperSelection['excluded'] = [];
  for (const p of digest.papers) {
    const earlier = sentBefore.get(p.id);
    if (earlier) excluded.push({ paperId: p.id, issueId: earlier });
    else papers.push(p);
  }
  return { papers, excluded };
}
