// Which papers of a digest go into its issue. Trending pages repeat papers for days; by default a
// paper already sent in an earlier issue is left out. Once an issue has started sending its paper
// list is fixed, so a resumed run sends exactly what the first run sent.
import type { Digest, Paper } from './digest.js';

export interface SentIssuePapers {
  issueId: string;
  /** Papers that issue carries (empty when it was skipped). */
  paperIds: readonly string[];
  /** Only issues that started sending count. */
  startedAt?: string;
}

export interface PaperSelection {
  papers: Paper[];
  /** Left out because an earlier issue carried them. */
  excluded: { paperId: string; issueId: string }[];
}

export function selectPapers(
  digest: Digest,
  issueId: string,
  issues: readonly SentIssuePapers[],
  opts: { skipSentPapers: boolean },
): PaperSelection {
  const own = issues.find((m) => m.issueId === issueId && m.startedAt);
  if (own) {
    const keep = new Set(own.paperIds);
    return { papers: digest.papers.filter((p) => keep.has(p.id)), excluded: [] };
  }
  if (!opts.skipSentPapers) return { papers: digest.papers, excluded: [] };
  const sentIn = new Map<string, string>();
  for (const m of issues) {
    if (m.issueId === issueId || !m.startedAt) continue;
    for (const id of m.paperIds) if (!sentIn.has(id)) sentIn.set(id, m.issueId);
  }
  const papers: Paper[] = [];
  const excluded: PaperSelection['excluded'] = [];
  for (const p of digest.papers) {
    const earlier = sentIn.get(p.id);
    if (earlier) excluded.push({ paperId: p.id, issueId: earlier });
    else papers.push(p);
  }
  return { papers, excluded };
}
