// Preview = compose an issue from a digest file and render one variant with sample subscriber values.
// Shared by `paperboy preview` and the preview web page.
import { join, resolve } from 'node:path';
import { publicationFor, type Config } from '../config.js';
import { PaperboyError } from '../errors.js';
import { loadIssueTemplates } from '../adapters/template-files.js';
import { loadTaxonomy } from '../adapters/taxonomy-file.js';
import { mjmlCacheDir } from '../adapters/mjml-cache-dir.js';
import { useMjmlCache } from '../domain/render/mjml.js';
import type { Issue } from '../domain/issue.js';
import { OTHER_TOPIC_ID, type Taxonomy } from '../domain/taxonomy.js';
import {
  personalise,
  renderVariant,
  variantKey,
  type IssueTemplates,
  type RenderLimits,
  type RenderedVariant,
  type SubscriberFields,
} from '../domain/render/index.js';
import { composeIssue } from './compose-issue.js';

export interface PreviewSettings {
  templatesDir: string;
  taxonomyPath: string;
  digestsDir: string;
  baseUrl: string;
  limits: RenderLimits;
  /** Publication name and contact line, as issues show them. */
  publication?: { name: string; contact?: string };
  /** Where the template checks are cached, as a send does (a preview warms it for the next send). */
  mjmlCacheDir?: string;
  /** The preview page's "send me a test" button asks for this token (config adminToken); unset, the button is off. */
  adminToken?: string;
  /** Sends one test copy of a digest (as `paperboy send <digest> --to`); says what happened. */
  sendTest?: (digestPath: string, to: string) => Promise<string>;
}

/** Absolute paths and render settings from the config, relative paths resolved against `cwd`. */
export function previewSettings(config: Config, cwd: string): PreviewSettings {
  const templatesDir = resolve(cwd, config.templatesDir);
  return {
    templatesDir,
    taxonomyPath: resolve(cwd, config.taxonomyPath ?? join(config.templatesDir, 'topics.json')),
    digestsDir: resolve(cwd, config.digestsDir),
    baseUrl: config.baseUrl,
    limits: { maxAbstractChars: config.render.maxAbstractChars, maxHtmlBytes: config.render.maxHtmlBytes },
    publication: publicationFor(config),
    mjmlCacheDir: join(resolve(cwd, config.stateDir), 'cache', 'mjml'),
    ...(config.adminToken ? { adminToken: config.adminToken } : {}),
  };
}

/** What the preview fills into the subscriber slots. */
export function sampleSubscriber(baseUrl: string, issueId: string): SubscriberFields {
  const base = baseUrl.replace(/\/+$/, '');
  return {
    name: 'Ada',
    email: 'ada@example.org',
    unsubscribeUrl: `${base}/unsubscribe/preview`,
    preferencesUrl: `${base}/preferences/preview`,
    webUrl: `${base}/archive/${encodeURIComponent(issueId)}`,
    stopTopicUrl: `${base}/stop-topic/preview`,
  };
}

export interface Preview {
  issue: Issue;
  variant: RenderedVariant;
  subject: string;
  html: string;
  text: string;
  /** UTF-8 bytes of the filled HTML. */
  htmlBytes: number;
  /** The HTML part as sent (quoted-printable), estimated for the longest subscriber values: what the budget limits. */
  sentBytes: number;
  renderMs: number;
}

/** Throws INPUT_INVALID for topic ids the taxonomy does not have. */
export function checkTopicIds(topics: string[] | null, taxonomy: Taxonomy): void {
  if (!topics) return;
  const known = new Set([...taxonomy.topics.map((t) => t.id), OTHER_TOPIC_ID]);
  const unknown = topics.filter((t) => !known.has(t));
  if (unknown.length > 0) {
    throw new PaperboyError('INPUT_INVALID', `Unknown topic ${unknown.map((t) => `"${t}"`).join(', ')}; topics are: ${[...known].join(', ')}.`);
  }
}

export async function loadPreviewInputs(s: PreviewSettings): Promise<{ templates: IssueTemplates; taxonomy: Taxonomy }> {
  if (s.mjmlCacheDir) useMjmlCache(mjmlCacheDir(s.mjmlCacheDir));
  const [templates, taxonomy] = await Promise.all([loadIssueTemplates(s.templatesDir), loadTaxonomy(s.taxonomyPath)]);
  return { templates, taxonomy };
}

/** Renders one digest for a topic set. Throws INPUT_INVALID when the chosen topics have no papers in it. */
export async function renderPreview(
  digestPath: string,
  topics: string[] | null,
  s: PreviewSettings,
  inputs: { templates: IssueTemplates; taxonomy: Taxonomy },
  now: Date,
): Promise<Preview> {
  checkTopicIds(topics, inputs.taxonomy);
  const issue = await composeIssue(digestPath, inputs.taxonomy, now);
  const started = performance.now();
  const variant = await renderVariant(issue, inputs.templates, { topics, limits: s.limits, baseUrl: s.baseUrl, ...(s.publication ? { publication: s.publication } : {}) });
  const renderMs = performance.now() - started;
  if (!variant) {
    throw new PaperboyError(
      'INPUT_INVALID',
      `No papers in ${variantKey(topics)} for ${digestPath}; topics in this issue: ${issue.sections.map((x) => x.topic.id).join(', ')}.`,
    );
  }
  const out = personalise(variant, sampleSubscriber(s.baseUrl, issue.id));
  return { issue, variant, ...out, htmlBytes: Buffer.byteLength(out.html, 'utf8'), sentBytes: variant.sentBytes, renderMs };
}
