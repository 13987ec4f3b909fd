// Digest file → Issue: read and parse the file, then group its papers by topic.
import { readDigestFile } from '../adapters/digest-file.js';
import { groupByTopic } from '../domain/group-by-topic.js';
import type { Issue } from '../domain/issue.js';
import type { Taxonomy } from '../domain/taxonomy.js';

export async function composeIssue(digestPath: string, taxonomy: Taxonomy, now: Date): Promise<Issue> {
  const digest = await readDigestFile(digestPath, now);
  return groupByTopic(digest, taxonomy);
}
