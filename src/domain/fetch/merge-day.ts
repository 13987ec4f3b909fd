// Several sources on one day make one digest, so one issue and one email. A paper listed by two
// sources (the same canonical arXiv id) is one paper credited to both. Pure.
import type { Paper } from '../digest.js';
import { mergeInto } from '../parse/finish.js';

/** The paper credited to `source` (added after any credit it has). */
export function credited(paper: Paper, source: string): Paper {
  const sources = paper.sources ?? [];
  return sources.includes(source) ? paper : { ...paper, sources: [...sources, source] };
}

/**
 * The day's papers with `source`'s part replaced by `fresh`: a paper only that source listed and
 * `fresh` lacks goes, its credit leaves papers others listed too, papers of `fresh` already there
 * are merged in place (the earlier listing keeps its fields; gaps are filled; credits are joined)
 * and new ones are appended. Order is kept, so fetching a source again changes nothing it did not bring.
 */
export function replaceSource(existing: ReadonlyArray<Paper>, source: string, fresh: ReadonlyArray<Paper>): Paper[] {
  const freshIds = new Set(fresh.map((p) => p.id));
  const kept: Paper[] = [];
  for (const p of existing) {
    // A paper without credits was put there by someone else, and one in `fresh` stays where it is.
    if (!p.sources || freshIds.has(p.id)) {
      kept.push(p);
      continue;
    }
    const others = p.sources.filter((s) => s !== source);
    if (others.length > 0) kept.push({ ...p, sources: others });
  }
  return mergePapers(kept, fresh.map((p) => credited(p, source)));
}

/** `a` then the papers of `b` not in it; a paper in both is merged (credits joined). */
export function mergePapers(a: ReadonlyArray<Paper>, b: ReadonlyArray<Paper>): Paper[] {
  const out = [...a];
  const index = new Map(out.map((p, i) => [p.id, i]));
  for (const p of b) {
    const i = index.get(p.id);
    if (i === undefined) {
      index.set(p.id, out.length);
      out.push(p);
    } else {
      out[i] = mergeInto(out[i]!, p);
    }
  }
  return out;
}

/**
 * Papers that came for a day whose issue had already started (`late` in that day's fetch records)
 * and that no started issue has carried yet: they go into the next digest written, `day`.
 */
export function carriedInto(
  day: string,
  records: ReadonlyArray<{ date: string; late?: Paper[] }>,
  inStartedIssue: (paperId: string) => boolean,
): Paper[] {
  let out: Paper[] = [];
  for (const r of [...records].sort((x, y) => x.date.localeCompare(y.date))) {
    if (r.date >= day || !r.late) continue;
    out = mergePapers(out, r.late.filter((p) => !inStartedIssue(p.id)));
  }
  return out;
}

/** `fresh` without the papers an issue that has started already carries. */
export function notYetSent(fresh: ReadonlyArray<Paper>, inStartedIssue: (paperId: string) => boolean): Paper[] {
  return fresh.filter((p) => !inStartedIssue(p.id));
}
