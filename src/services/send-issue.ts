// Sends one issue: prepare it, take its lease, render the all-topics variant and the web edition,
// plan the variants from the owed subscribers' topic sets, stream the recipients one topic set at
// a time, deliver, and record the run. A stopped or crashed run is resumed by running it again:
// the delivery rows say who has it; entries a crash left in "sending" are reported as uncertain
// and not resent unless asked.
import { limitHeapGrowth } from '../adapters/heap-growth.js';
import type { MessageSettings, VariantContext } from '../adapters/message-factory.js';
import type { Issue } from '../domain/issue.js';
import { listIdFor, messageIdFor } from '../domain/message-ids.js';
import { planVariants, type PlannedVariant, type SkipReason, type VariantPlan } from '../domain/plan-sends.js';
import { releaseMjml, whyNotPrecompiled } from '../domain/render/index.js';
import { unknownTopicCounts } from '../domain/subscriber-ops.js';
import { PaperboyError } from '../errors.js';
import { deliver, type DeliveryJob } from './deliver.js';
import { DeliveryWriter } from './delivery-writer.js';
import { acquireIssueLease } from './issue-lease.js';
import { VariantCache, noNewPapersMessage, prepareIssue, renderWebEdition } from './prepare-issue.js';
import { defaultSleep, emptyReport, fieldsFor, smtpServerLabel, type SendOptions, type SendPorts, type SendReport, type VariantSummary } from './send-common.js';
import { sendTestCopy } from './send-test.js';
import type { IssueMeta, OwedOptions, RecipientRows } from './store-ports.js';

export type { SendOptions, SendPorts, SendReport, VariantSummary } from './send-common.js';

/** Recipients read from the store per page: small enough that a million subscribers never sit in memory. */
const PAGE = 1000;
/** Rendered variants kept at once: recipients come one variant at a time, so a few cover retries too. */
const LIVE_VARIANTS = 4;

function summaries(plan: VariantPlan): VariantSummary[] {
  return plan.variants.map((v) => ({ key: v.key, topics: v.topics, subject: v.subject, paperCount: v.paperCount, recipients: v.recipients }));
}

/** Every recipient owed the issue, variant by variant, read a page at a time. */
async function* recipientJobs(store: RecipientRows, issueId: string, variants: readonly PlannedVariant[], opts: OwedOptions): AsyncGenerator<DeliveryJob> {
  for (const v of variants) {
    for (const topics of v.topicSets) {
      let afterId = 0;
      for (;;) {
        const page = await store.owedRecipients(issueId, topics, { afterId, limit: PAGE }, opts);
        for (const r of page) {
          yield {
            email: r.email,
            ...(r.name !== undefined ? { name: r.name } : {}),
            tokenVersion: r.tokenVersion,
            variantKey: v.key,
            ...(r.state === 'sending' ? { resend: true } : {}),
            attempts: r.attempts ?? 0,
            ...(r.deferredSince ? { deferredSinceMs: Date.parse(r.deferredSince) } : {}),
          };
        }
        if (page.length < PAGE) break;
        afterId = page[page.length - 1]!.id;
      }
    }
  }
}

/** Message contexts of the variants in use, rendered when their first recipient comes up. */
class VariantContexts {
  private readonly live = new Map<string, Promise<VariantContext>>();
  /** Time spent rendering and compiling variants, ms. */
  renderMs = 0;

  constructor(
    private readonly p: Pick<SendPorts, 'factory' | 'clock'>,
    private readonly cache: VariantCache,
    private readonly settings: MessageSettings,
    private readonly topics: ReadonlyMap<string, string[] | null>,
  ) {}

  get(key: string): Promise<VariantContext> {
    let ctx = this.live.get(key);
    if (ctx) {
      this.live.delete(key);
      this.live.set(key, ctx);
      return ctx;
    }
    const topics = this.topics.get(key) ?? null;
    ctx = (async () => {
      const start = this.p.clock().getTime();
      const v = await this.cache.get(topics);
      if (!v) throw new Error(`variant ${key} rendered empty after it was planned`);
      const c = this.p.factory.prepareVariant(v, this.settings);
      this.cache.forget(topics);
      this.renderMs += this.p.clock().getTime() - start;
      return c;
    })();
    this.live.set(key, ctx);
    if (this.live.size > LIVE_VARIANTS) this.live.delete(this.live.keys().next().value!);
    return ctx;
  }
}

/** Says which chosen topics the taxonomy lacks (renamed or removed since people chose them). */
function warnUnknownTopics(p: SendPorts, sets: readonly { topics: string[]; count: number }[]): void {
  const unknown = unknownTopicCounts(sets, p.taxonomy.topics.map((t) => t.id));
  if (unknown.size === 0) return;
  const list = [...unknown].map(([id, n]) => `"${id}" (${n} subscriber${n === 1 ? '' : 's'})`).join(', ');
  p.log(
    `subscribers chose topics the taxonomy does not have: ${list}. They get only their other topics (nothing, if that was all they chose). ` +
      'Add the topics back to the taxonomy, or change those subscribers\' topics.',
  );
}

async function planRun(p: SendPorts, issue: Issue, cache: VariantCache, owed: OwedOptions) {
  const start = p.clock().getTime();
  const sets = await p.store.owedTopicSets(issue.id, owed);
  const plan = planVariants(issue, sets, (t) => cache.describe(t));
  return { plan, sets, describeMs: p.clock().getTime() - start };
}

/** What the store says about those not planned: already sent, failed before, uncertain, inactive. */
async function skipCounts(p: SendPorts, issueId: string, plan: VariantPlan, resendUncertain: boolean | undefined): Promise<Partial<Record<SkipReason, number>>> {
  const [counts, subs] = await Promise.all([p.store.deliveryCounts(issueId), p.store.countSubscribers()]);
  const out: Partial<Record<SkipReason, number>> = {};
  const put = (k: SkipReason, n: number) => {
    if (n > 0) out[k] = n;
  };
  put('already-sent', counts.sent);
  put('failed-before', counts.failed);
  if (!resendUncertain) put('uncertain', counts.sending);
  put('inactive', subs.pending + subs.unsubscribed + subs.bounced);
  put('no-papers', plan.noPapers);
  return out;
}

export async function sendIssue(p: SendPorts, digestPath: string, opts: SendOptions = {}): Promise<SendReport> {
  const startMs = p.clock().getTime();
  const prep = await prepareIssue(p, digestPath, opts.preparsed, opts.signal);
  const prepared = performance.now();
  if (opts.to) return sendTestCopy(p, prep, opts.to, opts);
  if (!prep.issue) {
    const message = noNewPapersMessage(prep);
    if (!opts.dryRun) {
      const at = p.clock().toISOString();
      await p.store.saveIssue({ issueId: prep.issueId, digestPath, date: prep.digest.date, paperIds: [], runs: prep.meta?.runs ?? 0, skipped: message, finishedAt: at, lastRunAt: at });
    }
    p.log(message);
    return { ...emptyReport(prep, startMs, p.clock().getTime()), outcome: 'skipped', message };
  }
  const issue = prep.issue;
  const cache = new VariantCache(issue, p);
  const runStart = p.clock();
  // Deferred entries count as owed once due at the start of the run; those deferred during it are
  // retried by the run itself (deliver) or left for the next one.
  const owed: OwedOptions = { now: runStart.toISOString(), ...(opts.resendUncertain ? { resendUncertain: true } : {}) };

  if (opts.dryRun) {
    const { plan } = await planRun(p, issue, cache, owed);
    const recipients: Record<string, string[]> = {};
    for await (const job of recipientJobs(p.store, issue.id, plan.variants, owed)) (recipients[job.variantKey] ??= []).push(job.email);
    return {
      ...emptyReport(prep, startMs, p.clock().getTime()),
      outcome: 'dry-run',
      subject: (await cache.get(null))?.subject,
      variants: summaries(plan),
      recipients,
      planned: plan.recipients,
      skipped: await skipCounts(p, issue.id, plan, opts.resendUncertain),
      uncertain: opts.resendUncertain ? [] : (await p.store.listDeliveries(issue.id, 'sending', 1000)).map((r) => r.email),
    };
  }

  limitHeapGrowth();
  const lease = await acquireIssueLease(p.store, issue.id, { wait: opts.wait, ...(opts.signal ? { signal: opts.signal } : {}), clock: p.clock });
  try {
    // The all-topics variant and the web edition are the only MJML compiles of a run (the
    // template's check on real data included), so the MJML worker is let go before delivery.
    const renderStart = p.clock().getTime();
    const all = await cache.get(null);
    const edition = all && (await renderWebEdition(issue, p));
    await releaseMjml();
    const firstRendered = performance.now();
    const firstRenderMs = p.clock().getTime() - renderStart;

    const lifetimeMs = p.config.smtp.deferredLifetimeHours * 3_600_000;
    await p.store.expireDeferred(issue.id, new Date(runStart.getTime() - lifetimeMs).toISOString(), runStart.toISOString());
    const { plan, sets, describeMs } = await planRun(p, issue, cache, owed);
    warnUnknownTopics(p, sets);
    const skipped = await skipCounts(p, issue.id, plan, opts.resendUncertain);
    const uncertain = opts.resendUncertain ? [] : (await p.store.listDeliveries(issue.id, 'sending', 1000)).map((r) => r.email);
    const planned = performance.now();
    const slow = plan.variants.length > 1 ? await whyNotPrecompiled(p.templates) : undefined;
    if (slow) {
      p.log(
        `template ${p.templates.files.html} goes through MJML for each of this run's ${plan.variants.length} variants (~25 ms each) instead of once: ${slow}. ` +
          'Mail is the same, only slower to make. To compile it once, keep expressions inside MJML content tags such as <mj-text>, block helpers ({{#each}}, {{#if}}) between components, and partials without arguments.',
      );
    }
    const meta: IssueMeta = {
      ...(prep.meta ?? { runs: 0 }),
      issueId: issue.id,
      digestPath,
      date: issue.date,
      ...(all ? { subject: all.subject } : {}),
      paperIds: issue.sections.flatMap((s) => s.papers.map((x) => x.id)),
      variants: plan.variants.length,
      startedAt: prep.meta?.startedAt ?? runStart.toISOString(),
      lastRunAt: runStart.toISOString(),
      runs: (prep.meta?.runs ?? 0) + 1,
    };
    delete meta.finishedAt;
    delete meta.skipped;
    await p.store.saveIssue(meta);
    // The archive copy goes up before the first mail: every mail links to it.
    if (all && edition) {
      await p.store.saveArchive({ issueId: issue.id, date: issue.date, subject: all.subject, paperCount: edition.paperCount, sentAt: runStart.toISOString(), html: edition.html, text: edition.text });
    }

    const settings = { from: p.config.from, listId: listIdFor(p.config.listId, p.config.from), date: runStart, ...(p.config.replyTo ? { replyTo: p.config.replyTo } : {}) };
    const contexts = new VariantContexts(p, cache, settings, new Map(plan.variants.map((v) => [v.key, v.topics])));
    const writer = new DeliveryWriter(p.store, issue.id, lease, p.clock);
    let delivered: Promise<void> | undefined;
    opts.onStart?.({ issueId: issue.id, recipients: plan.recipients });
    const deliverStart = p.clock().getTime();
    const outcome = await deliver({
      jobs: recipientJobs(p.store, issue.id, plan.variants, owed),
      total: plan.recipients,
      writer,
      mailer: p.mailer,
      build: async (job) =>
        p.factory.buildMessage(await contexts.get(job.variantKey), {
          email: job.email,
          ...(job.name ? { name: job.name } : {}),
          messageId: messageIdFor(issue.id, job.email, p.config.from),
          fields: fieldsFor(p, job, issue.id),
        }),
      // From the first accepted message on, this issue's papers count as sent.
      onFirstSent: () => (delivered = p.store.markIssueDelivered(issue.id, meta.paperIds, p.clock().toISOString())),
      smtp: p.config.smtp,
      server: smtpServerLabel(p.config.smtpUrl),
      clock: p.clock,
      sleep: p.sleep ?? defaultSleep,
      random: p.random ?? Math.random,
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
      log: p.log,
    });
    await writer.drain().catch((e: Error) => (outcome.stop ??= e));
    await delivered?.catch((e: Error) => (outcome.stop ??= e));

    const endMs = p.clock().getTime();
    const [counts, nextAttemptAt] = await Promise.all([p.store.deliveryCounts(issue.id), p.store.nextDeferredAttempt(issue.id)]);
    const complete = !outcome.stop && !outcome.aborted && outcome.pending === 0 && counts.deferred === 0;
    if (outcome.inactive > 0) skipped.inactive = (skipped.inactive ?? 0) + outcome.inactive;
    const { pending: _p, ...stored } = counts;
    const finalMeta: IssueMeta = { ...meta, counts: { ...stored, ...(skipped as Record<string, number>) } };
    if (complete) finalMeta.finishedAt = new Date(endMs).toISOString();
    await p.store.saveIssue(finalMeta);
    const seconds = Math.max(endMs - startMs, 1) / 1000;
    const report: SendReport = {
      ...emptyReport(prep, startMs, endMs),
      outcome: outcome.stop ? 'stopped' : outcome.aborted ? 'aborted' : 'completed',
      ...(all ? { subject: all.subject } : {}),
      variants: summaries(plan),
      planned: plan.recipients,
      sent: outcome.sent,
      failed: outcome.failed,
      pending: outcome.pending,
      deferred: counts.deferred,
      ...(nextAttemptAt ? { nextAttemptAt } : {}),
      skipped,
      uncertain,
      failures: outcome.failures,
      perSecond: Math.round(((outcome.sent + outcome.failed) / seconds) * 10) / 10,
      stats: {
        renderMs: firstRenderMs + describeMs + contexts.renderMs,
        deliverMs: endMs - deliverStart,
        bytes: outcome.bytes,
        timeline: { prepared, firstRendered, planned, delivered: performance.now() },
      },
    };
    if (outcome.stop) {
      report.message = outcome.stop.message;
      if (outcome.stop instanceof PaperboyError) throw new PaperboyError(outcome.stop.code, outcome.stop.message, { ...outcome.stop.details, report });
      throw outcome.stop;
    }
    return report;
  } finally {
    await lease.release();
  }
}
