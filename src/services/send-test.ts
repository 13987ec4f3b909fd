// `paperboy send <digest> --to addr`: one copy of the issue to one address, to look at before the
// real send. Recorded in the issue's test ledger (<issueId>.test.jsonl), never in the real one, so
// nobody is marked sent, no bounce is counted, and the issue's papers are not claimed.
import { randomBytes } from 'node:crypto';
import { listIdFor, testMessageIdFor } from '../domain/message-ids.js';
import { effectiveTopics, issueTopicIds } from '../domain/plan-sends.js';
import { normaliseEmail, type Subscriber } from '../domain/subscriber.js';
import { PaperboyError } from '../errors.js';
import { deliver } from './deliver.js';
import { VariantCache, noNewPapersMessage, type PreparedIssue } from './prepare-issue.js';
import { defaultSleep, emptyReport, fieldsFor, smtpServerLabel, type SendOptions, type SendPorts, type SendReport } from './send-common.js';

export async function sendTestCopy(p: SendPorts, prep: PreparedIssue, to: string, opts: SendOptions): Promise<SendReport> {
  const startMs = p.clock().getTime();
  const email = normaliseEmail(to);
  if (!/^[^\s@<>]+@[^\s@<>]+$/.test(email)) throw new PaperboyError('INPUT_INVALID', `--to ${to}: not an email address.`);
  if (!prep.issue) throw new PaperboyError('INPUT_INVALID', noNewPapersMessage(prep));
  const issue = prep.issue;
  const cache = new VariantCache(issue, p);
  // A known subscriber gets their own variant (what they would receive); anyone else the full issue.
  const known = (await p.store.list()).find((s) => normaliseEmail(s.email) === email);
  const topics = known ? effectiveTopics(known, issueTopicIds(issue)) : null;
  const variant = (topics && topics.length > 0 ? await cache.get(topics) : null) ?? (await cache.get(null));
  if (!variant) throw new PaperboyError('INPUT_INVALID', `Issue ${issue.id} has no papers to show.`);
  const recipient: Subscriber = known ?? { email, status: 'active', topics: [], createdAt: p.clock().toISOString(), hardBounces: 0, consent: {}, tokenVersion: 0 };

  const planned = { key: variant.key, topics: variant.topicIds, subject: variant.subject, paperCount: variant.paperCount, recipients: 1 };
  // --to with --dry-run: say what would go out, send nothing and record nothing.
  if (opts.dryRun) {
    return { ...emptyReport(prep, startMs, p.clock().getTime()), outcome: 'dry-run', subject: variant.subject, message: `Dry run: a test copy of ${issue.id} would go to ${email}.`, variants: [planned], recipients: { [variant.key]: [email] }, planned: 1 };
  }

  const ctx = p.factory.prepareVariant(variant, { from: p.config.from, listId: listIdFor(p.config.listId, p.config.from), date: p.clock(), ...(p.config.replyTo ? { replyTo: p.config.replyTo } : {}) });
  const messageId = testMessageIdFor(issue.id, email, p.config.from, randomBytes(4).toString('hex'));
  const open = await p.ledger.open(issue.id, { test: true, wait: true, ...(opts.signal ? { signal: opts.signal } : {}) });
  try {
    const outcome = await deliver([{ email, variantKey: variant.key }], {
      ledger: open,
      mailer: p.mailer,
      watch: { current: async () => ({ ...recipient, status: 'active' as const }) },
      store: { update: async <T>() => undefined as T },
      build: (_job, sub) =>
        p.factory.buildMessage(ctx, { email, ...(sub.name ? { name: sub.name } : {}), messageId, fields: fieldsFor(p, sub, issue.id) }),
      smtp: { ...p.config.smtp, connections: 1 },
      server: smtpServerLabel(p.config.smtpUrl),
      clock: p.clock,
      sleep: p.sleep ?? defaultSleep,
      random: p.random ?? Math.random,
      ...(opts.signal ? { signal: opts.signal } : {}),
      log: p.log,
    });
    if (outcome.stop) throw outcome.stop;
    const endMs = p.clock().getTime();
    return {
      ...emptyReport(prep, startMs, endMs),
      outcome: 'test',
      subject: variant.subject,
      message: outcome.sent ? `Test copy of ${issue.id} sent to ${email} (${messageId}).` : `Test copy of ${issue.id} to ${email} failed.`,
      variants: [planned],
      planned: 1,
      sent: outcome.sent,
      failed: outcome.failed,
      pending: outcome.pending,
      failures: outcome.failures,
    };
  } finally {
    await open.close();
  }
}
