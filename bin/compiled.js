// Decides whether dist/ (from `npm run build`, run by `npm ci` through "prepare") may be used: only
// when its build stamp is newer than every file in src/, so an edited or freshly checked-out source
// is never shadowed by stale output. Otherwise the sources run through tsx, as before the build existed.
// Compiled JS starts faster and lighter than tsx's loader (docs/performance.md).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

export function compiledIsFresh(dir = root) {
  if (process.env.PAPERBOY_TSX === '1') return false;
  let built;
  try {
    built = statSync(join(dir, 'dist', '.stamp')).mtimeMs;
  } catch {
    return false;
  }
  const src = join(dir, 'src');
  for (const name of readdirSync(src, { recursive: true })) {
    if (statSync(join(src, name)).mtimeMs > built) return false;
  }
  return true;
}

// Decided once per process: every import must come from the same tree, and tsx registers once.
let mode;
async function sourceMode() {
  mode ??= (async () => {
    if (compiledIsFresh()) return 'dist';
    const { register } = await import('tsx/esm/api');
    register();
    return 'src';
  })();
  return mode;
}

/** Imports `src/<path>.ts` compiled from dist/ when fresh, else through tsx. */
export async function importSource(path) {
  return (await sourceMode()) === 'dist'
    ? import(new URL(`../dist/${path}.js`, import.meta.url).href)
    : import(new URL(`../src/${path}.ts`, import.meta.url).href);
}
