// bin/compiled.js: the CLI runs dist/ only while it is newer than every source file.
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { compiledIsFresh } from '../../bin/compiled.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
  delete process.env.PAPERBOY_TSX;
});

function tree(): string {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-compiled-'));
  mkdirSync(join(dir, 'src', 'domain'), { recursive: true });
  mkdirSync(join(dir, 'dist'));
  writeFileSync(join(dir, 'src', 'app.ts'), '');
  writeFileSync(join(dir, 'src', 'domain', 'x.ts'), '');
  const old = new Date('2026-01-01T00:00:00Z');
  utimesSync(join(dir, 'src', 'app.ts'), old, old);
  utimesSync(join(dir, 'src', 'domain', 'x.ts'), old, old);
  return dir;
}

describe('compiledIsFresh', () => {
  it('uses dist/ when its stamp is newer than every source file', () => {
    const d = tree();
    writeFileSync(join(d, 'dist', '.stamp'), '');
    expect(compiledIsFresh(d)).toBe(true);
  });

  it('falls back to the sources when any file in src/ is newer, the stamp is missing, or PAPERBOY_TSX=1', () => {
    const d = tree();
    expect(compiledIsFresh(d)).toBe(false); // no stamp: never built
    writeFileSync(join(d, 'dist', '.stamp'), '');
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(d, 'src', 'domain', 'x.ts'), later, later); // edited after the build
    expect(compiledIsFresh(d)).toBe(false);
    utimesSync(join(d, 'src', 'domain', 'x.ts'), new Date('2026-01-01T00:00:00Z'), new Date('2026-01-01T00:00:00Z'));
    expect(compiledIsFresh(d)).toBe(true);
    process.env.PAPERBOY_TSX = '1';
    expect(compiledIsFresh(d)).toBe(false);
  });
});
