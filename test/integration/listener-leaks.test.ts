// A rate-limited send (PAPERBOY_RATE_LIMIT, which the README recommends for real relays) through
// the CLI to a real SMTP server: every worker waits for its slot on the run's stop signal, and none
// of those waits may pile listeners on it. Fails on any MaxListenersExceededWarning the process emits.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/paperboy-process.js';
import { runCli } from '../helpers/run-cli.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';

const SAMPLE = resolve(REPO_ROOT, 'docs/examples/sample-digest.json');
let dir: string;
let sink: SmtpSink;
const warnings: Error[] = [];
const onWarning = (w: Error) => warnings.push(w);

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'paperboy-listeners-'));
  sink = await startSmtpSink();
  warnings.length = 0;
  process.on('warning', onWarning);
});

afterEach(async () => {
  process.off('warning', onWarning);
  await sink.close();
  await rm(dir, { recursive: true, force: true });
});

describe('listener leaks', () => {
  it('a rate-limited send to 60 subscribers over 10 connections emits no MaxListenersExceededWarning', { timeout: 60_000 }, async () => {
    const env = {
      PAPERBOY_SMTP_URL: sink.url,
      PAPERBOY_FROM: 'Paper Digest <papers@example.org>',
      PAPERBOY_RATE_LIMIT: '200',
      PAPERBOY_SMTP_CONNECTIONS: '10',
      PAPERBOY_STATE_DIR: join(dir, 'state'),
      PAPERBOY_SUBSCRIBERS: join(dir, 'subscribers.json'),
    };
    const emails = Array.from({ length: 60 }, (_, i) => `reader${i}@example.org`);
    await writeFile(join(dir, 'people.csv'), `email\n${emails.join('\n')}\n`);
    expect((await runCli(['subscribers', 'import', 'people.csv'], { env, cwd: dir })).code).toBe(0);
    const r = await runCli(['send', SAMPLE], { env, cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/sent 60 · failed 0/);
    expect(sink.messages).toHaveLength(60);
    // Warnings are emitted on the next tick.
    await new Promise((done) => setImmediate(done));
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning').map((w) => w.message)).toEqual([]);
  });
});
