import { describe, expect, it } from 'vitest';
import { loadedPackages } from '../../adapters/loaded-packages.js';
import { PaperboyError } from '../../errors.js';
import { compileMjml, mjmlWorkerRunning, releaseMjml, useMjmlCache } from './mjml.js';

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

  it('serves a cacheable compile from the cache without starting mjml, and caches no errors', async () => {
    const entries = new Map<string, string>();
    useMjmlCache({ get: (k) => entries.get(k), set: (k, html) => void entries.set(k, html) });
    try {
      await releaseMjml();
      const input = doc('<mj-text>cached</mj-text>');
      const first = await compileMjml(input, 'x.mjml', { cacheable: true });
      expect(entries.size).toBe(1);
      await releaseMjml();
      expect(await compileMjml(input, 'x.mjml', { cacheable: true })).toBe(first);
      expect(mjmlWorkerRunning()).toBe(false);
      // Not cacheable: compiled, and not stored.
      expect(await compileMjml(doc('<mj-text>once</mj-text>'), 'x.mjml')).toContain('once');
      expect(entries.size).toBe(1);
      await expect(compileMjml(doc('<mj-bogus>x</mj-bogus>'), 'x.mjml', { cacheable: true })).rejects.toThrow(/does not compile/);
      expect(entries.size).toBe(1);
      // A different input is a different entry.
      expect(await compileMjml(doc('<mj-text>other</mj-text>'), 'x.mjml', { cacheable: true })).toContain('other');
      expect(entries.size).toBe(2);
    } finally {
      useMjmlCache(undefined);
      await releaseMjml();
    }
  });
});
