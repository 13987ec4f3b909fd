// Which of some CommonJS packages this thread has loaded (their files are in the CommonJS module
// cache, which ESM imports of CommonJS fill too). For the benchmark's check that the sending thread
// never loads mjml (each worker thread has a cache of its own).
import { createRequire } from 'node:module';
import { sep } from 'node:path';

export function loadedPackages(names: readonly string[]): string[] {
  const files = Object.keys(createRequire(import.meta.url).cache);
  return names.filter((n) => files.some((f) => f.includes(`${sep}node_modules${sep}${n}${sep}`)));
}

/** The packages that dominate start-up memory (decision 005). */
export const HEAVY_PACKAGES = ['mjml', 'mjml-core'] as const;
