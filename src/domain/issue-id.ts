// Issue ids are content-addressed: the same digest dropped twice (or re-parsed) is the same issue.
import { createHash } from 'node:crypto';
import type { Digest } from './digest.js';

/** `${date}-${first 8 hex of sha256 over the paper ids and titles, in order}`, e.g. 2026-03-14-3f9a1c2b. */
export function issueIdFor(digest: Digest): string {
  const hash = createHash('sha256');
  for (const paper of digest.papers) {
    // NUL separators: no id/title pair can run into the next one and collide.
    hash.update(paper.id).update('\u0000').update(paper.title).update('\u0000');
  }
  return `${digest.date}-${hash.digest('hex').slice(0, 8)}`;
}

/** Issue ids are also URL segments (and were file names): no dots, slashes or other surprises. */
const ISSUE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;
export function isValidIssueId(id: string): boolean {
  return ISSUE_ID.test(id);
}
