// The MJML compile cache across runs: a second App over the same state dir checks the templates
// without starting MJML and renders the same bytes; a damaged cache only costs the compile.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { mjmlWorkerRunning, releaseMjml } from '../../src/domain/render/mjml.js';
import { makeSendFixture, SAMPLE_DIGEST, subscriber, type SendFixture } from '../helpers/send-fixture.js';

let fx: SendFixture | undefined;
afterEach(async () => {
  await fx?.close();
  fx = undefined;
  await releaseMjml();
});

describe('template checks cached in the state dir', () => {
  it('a later run renders the same issue without MJML; damaged entries are compiled again', async () => {
    await releaseMjml();
    fx = await makeSendFixture({ subscribers: [subscriber('a@example.org')] });
    const cold = await fx.app.preview(SAMPLE_DIGEST);
    const dir = join(fx.config.stateDir, 'cache', 'mjml');
    const entries = readdirSync(dir);
    expect(entries.length).toBeGreaterThanOrEqual(2);
    await releaseMjml();

    const warm = await (await fx.newApp()).preview(SAMPLE_DIGEST);
    expect(warm.html).toBe(cold.html);
    expect(mjmlWorkerRunning()).toBe(false);

    for (const name of entries) writeFileSync(join(dir, name), '{"key": "damaged"');
    const again = await (await fx.newApp()).preview(SAMPLE_DIGEST);
    expect(again.html).toBe(cold.html);
    expect(mjmlWorkerRunning()).toBe(true);
  });
});
