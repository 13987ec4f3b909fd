// Decides whether dist/ (from `npm run build`, run by `npm ci` through "prepare") may be used: only
// when its build stamp is newer than every file in src/, so an edited or freshly checked-out source
// is never shadowed by stale output. Otherwise the sources run through tsx, as before the build existed.
// Compiled JS starts faster and lighter than tsx's loader (docs/performance.md).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

export function compiledIsFresh() {
  if (process.env.PAPERBOY_TSX === '1') return false;
  let built;
  try {
    built = statSync(join(root, 'dist', '.stamp')).mtimeMs;
  } catch {
    return false;
  }
  const src = join(root, 'src');
  for (const name of readdirSync(src, { recursive: true })) {
    if (statSync(join(src, name)).mtimeMs > built) return false;
  }
  return true;
}

/** Imports `src/<path>.ts` compiled from dist/ when fresh, else through tsx. */
export async function importSource(path) {
  if (compiledIsFresh()) return import(new URL(`../dist/${path}.js`, import.meta.url).href);
  const { register } = await import('tsx/esm/api');
  register();
  return import(new URL(`../src/${path}.ts`, import.meta.url).href);
}
