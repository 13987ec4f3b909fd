// `paperboy send <digest> --to addr`: one copy of the issue to one address, to look at before the
// real send. Recorded apart (test sends), never in the delivery ledger, so nobody is marked sent,
// no bounce is counted, and the issue's papers do not count as sent.
import { randomBytes } from 'node:crypto';
import { MailerError, classifySmtpError } from '../adapters/mailer.js';
import { listIdFor, testMessageIdFor } from '../domain/message-ids.js';
import { effectiveTopics, issueTopicIds } from '../domain/plan-sends.js';
import { normaliseEmail } from '../domain/subscriber.js';
import { PaperboyError, isPaperboyError } from '../errors.js';
import { VariantCache, noNewPapersMessage, type PreparedIssue } from './prepare-issue.js';
import { emptyReport, fieldsFor, type SendOptions, type SendPorts, type SendReport } from './send-common.js';

export async function sendTestCopy(p: SendPorts, prep: PreparedIssue, to: string, opts: SendOptions): Promise<SendReport> {
  const startMs = p.clock().getTime();
  const email = normaliseEmail(to);
  if (!/^[^\s@<>]+@[^\s@<>]+$/.test(email)) throw new PaperboyError('INPUT_INVALID', `--to ${to}: not an email address.`);
  if (!prep.issue) throw new PaperboyError('INPUT_INVALID', noNewPapersMessage(prep));
  const issue = prep.issue;
  const cache = new VariantCache(issue, p);
  // A known subscriber gets their own variant (what they would receive); anyone else the full issue.
  const known = await p.store.findSubscriber(email);
  const topics = known ? effectiveTopics(known, issueTopicIds(issue)) : null;
  const variant = (topics && topics.length > 0 ? await cache.get(topics) : null) ?? (await cache.get(null));
  if (!variant) throw new PaperboyError('INPUT_INVALID', `Issue ${issue.id} has no papers to show.`);

  const planned = { key: variant.key, topics: variant.topicIds, subject: variant.subject, paperCount: variant.paperCount, recipients: 1 };
  // --to with --dry-run: say what would go out, send nothing and record nothing.
  if (opts.dryRun) {
    return { ...emptyReport(prep, startMs, p.clock().getTime()), outcome: 'dry-run', subject: variant.subject, message: `Dry run: a test copy of ${issue.id} would go to ${email}.`, variants: [planned], recipients: { [variant.key]: [email] }, planned: 1 };
  }

  const ctx = p.factory.prepareVariant(variant, { from: p.config.from, listId: listIdFor(p.config.listId, p.config.from), date: p.clock(), ...(p.config.replyTo ? { replyTo: p.config.replyTo } : {}) });
  const messageId = testMessageIdFor(issue.id, email, p.config.from, randomBytes(4).toString('hex'));
  const sub = { email, ...(known?.name ? { name: known.name } : {}), tokenVersion: known?.tokenVersion ?? 0 };
  const msg = await p.factory.buildMessage(ctx, { ...sub, messageId, fields: fieldsFor(p, sub, issue.id) });
  const base = { ...emptyReport(prep, startMs, startMs), outcome: 'test' as const, subject: variant.subject, variants: [planned], planned: 1 };
  try {
    const { response } = await p.mailer.send(msg);
    await p.store.recordTestSend({ issueId: issue.id, messageId, email, outcome: 'sent', response, at: p.clock().toISOString() });
    return { ...base, durationMs: p.clock().getTime() - startMs, sent: 1, message: `Test copy of ${issue.id} sent to ${email} (${messageId}).` };
  } catch (e) {
    if (isPaperboyError(e)) throw e;
    const err = e instanceof MailerError ? e : classifySmtpError(e);
    const response = err.response ?? err.message;
    await p.store.recordTestSend({ issueId: issue.id, messageId, email, outcome: 'failed', response, at: p.clock().toISOString() });
    return {
      ...base,
      durationMs: p.clock().getTime() - startMs,
      failed: 1,
      failures: [{ email, messageId, kind: err.kind, response, ...(err.responseCode ? { responseCode: err.responseCode } : {}) }],
      message: `Test copy of ${issue.id} to ${email} failed.`,
    };
  }
}
