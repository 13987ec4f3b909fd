// Sends one issue: prepare it, lock it, plan who is owed what from the ledger, render each variant
// once, save the web version, deliver, and record the run. A stopped or crashed run is resumed by
// running it again: the ledger says who has it; entries a crash left in "sending" are reported as
// uncertain and not resent unless asked.
import type { IssueMeta } from '../adapters/ledger.js';
import type { VariantContext } from '../adapters/message-factory.js';
import { countStates } from '../domain/ledger-state.js';
import { listIdFor, messageIdFor } from '../domain/message-ids.js';
import { countSkips, planSends, type SendPlan } from '../domain/plan-sends.js';
import type { RenderedVariant } from '../domain/render/index.js';
import { PaperboyError } from '../errors.js';
import { deliver, type DeliveryJob } from './deliver.js';
import { VariantCache, noNewPapersMessage, prepareIssue } from './prepare-issue.js';
import { defaultSleep, emptyReport, fieldsFor, smtpServerLabel, webVersion, type SendOptions, type SendPorts, type SendReport, type VariantSummary } from './send-common.js';
import { sendTestCopy } from './send-test.js';
import { SubscriberWatch } from './subscriber-watch.js';

export type { SendOptions, SendPorts, SendReport, VariantSummary } from './send-common.js';

/** Renders the variants a plan needs; recipients whose variant turns out empty move to "no-papers". */
export async function renderPlan(plan: SendPlan, cache: VariantCache) {
  const rendered = new Map<string, RenderedVariant>();
  for (const v of plan.variants) {
    const r = await cache.get(v.topics);
    if (r) rendered.set(v.key, r);
  }
  const sends = plan.sends.filter((s) => rendered.has(s.variantKey));
  const skipped = [...plan.skipped, ...plan.sends.filter((s) => !rendered.has(s.variantKey)).map((s) => ({ email: s.subscriber.email, reason: 'no-papers' as const }))];
  const variants: VariantSummary[] = plan.variants
    .filter((v) => rendered.has(v.key))
    .map((v) => {
      const r = rendered.get(v.key)!;
      return { key: v.key, topics: v.topics, subject: r.subject, paperCount: r.paperCount, recipients: sends.filter((s) => s.variantKey === v.key).length };
    });
  return { rendered, sends, skipped, variants };
}

export async function sendIssue(p: SendPorts, digestPath: string, opts: SendOptions = {}): Promise<SendReport> {
  const startMs = p.clock().getTime();
  const prep = await prepareIssue(p, digestPath, opts.preparsed);
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
    const r = await renderPlan(plan, cache);
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

  const open = await p.ledger.open(issue.id, { wait: opts.wait, signal: opts.signal });
  try {
    const version = await p.storeVersion?.();
    const subs = await p.store.list();
    const plan = planSends(issue, subs, open.state(), { resendUncertain: opts.resendUncertain });
    const renderStart = p.clock().getTime();
    const r = await renderPlan(plan, cache);
    const all = await cache.get(null);
    const runStart = p.clock();
    const renderMs = runStart.getTime() - renderStart;
    const meta: IssueMeta = {
      ...(prep.meta ?? { runs: 0 }),
      issueId: issue.id,
      digestPath,
      date: issue.date,
      ...(all ? { subject: all.subject } : {}),
      paperIds: issue.sections.flatMap((s) => s.papers.map((x) => x.id)),
      variants: r.variants.length,
      startedAt: prep.meta?.startedAt ?? runStart.toISOString(),
      lastRunAt: runStart.toISOString(),
      runs: (prep.meta?.runs ?? 0) + 1,
    };
    delete meta.finishedAt;
    delete meta.skipped;
    await p.ledger.writeMeta(meta);
    // The archive copy goes up before the first mail: every mail links to it.
    if (all) {
      const web = webVersion(p, all, issue.id);
      await p.archive.save({ issueId: issue.id, date: issue.date, subject: all.subject, paperCount: all.paperCount, sentAt: runStart.toISOString(), ...web });
    }

    const settings = { from: p.config.from, listId: listIdFor(p.config.listId, p.config.from), date: runStart };
    const contexts = new Map<string, VariantContext>();
    for (const [key, v] of r.rendered) contexts.set(key, p.factory.prepareVariant(v, settings));
    const watch = new SubscriberWatch(p.store, p.storeVersion ? { version: p.storeVersion } : {});
    watch.prime(subs, version);
    const jobs: DeliveryJob[] = r.sends.map((s) => ({ email: s.subscriber.email, variantKey: s.variantKey, ...(s.resend ? { resend: true } : {}) }));
    opts.onStart?.({ issueId: issue.id, recipients: jobs.length });
    const deliverStart = p.clock().getTime();
    const outcome = await deliver(jobs, {
      ledger: open,
      mailer: p.mailer,
      watch,
      store: p.store,
      build: (job, sub) =>
        p.factory.buildMessage(contexts.get(job.variantKey)!, {
          email: job.email,
          ...(sub.name ? { name: sub.name } : {}),
          messageId: messageIdFor(issue.id, job.email, p.config.from),
          fields: fieldsFor(p, sub, issue.id),
        }),
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
    const skipped = countSkips([...r.skipped, ...outcome.inactive.map((email) => ({ email, reason: 'inactive' as const }))]);
    const finalMeta: IssueMeta = { ...meta, counts: { ...countStates(open.state()), ...(skipped as Record<string, number>) } };
    if (complete) finalMeta.finishedAt = new Date(endMs).toISOString();
    await p.ledger.writeMeta(finalMeta);
    const seconds = Math.max(endMs - startMs, 1) / 1000;
    const report: SendReport = {
      ...emptyReport(prep, startMs, endMs),
      outcome: outcome.stop ? 'stopped' : outcome.aborted ? 'aborted' : 'completed',
      ...(all ? { subject: all.subject } : {}),
      variants: r.variants,
      planned: jobs.length,
      sent: outcome.sent,
      failed: outcome.failed,
      pending: outcome.pending,
      skipped,
      uncertain: r.skipped.filter((s) => s.reason === 'uncertain').map((s) => s.email),
      failures: outcome.failures,
      perSecond: Math.round(((outcome.sent + outcome.failed) / seconds) * 10) / 10,
      stats: { renderMs, deliverMs: endMs - deliverStart, bytes: outcome.bytes },
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
