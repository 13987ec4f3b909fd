// Types and helpers shared by real sends, test sends and the app: the ports a send needs, its
// options and report, and the per-subscriber fields of a message.
import type { Mailer } from '../adapters/mailer.js';
import type { MessageFactory } from '../adapters/message-factory.js';
import type { Config } from '../config.js';
import type { Digest } from '../domain/digest.js';
import { subscriberLinks } from '../domain/links.js';
import type { SkipReason } from '../domain/plan-sends.js';
import { fillTemplate, type IssueTemplates, type RenderedVariant, type SubscriberFields } from '../domain/render/index.js';
import type { Subscriber } from '../domain/subscriber.js';
import type { Taxonomy } from '../domain/taxonomy.js';
import type { DeliveryFailure, DeliveryProgress } from './deliver.js';
import type { DigestWork, PreparedIssue } from './prepare-issue.js';
import type { Store } from './store-ports.js';

export interface SendPorts {
  config: Config;
  secret: string;
  clock: () => Date;
  store: Store;
  mailer: Mailer;
  taxonomy: Taxonomy;
  templates: IssueTemplates;
  factory: MessageFactory;
  log: (line: string) => void;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  /** Where digests are parsed and grouped (default: this thread). */
  digestWork?: DigestWork;
}

export interface SendOptions {
  /** Test send: one copy to this address, recorded in the test ledger; nobody is marked sent. */
  to?: string;
  /** Render and plan only. */
  dryRun?: boolean;
  /** Resend entries a crashed run left in "sending" (those recipients may get the issue twice). */
  resendUncertain?: boolean;
  /** Wait for another process sending this issue instead of failing with SEND_IN_PROGRESS. */
  wait?: boolean;
  /** Abort: stop taking new messages, let those in flight finish. */
  signal?: AbortSignal;
  onStart?: (info: { issueId: string; recipients: number }) => void;
  /** The digest already parsed from digestPath (sendPending reads them all first). */
  preparsed?: Digest;
  onProgress?: (p: DeliveryProgress) => void;
}

export interface VariantSummary {
  key: string;
  topics: string[] | null;
  subject: string;
  paperCount: number;
  recipients: number;
}

export interface SendReport {
  issueId: string;
  date: string;
  digestPath: string;
  subject?: string;
  outcome: 'completed' | 'stopped' | 'aborted' | 'skipped' | 'dry-run' | 'test';
  message?: string;
  variants: VariantSummary[];
  /** Recipients per variant key (dry runs only). */
  recipients?: Record<string, string[]>;
  excludedPapers: number;
  planned: number;
  sent: number;
  failed: number;
  /** Not tried when the run ended (stopped or aborted): a later run resumes them. */
  pending: number;
  /** Left deferred (temporary failures) for a later run, and when the first of them is due. */
  deferred: number;
  nextAttemptAt?: string;
  skipped: Partial<Record<SkipReason, number>>;
  /** Left in "sending" by a crashed run, not resent: they may or may not have the issue. */
  uncertain: string[];
  failures: DeliveryFailure[];
  durationMs: number;
  perSecond: number;
  /** Where the time went (for benchmarks): rendering variants, delivering; bytes accepted. */
  stats?: {
    renderMs: number;
    deliverMs: number;
    bytes: number;
    /** When each phase ended, in ms since the process started (performance.now()), for the benchmark. */
    timeline: { prepared: number; firstRendered: number; planned: number; delivered: number };
  };
}

/** The abortable wait sends use unless a test passes its own (adapters/sleep.ts). */
export { sleep as defaultSleep } from '../adapters/sleep.js';

export function smtpServerLabel(smtpUrl: string | undefined): string {
  if (!smtpUrl) return 'outbox';
  try {
    const u = new URL(smtpUrl);
    return `${u.hostname}:${u.port || (u.protocol === 'smtps:' ? '465' : '587')}`;
  } catch {
    return 'the configured SMTP server';
  }
}

export function fieldsFor(p: Pick<SendPorts, 'config' | 'secret'>, sub: Pick<Subscriber, 'email' | 'name' | 'tokenVersion'>, issueId: string): SubscriberFields {
  return { name: sub.name ?? '', email: sub.email, ...subscriberLinks(p.config.baseUrl, p.secret, sub, issueId) };
}

/** A variant's email with no subscriber's links in it (the admin API's preview). */
export function webVersion(p: Pick<SendPorts, 'config'>, v: RenderedVariant, issueId: string): { html: string; text: string } {
  const base = p.config.baseUrl;
  const fields: SubscriberFields = { name: '', email: '', unsubscribeUrl: `${base}/`, preferencesUrl: `${base}/`, webUrl: `${base}/archive/${issueId}`, stopTopicUrl: `${base}/stop-topic` };
  return { html: fillTemplate(v.html, fields, 'html'), text: fillTemplate(v.text, fields, 'text') };
}

export function emptyReport(prep: PreparedIssue, startMs: number, now: number): SendReport {
  return {
    issueId: prep.issueId,
    date: prep.digest.date,
    digestPath: prep.digestPath,
    outcome: 'completed',
    variants: [],
    excludedPapers: prep.excluded.length,
    planned: 0,
    sent: 0,
    failed: 0,
    pending: 0,
    deferred: 0,
    skipped: {},
    uncertain: [],
    failures: [],
    durationMs: now - startMs,
    perSecond: 0,
  };
}
