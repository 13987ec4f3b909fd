// The last step every format shares: merge a paper listed twice, then check the result against the
// one Digest schema, so a parser bug can never hand a malformed digest to the rest of the pipeline.
import { DIGEST_LIMITS, DigestSchema, type Digest, type DigestSource, type Paper } from '../digest.js';
import { normaliseTitle } from '../paper-id.js';
import { checkBounds } from './bounds.js';
import { digestError, type Where, zodError } from './parse-error.js';

export interface Located {
  paper: Paper;
  /** Where the paper came from, for error messages: `papers[3]`, `[5].paper`, `feed.entry[2]`, or a line. */
  where: Where;
}

function whereText(w: Where): string {
  return w.field !== undefined ? w.field : `line ${w.line ?? '?'}`;
}

/** Fills the first entry's missing fields from a later listing of the same paper (sources are joined). */
export function mergeInto(first: Paper, later: Paper): Paper {
  const out: Paper = { ...first };
  for (const [k, v] of Object.entries(later) as [keyof Paper, unknown][]) {
    if (out[k] === undefined && v !== undefined) (out as Record<string, unknown>)[k] = v;
  }
  if (out.abstract === '') out.abstract = later.abstract;
  if (out.authors.length === 0) out.authors = later.authors;
  out.keywords = [...new Set([...first.keywords, ...later.keywords])];
  out.categories = [...new Set([...first.categories, ...later.categories])];
  if (later.upvotes !== undefined && (out.upvotes ?? 0) < later.upvotes) out.upvotes = later.upvotes;
  if (first.sources || later.sources) out.sources = [...new Set([...(first.sources ?? []), ...(later.sources ?? [])])];
  return out;
}

/**
 * The same id twice is one paper listed twice when the titles agree (after normalising case,
 * spacing and punctuation): keep the first listing, fill its gaps from the later one. Different
 * titles under one id is a mistake in the file, which we refuse rather than guess.
 */
export function mergeDuplicates(items: ReadonlyArray<Located>, fileName: string, format: DigestSource): Paper[] {
  const byId = new Map<string, { index: number; item: Located }>();
  const out: Paper[] = [];
  for (const item of items) {
    const seen = byId.get(item.paper.id);
    if (!seen) {
      byId.set(item.paper.id, { index: out.length, item });
      out.push(item.paper);
      continue;
    }
    if (normaliseTitle(seen.item.paper.title) !== normaliseTitle(item.paper.title)) {
      const field = item.where.field !== undefined ? { field: `${item.where.field}.id` } : item.where;
      throw digestError(
        fileName,
        format,
        field,
        `the id "${item.paper.id}" is also used by ${whereText(seen.item.where)}, which has a different title ` +
          `("${seen.item.paper.title}" vs "${item.paper.title}")`,
        'Give each paper its own id (the arXiv id where there is one), or remove one of the two',
      );
    }
    out[seen.index] = mergeInto(out[seen.index] as Paper, item.paper);
  }
  return out;
}

export function finishDigest(
  parts: { date: string; title?: string; source: DigestSource; items: ReadonlyArray<Located> },
  fileName: string,
): Digest {
  checkBounds(parts.items, fileName, parts.source);
  if (parts.title !== undefined && parts.title.length > DIGEST_LIMITS.title) {
    throw digestError(
      fileName,
      parts.source,
      { field: 'title' },
      `the digest's title is ${parts.title.length} characters long, over the limit of ${DIGEST_LIMITS.title}`,
      'Shorten it',
    );
  }
  const papers = mergeDuplicates(parts.items, fileName, parts.source);
  const digest = { date: parts.date, title: parts.title, source: parts.source, papers };
  const r = DigestSchema.safeParse(digest, { reportInput: true });
  if (!r.success) {
    throw zodError(fileName, parts.source, r.error, 'The file parsed but the result is not a valid digest; fix that field');
  }
  // Absent optional fields are left out rather than present as undefined, so digests compare and print cleanly.
  if (r.data.title === undefined) delete r.data.title;
  for (const p of r.data.papers) {
    for (const k of Object.keys(p) as (keyof Paper)[]) if (p[k] === undefined) delete p[k];
  }
  return r.data;
}
