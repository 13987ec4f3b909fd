// A template that cannot be compiled once for all variants still sends the same mail, through MJML
// per variant, and the send says so (it is ~25x slower per variant); the shipped templates do not.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO, SAMPLE_DIGEST, makeSendFixture, subscriber, type SendFixture } from '../helpers/send-fixture.js';

let fx: SendFixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

const subscribers = [subscriber('all@example.org'), subscriber('vision@example.org', { topics: ['vision'] })];
const warning = /goes through MJML for each of this run's \d+ variants/;

describe('the per-variant MJML path', () => {
  it('is named in the send log, with the reason, and the mail still goes out', async () => {
    const templates = await mkdtemp(join(tmpdir(), 'paperboy-templates-'));
    await cp(join(REPO, 'templates'), templates, { recursive: true });
    const html = join(templates, 'emails', 'issue', 'html.mjml.hbs');
    const source = await readFile(html, 'utf8');
    expect(source).toContain('{{> paper-card}}');
    // Same output (the partial gets the same context), but a partial with arguments cannot be inlined.
    await writeFile(html, source.replaceAll('{{> paper-card}}', '{{> paper-card this}}'));
    fx = await makeSendFixture({ subscribers, env: { PAPERBOY_TEMPLATES_DIR: templates } });
    const report = await fx.app.sendIssue(SAMPLE_DIGEST);
    expect(report).toMatchObject({ outcome: 'completed', sent: 2 });
    const line = fx.logs.find((l) => warning.test(l));
    expect(line).toContain('partial paper-card has arguments');
    expect(line).toContain('html.mjml.hbs');
    await rm(templates, { recursive: true, force: true });
  });

  it('is not taken by the shipped templates', async () => {
    fx = await makeSendFixture({ subscribers });
    const report = await fx.app.sendIssue(SAMPLE_DIGEST);
    expect(report).toMatchObject({ outcome: 'completed', sent: 2 });
    expect(report.variants.length).toBe(2);
    expect(fx.logs.filter((l) => warning.test(l))).toEqual([]);
  });
});
