// A real sent issue scored by SpamAssassin (Debian's spamassassin, installed by .ci/run): `paperboy
// send` over SMTP to a real smtp-server, the message exactly as it arrived, `spamassassin -L -t`
// (local rules only: no network). The score must be 0 or less; it was 0.7, all of it
// HTML_FONT_LOW_CONTRAST from a white hidden preheader.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSendFixture, REPO, subscriber, type SendFixture } from '../helpers/send-fixture.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';

const SPAMASSASSIN = '/usr/bin/spamassassin';
const DIGESTS = join(REPO, '../shared/data/digests');

let sink: SmtpSink;
let fx: SendFixture;
let home: string;

beforeAll(async () => {
  sink = await startSmtpSink();
  home = await mkdtemp(join(tmpdir(), 'paperboy-sa-'));
  fx = await makeSendFixture({
    smtpUrl: sink.url,
    subscribers: [subscriber('ada@example.org', { name: 'Ada Lovelace' })],
    env: {
      PAPERBOY_FROM: 'Trending Papers <papers@example.org>',
      PAPERBOY_REPLY_TO: 'editors@example.org',
      PAPERBOY_POSTAL_ADDRESS: 'Trending Papers, 1 Example Street, 12345 Example Town',
      PAPERBOY_MAX_DIGEST_AGE_DAYS: '0',
      PAPERBOY_SKIP_SENT_PAPERS: 'false',
    },
  });
});

afterAll(async () => {
  await fx?.close();
  await sink?.close();
  await rm(home, { recursive: true, force: true });
});

/** SpamAssassin's verdict on a raw message: score and the rules that fired. */
function score(raw: Buffer): Promise<{ score: number; tests: string[]; report: string }> {
  return new Promise((resolve, reject) => {
    // HOME: spamassassin writes its user preferences there on first run.
    const child = execFile(SPAMASSASSIN, ['-L', '-t'], { env: { ...process.env, HOME: home }, maxBuffer: 16 * 1024 * 1024, timeout: 120_000 }, (err, stdout) => {
      if (err && !stdout) return reject(err);
      const status = /^X-Spam-Status: (?:Yes|No), score=(-?[\d.]+) required=[\d.]+ tests=([\s\S]*?) autolearn/m.exec(stdout);
      if (!status) return reject(new Error(`no X-Spam-Status in spamassassin's output:\n${stdout.slice(0, 2000)}`));
      resolve({ score: Number(status[1]), tests: status[2]!.split(/[,\s]+/).filter(Boolean), report: stdout.slice(stdout.indexOf('Content analysis details')) });
    });
    child.stdin!.end(raw);
  });
}

describe('SpamAssassin', () => {
  it('is installed (bash .ci/run installs Debian\'s spamassassin)', () => {
    expect(existsSync(SPAMASSASSIN), `${SPAMASSASSIN} is missing: apt-get install spamassassin`).toBe(true);
  });

  for (const file of ['hf-daily-2025-10-03.json', 'hf-trending-page-mar-14.txt']) {
    it(`scores a real sent issue (${file}) at 0 or less`, async () => {
      const before = sink.messages.length;
      const report = await fx.app.sendIssue(join(DIGESTS, file));
      expect(report.sent).toBe(1);
      const message = sink.messages[before]!;
      expect(message.parsed.replyTo?.text).toBe('editors@example.org');
      const verdict = await score(message.raw);
      expect(verdict.tests).not.toContain('HTML_FONT_LOW_CONTRAST');
      expect(verdict.score, verdict.report).toBeLessThanOrEqual(0);
    }, 150_000);
  }
});
