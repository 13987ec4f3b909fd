// The fetcher's digests: one paperboy JSON file per day, <digestsDir>/<date>.json, replaced whole
// and atomically (write-file-atomic: temp file, fsync, rename), so the scheduler never reads half a
// file. Each paper carries `sources`, the source(s) that listed it.
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { Paper } from '../domain/digest.js';
import { SOURCE_LABELS, isSourceName } from '../domain/fetch/sources.js';
import { issueIdFor } from '../domain/issue-id.js';
import { PaperboyError } from '../errors.js';
import type { DayDigests } from '../services/fetch-sources.js';
import { readDigestFile } from './digest-file.js';
import { ensureDir } from './ensure-dir.js';

/** A title naming where the papers came from: "Papers from Hugging Face and arXiv". */
function titleFor(papers: Paper[]): string {
  const labels = [...new Set(papers.flatMap((p) => p.sources ?? []).filter(isSourceName).map((s) => SOURCE_LABELS[s].replace(/ trending$/, '')))];
  return labels.length ? `Papers from ${labels.join(' and ')}` : 'Papers';
}

/** The paper as paperboy JSON writes it: fields that are absent are left out. */
function plain(p: Paper): Record<string, unknown> {
  return Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0)));
}

export function dayDigestFiles(dir: string, now: () => Date): DayDigests {
  const pathFor = (date: string) => join(dir, `${date}.json`);
  return {
    pathFor,
    async read(date) {
      try {
        const digest = await readDigestFile(pathFor(date), now());
        return { papers: digest.papers, issueId: issueIdFor(digest) };
      } catch (e) {
        if (e instanceof PaperboyError && e.code === 'DIGEST_NOT_FOUND') return undefined;
        throw e;
      }
    },
    async write(date, papers) {
      await ensureDir(dir);
      const path = pathFor(date);
      const body = { date, title: titleFor(papers), papers: papers.map(plain) };
      await writeFileAtomic(path, JSON.stringify(body, null, 2) + '\n', { fsync: true });
      return path;
    },
  };
}
