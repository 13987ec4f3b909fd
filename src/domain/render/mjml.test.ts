import { describe, expect, it } from 'vitest';
import { loadedPackages } from '../../adapters/loaded-packages.js';
import { PaperboyError } from '../../errors.js';
import { compileMjml, mjmlWorkerRunning, releaseMjml, warmMjml } from './mjml.js';

const doc = (body: string) => `<mjml><mj-body><mj-section><mj-column>${body}</mj-column></mj-section></mj-body></mjml>`;

describe('compileMjml (in its worker thread)', () => {
  it('compiles to HTML without loading mjml into the calling thread', async () => {
    const html = await compileMjml(doc('<mj-text>Hello <b>there</b></mj-text>'), 'issue.mjml.hbs');
    expect(html).toMatch(/<!doctype html>/i);
    expect(html).toContain('Hello <b>there</b>');
    expect(loadedPackages(['mjml', 'mjml-core'])).toEqual([]);
  });

  it('names the template and the offending generated line for strict-validation errors', async () => {
    const err = await compileMjml(doc('<mj-text>ok</mj-text>\n<mj-bogus>x</mj-bogus>'), 'issue.mjml.hbs').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PaperboyError);
    expect((err as PaperboyError).code).toBe('TEMPLATE_INVALID');
    expect((err as PaperboyError).message).toMatch(/^Template issue\.mjml\.hbs does not compile as MJML \(strict\)/);
    expect((err as PaperboyError).message).toContain('mj-bogus');
  });

  it('compiles concurrently, and again after the worker was released', async () => {
    const texts = ['one', 'two', 'three', 'four'];
    const out = await Promise.all(texts.map((t) => compileMjml(doc(`<mj-text>${t}</mj-text>`), 'x.mjml')));
    out.forEach((html, i) => expect(html).toContain(texts[i]));
    await releaseMjml();
    expect(await compileMjml(doc('<mj-text>after</mj-text>'), 'x.mjml')).toContain('after');
    await releaseMjml();
  });

  it('can be started ahead of the first compile, which then finds it loaded', async () => {
    await releaseMjml();
    warmMjml();
    expect(mjmlWorkerRunning()).toBe(true);
    expect(await compileMjml(doc('<mj-text>warm</mj-text>'), 'x.mjml')).toContain('warm');
    await releaseMjml();
    expect(mjmlWorkerRunning()).toBe(false);
  });
});
