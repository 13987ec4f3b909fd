import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { mjmlCacheDir } from './mjml-cache-dir.js';

const dirs: string[] = [];
const fresh = () => {
  const d = mkdtempSync(join(tmpdir(), 'pb-mjml-cache-'));
  dirs.push(d);
  return join(d, 'cache', 'mjml');
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('mjmlCacheDir', () => {
  it('keeps an entry between instances, and a damaged or foreign entry is a miss', () => {
    const dir = fresh();
    mjmlCacheDir(dir).set('a'.repeat(64), '<html>a</html>');
    expect(mjmlCacheDir(dir).get('a'.repeat(64))).toBe('<html>a</html>');
    expect(mjmlCacheDir(dir).get('b'.repeat(64))).toBeUndefined();
    writeFileSync(join(dir, `${'c'.repeat(64)}.json`), '{"key":"ccc", "html":');
    expect(mjmlCacheDir(dir).get('c'.repeat(64))).toBeUndefined();
    // Another key's content under this name (a copied file) is not served.
    writeFileSync(join(dir, `${'d'.repeat(64)}.json`), JSON.stringify({ key: 'a'.repeat(64), html: 'x' }));
    expect(mjmlCacheDir(dir).get('d'.repeat(64))).toBeUndefined();
  });

  it('keeps the 64 most recent entries', () => {
    const dir = fresh();
    const cache = mjmlCacheDir(dir);
    for (let i = 0; i < 70; i++) {
      const key = i.toString(16).padStart(64, '0');
      cache.set(key, `<p>${i}</p>`);
      // Distinct ages, oldest first, whatever the file system's timestamp resolution.
      utimesSync(join(dir, `${key}.json`), 1_000_000 + i, 1_000_000 + i);
    }
    cache.set('f'.repeat(64), '<p>last</p>');
    const names = readdirSync(dir);
    expect(names).toHaveLength(64);
    expect(cache.get('f'.repeat(64))).toBe('<p>last</p>');
    expect(cache.get((0).toString(16).padStart(64, '0'))).toBeUndefined();
    expect(cache.get((69).toString(16).padStart(64, '0'))).toBe('<p>69</p>');
  });

  it('is only slower when it cannot be written', () => {
    const dir = fresh();
    mkdirSync(join(dir, '..'), { recursive: true });
    writeFileSync(dir, 'a file where the folder should be');
    const cache = mjmlCacheDir(dir);
    expect(() => cache.set('e'.repeat(64), '<p>e</p>')).not.toThrow();
    expect(cache.get('e'.repeat(64))).toBeUndefined();
  });
});
