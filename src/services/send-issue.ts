// Sends one issue: prepare it, lock it, plan who is owed what from the ledger, render each variant
// once, save the web version, deliver, and record the run. A stopped or crashed run is resumed by
// running it again: the ledger says who has it; entries a crash left in "sending" are reported as
// uncertain and not resent unless asked.
import { limitHeapGrowth } from '../adapters/heap-growth.js';
import type { IssueMeta, OpenLedger } from '../adapters/ledger.js';
import type { Issue } from '../domain/issue.js';
import type { MessageSettings, VariantContext } from '../adapters/message-factory.js';
import { countStates } from '../domain/ledger-state.js';
import { listIdFor, messageIdFor } from '../domain/message-ids.js';
import { countSkips, planSends, type SendPlan } from '../domain/plan-sends.js';
import { releaseMjml, whyNotPrecompiled, type VariantInfo } from '../domain/render/index.js';
import { PaperboyError } from '../errors.js';
import type { Subscriber } from '../domain/subscriber.js';
import { unknownTopicCounts } from '../domain/subscriber-ops.js';
import { deliver, type DeliveryJob } from './deliver.js';
import { VariantCache, noNewPapersMessage, prepareIssue, renderWebEdition } from './prepare-issue.js';
import { defaultSleep, emptyReport, fieldsFor, smtpServerLabel, type SendOptions, type SendPorts, type SendReport, type VariantSummary } from './send-common.js';
import { sendTestCopy } from './send-test.js';
import { SubscriberWatch } from './subscriber-watch.js';

export type { SendOptions, SendPorts, SendReport, VariantSummary } from './send-common.js';

/**
 * Which variants a plan needs, described without rendering them; recipients whose variant has no
 * papers move to "no-papers". Variants are rendered later, when their recipients come up.
 */
export function describePlan(plan: SendPlan, cache: VariantCache) {
  const info = new Map<string, VariantInfo>();
  for (const v of plan.variants) {
    const d = cache.describe(v.topics);
    if (d) info.set(v.key, d);
  }
  const sends = plan.sends.filter((s) => info.has(s.variantKey));
  const skipped = [...plan.skipped, ...plan.sends.filter((s) => !info.has(s.variantKey)).map((s) => ({ email: s.subscriber.email, reason: 'no-papers' as const }))];
  const counts = new Map<string, number>();
  for (const s of sends) counts.set(s.variantKey, (counts.get(s.variantKey) ?? 0) + 1);
  const variants: VariantSummary[] = plan.variants
    .filter((v) => info.has(v.key))
    .map((v) => {
      const d = info.get(v.key)!;
      return { key: v.key, topics: v.topics, subject: d.subject, paperCount: d.paperCount, recipients: counts.get(v.key) ?? 0 };
    });
  return { sends, skipped, variants };
}

/**
 * Per-variant message contexts for one run, made when a variant's first recipient comes up and
 * dropped after its last: a list of 100,000 subscribers has ~2,000 topic combinations of ~100 KB
 * each (HTML, text and the compiled MIME message), too many to hold at once. Recipients are
 * delivered grouped by variant for that. A retry after the drop renders the variant again.
 */
class VariantContexts {
  private readonly live = new Map<string, Promise<VariantContext>>();
  private readonly remaining = new Map<string, number>();
  private readonly topics: Map<string, string[] | null>;
  /** Time spent rendering and compiling variants, ms. */
  renderMs = 0;

  constructor(
    private readonly p: Pick<SendPorts, 'factory' | 'clock'>,
    private readonly cache: VariantCache,
    private readonly settings: MessageSettings,
    variants: readonly VariantSummary[],
    jobs: readonly DeliveryJob[],
  ) {
    this.topics = new Map(variants.map((v) => [v.key, v.topics]));
    for (const j of jobs) this.remaining.set(j.variantKey, (this.remaining.get(j.variantKey) ?? 0) + 1);
  }

  get(key: string): Promise<VariantContext> {
    let ctx = this.live.get(key);
    if (!ctx) {
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
    }
    return ctx;
  }

  /** One message of this variant was built: after the last one the variant is let go. */
  built(key: string): void {
    const n = (this.remaining.get(key) ?? 0) - 1;
    this.remaining.set(key, n);
    if (n <= 0) this.live.delete(key);
  }
}

/** Says which chosen topics the taxonomy lacks (renamed or removed since people chose them). */
function warnUnknownTopics(p: SendPorts, subs: readonly Subscriber[]): void {
  const unknown = unknownTopicCounts(subs, p.taxonomy.topics.map((t) => t.id));
  if (unknown.size === 0) return;
  const list = [...unknown].map(([id, n]) => `"${id}" (${n} subscriber${n === 1 ? '' : 's'})`).join(', ');
  p.log(
    `subscribers chose topics the taxonomy does not have: ${list}. They get only their other topics (nothing, if that was all they chose). ` +
      'Rename the ids in subscribers.json or add the topics back to the taxonomy.',
  );
}

/**
 * Reads the subscriber list, plans the run against the open ledger and primes the watch. Only what
 * delivery needs leaves this function (one small job per recipient, skip counts, the uncertain
 * addresses): the full subscriber records and the plan are let go before the first message, as
 * at 100,000 subscribers they held ~80 MB for the whole run.
 */
async function planRun(p: SendPorts, issue: Issue, cache: VariantCache, open: OpenLedger, watch: SubscriberWatch, opts: SendOptions) {
  const version = await p.storeVersion?.();
  const subs = await p.store.list();
  const plan = planSends(issue, subs, open.state(), { resendUncertain: opts.resendUncertain });
  warnUnknownTopics(p, subs);
  watch.prime(subs, version);
  const start = p.clock().getTime();
  const r = describePlan(plan, cache);
  const describeMs = p.clock().getTime() - start;
  // Grouped by variant (in plan order, stable within), so few variants are in memory at a time.
  const rank = new Map(r.variants.map((v, i) => [v.key, i]));
  const jobs: DeliveryJob[] = r.sends
    .map((s) => ({ email: s.subscriber.email, variantKey: s.variantKey, ...(s.resend ? { resend: true } : {}) }))
    .sort((a, b) => rank.get(a.variantKey)! - rank.get(b.variantKey)!);
  return {
    jobs,
    variants: r.variants,
    skipped: countSkips(r.skipped),
    uncertain: r.skipped.filter((s) => s.reason === 'uncertain').map((s) => s.email),
    describeMs,
  };
}

export async function sendIssue(p: SendPorts, digestPath: string, opts: SendOptions = {}): Promise<SendReport> {
  const startMs = p.clock().getTime();
  const prep = await prepareIssue(p, digestPath, opts.preparsed);
  const prepared = performance.now();
  if (opts.to) {
    return sendTestCopy(p, prep, opts.to, opts);
  }
  if (!prep.issue) {
    const message = noNewPapersMessage(prep);
    if (!opts.dryRun) {
      const at = p.clock().toISOString();
      await p.ledger.writeMeta({ issueId: prep.issueId, digestPath, date: prep.digest.date, paperIds: [], runs: prep.meta?.runs ?? 0, skipped: message, finishedAt: at, lastRunAt: at });
    }
    p.log(message);
    return { ...emptyReport(prep, startMs, p.clock().getTime()), outcome: 'skipped', message };
  }
  const issue = prep.issue;
  const cache = new VariantCache(issue, p);

  if (opts.dryRun) {
    const plan = planSends(issue, await p.store.list(), await p.ledger.read(issue.id), { resendUncertain: opts.resendUncertain });
    const r = describePlan(plan, cache);
    const recipients: Record<string, string[]> = {};
    for (const s of r.sends) (recipients[s.variantKey] ??= []).push(s.subscriber.email);
    return {
      ...emptyReport(prep, startMs, p.clock().getTime()),
      outcome: 'dry-run',
      subject: (await cache.get(null))?.subject,
      variants: r.variants,
      recipients,
      planned: r.sends.length,
      skipped: countSkips(r.skipped),
      uncertain: r.skipped.filter((s) => s.reason === 'uncertain').map((s) => s.email),
    };
  }

  limitHeapGrowth();
  const open = await p.ledger.open(issue.id, { wait: opts.wait, signal: opts.signal });
  try {
    const watch = new SubscriberWatch(p.store, p.storeVersion ? { version: p.storeVersion } : {});
    // The all-topics variant and the web edition are rendered before the subscriber list is read:
    // they are the only MJML compiles of a run (the template's check on real data included), so the
    // MJML worker and its ~55 MB are gone before planning needs memory for every subscriber.
    const renderStart = p.clock().getTime();
    const all = await cache.get(null);
    const edition = all && (await renderWebEdition(issue, p));
    await releaseMjml();
    const firstRendered = performance.now();
    const firstRenderMs = p.clock().getTime() - renderStart;
    const run = await planRun(p, issue, cache, open, watch, opts);
    const planned = performance.now();
    const slow = run.variants.length > 1 ? await whyNotPrecompiled(p.templates) : undefined;
    if (slow) {
      p.log(
        `template ${p.templates.files.html} goes through MJML for each of this run's ${run.variants.length} variants (~25 ms each) instead of once: ${slow}. ` +
          'Mail is the same, only slower to make. To compile it once, keep expressions inside MJML content tags such as <mj-text>, block helpers ({{#each}}, {{#if}}) between components, and partials without arguments.',
      );
    }
    const runStart = p.clock();
    const renderMs = firstRenderMs + run.describeMs;
    const meta: IssueMeta = {
      ...(prep.meta ?? { runs: 0 }),
      issueId: issue.id,
      digestPath,
      date: issue.date,
      ...(all ? { subject: all.subject } : {}),
      paperIds: issue.sections.flatMap((s) => s.papers.map((x) => x.id)),
      variants: run.variants.length,
      startedAt: prep.meta?.startedAt ?? runStart.toISOString(),
      lastRunAt: runStart.toISOString(),
      runs: (prep.meta?.runs ?? 0) + 1,
    };
    delete meta.finishedAt;
    delete meta.skipped;
    await p.ledger.writeMeta(meta);
    // The archive copy goes up before the first mail: every mail links to it.
    if (all && edition) {
      await p.archive.save({ issueId: issue.id, date: issue.date, subject: all.subject, paperCount: edition.paperCount, sentAt: runStart.toISOString(), html: edition.html, text: edition.text });
    }

    const settings = { from: p.config.from, listId: listIdFor(p.config.listId, p.config.from), date: runStart, ...(p.config.replyTo ? { replyTo: p.config.replyTo } : {}) };
    const jobs = run.jobs;
    const contexts = new VariantContexts(p, cache, settings, run.variants, jobs);
    opts.onStart?.({ issueId: issue.id, recipients: jobs.length });
    const deliverStart = p.clock().getTime();
    const outcome = await deliver(jobs, {
      ledger: open,
      mailer: p.mailer,
      watch,
      store: p.store,
      build: async (job, sub) => {
        try {
          return await p.factory.buildMessage(await contexts.get(job.variantKey), {
            email: job.email,
            ...(sub.name ? { name: sub.name } : {}),
            messageId: messageIdFor(issue.id, job.email, p.config.from),
            fields: fieldsFor(p, sub, issue.id),
          });
        } finally {
          contexts.built(job.variantKey);
        }
      },
      smtp: p.config.smtp,
      server: smtpServerLabel(p.config.smtpUrl),
      clock: p.clock,
      sleep: p.sleep ?? defaultSleep,
      random: p.random ?? Math.random,
      ...(opts.signal ? { signal: opts.signal } : {}),
      ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
      log: p.log,
    });

    const endMs = p.clock().getTime();
    const complete = !outcome.stop && !outcome.aborted && outcome.pending === 0;
    const skipped = run.skipped;
    if (outcome.inactive.length > 0) skipped.inactive = (skipped.inactive ?? 0) + outcome.inactive.length;
    const finalMeta: IssueMeta = { ...meta, counts: { ...countStates(open.state()), ...(skipped as Record<string, number>) } };
    if (complete) finalMeta.finishedAt = new Date(endMs).toISOString();
    await p.ledger.writeMeta(finalMeta);
    const seconds = Math.max(endMs - startMs, 1) / 1000;
    const report: SendReport = {
      ...emptyReport(prep, startMs, endMs),
      outcome: outcome.stop ? 'stopped' : outcome.aborted ? 'aborted' : 'completed',
      ...(all ? { subject: all.subject } : {}),
      variants: run.variants,
      planned: jobs.length,
      sent: outcome.sent,
      failed: outcome.failed,
      pending: outcome.pending,
      skipped,
      uncertain: run.uncertain,
      failures: outcome.failures,
      perSecond: Math.round(((outcome.sent + outcome.failed) / seconds) * 10) / 10,
      stats: {
        renderMs: renderMs + contexts.renderMs,
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
    await open.close();
  }
}
