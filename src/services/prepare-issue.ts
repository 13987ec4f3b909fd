// Digest file → the issue to send (papers already sent in earlier issues left out) and its
// rendered variants. Shared by real sends, dry runs, test sends and previews.
import { readDigestFile } from '../adapters/digest-file.js';
import { publicationFor, type Config } from '../config.js';
import type { Digest } from '../domain/digest.js';
import { groupByTopic } from '../domain/group-by-topic.js';
import type { Issue } from '../domain/issue.js';
import { issueIdFor } from '../domain/issue-id.js';
import {
  describeVariant,
  fillTemplate,
  renderVariant,
  renderWebEdition as renderWebPage,
  variantKey,
  type IssueTemplates,
  type RenderedVariant,
  type VariantInfo,
} from '../domain/render/index.js';
import { selectPapers, type PaperSelection } from '../domain/select-papers.js';
import type { Taxonomy } from '../domain/taxonomy.js';
import type { IssueMeta, IssueRows } from './store-ports.js';

/**
 * Reading and grouping a digest: CPU work on input anyone with write access to the digests folder
 * controls. A process that also serves the web app runs it in a worker thread
 * (adapters/digest-worker.ts), so no digest can stall sign-ups or unsubscribes; a CLI run does it
 * in its own thread.
 */
export interface DigestWork {
  /** `signal` aborting may throw the work away (an AbortError), so a stop request never waits for it. */
  read(path: string, now: Date, signal?: AbortSignal): Promise<Digest>;
  group(digest: Digest, taxonomy: Taxonomy, signal?: AbortSignal): Promise<Issue>;
  close?(): Promise<void>;
}

export const digestWorkInThread: DigestWork = {
  read: readDigestFile,
  group: async (digest, taxonomy) => groupByTopic(digest, taxonomy),
};

export interface PrepareDeps {
  config: Pick<Config, 'skipSentPapers' | 'render' | 'baseUrl' | 'publication' | 'postalAddress' | 'from'>;
  store: Pick<IssueRows, 'getIssue' | 'papersSentBefore'>;
  taxonomy: Taxonomy;
  templates: IssueTemplates;
  clock: () => Date;
  digestWork?: DigestWork;
}

export interface PreparedIssue {
  digestPath: string;
  digest: Digest;
  /** Id of the digest as given (before papers are left out): the same digest is the same issue. */
  issueId: string;
  /** Null when every paper was sent in earlier issues. */
  issue: Issue | null;
  excluded: PaperSelection['excluded'];
  meta: IssueMeta | undefined;
}

export async function prepareIssue(d: PrepareDeps, digestPath: string, digest?: Digest, signal?: AbortSignal): Promise<PreparedIssue> {
  const work = d.digestWork ?? digestWorkInThread;
  const dg = digest ?? (await work.read(digestPath, d.clock(), signal));
  const issueId = issueIdFor(dg);
  const meta = await d.store.getIssue(issueId);
  const sentBefore = meta?.startedAt || !d.config.skipSentPapers ? new Map<string, string>() : await d.store.papersSentBefore(dg.papers.map((p) => p.id), issueId);
  const { papers, excluded } = selectPapers(dg, meta, sentBefore, { skipSentPapers: d.config.skipSentPapers });
  const issue = papers.length > 0 ? { ...(await work.group({ ...dg, papers }, d.taxonomy, signal)), id: issueId } : null;
  return { digestPath, digest: dg, issueId, issue, excluded, meta };
}

/** Renders each variant once (MJML is the expensive step); null entries have no papers. */
export class VariantCache {
  private readonly cache = new Map<string, Promise<RenderedVariant | null>>();
  constructor(
    private readonly issue: Issue,
    private readonly d: Pick<PrepareDeps, 'templates' | 'config'>,
  ) {}

  get(topics: string[] | null): Promise<RenderedVariant | null> {
    const key = variantKey(topics);
    let v = this.cache.get(key);
    if (!v) {
      v = renderVariant(this.issue, this.d.templates, this.options(topics));
      this.cache.set(key, v);
    }
    return v;
  }

  /** Key, subject and paper count without rendering; null when the variant has no papers. */
  describe(topics: string[] | null): VariantInfo | null {
    return describeVariant(this.issue, this.d.templates, this.options(topics));
  }

  /** Drops a rendered variant (a large send renders each one when needed and lets it go after). */
  forget(topics: string[] | null): void {
    this.cache.delete(variantKey(topics));
  }

  private options(topics: string[] | null) {
    return { topics, limits: this.d.config.render, baseUrl: this.d.config.baseUrl, publication: publicationFor(this.d.config) };
  }
}

/**
 * The archive's web edition: a page of every paper with its whole abstract (templates.web), where
 * an email's "more" links point. Templates without a web template get the all-topics email with
 * every paper a full card and no personal links, as a whole HTML document.
 */
export async function renderWebEdition(issue: Issue, d: Pick<PrepareDeps, 'templates' | 'config'>): Promise<{ paperCount: number; html: string; text: string } | null> {
  const publication = publicationFor(d.config);
  const page = renderWebPage(issue, d.templates, { limits: d.config.render, baseUrl: d.config.baseUrl, publication });
  if (page) return page;
  const limits = { maxAbstractChars: 100_000, maxHtmlBytes: Number.MAX_SAFE_INTEGER };
  const v = await renderVariant(issue, d.templates, { topics: null, limits, baseUrl: d.config.baseUrl, publication });
  if (!v) return null;
  const base = d.config.baseUrl;
  const fields = { name: '', email: '', unsubscribeUrl: `${base}/`, preferencesUrl: `${base}/`, webUrl: `${base}/archive/${issue.id}`, stopTopicUrl: `${base}/` };
  return { paperCount: v.paperCount, html: fillTemplate(v.html, fields, 'html'), text: fillTemplate(v.text, fields, 'text') };
}

/** "Issue X skipped: all N papers were sent in earlier issues (A, B)." */

export function noNewPapersMessage(p: PreparedIssue): string {
  const earlier = [...new Set(p.excluded.map((e) => e.issueId))].join(', ');
  return `Issue ${p.issueId} (${p.digestPath}) skipped: all ${p.digest.papers.length} papers were already sent in earlier issues (${earlier}). Set skipSentPapers to false to send them again.`;
}
