#!/usr/bin/env node
// `npm run build` (also run by `npm ci` through "prepare"): src/ -> dist/ with tsc, from scratch so
// no output of a deleted source survives, then the stamp that bin/compiled.js compares against src/.
import { rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = fileURLToPath(new URL('..', import.meta.url));
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  // A production install (`npm ci --omit=dev`) has no TypeScript: the CLI then runs through tsx.
  console.warn('typescript is not installed: skipping the build; the CLI runs the sources through tsx');
  process.exit(0);
}
const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
if (r.status !== 0) {
  console.error('build failed: the CLI will run the sources through tsx until `npm run build` succeeds');
  process.exit(r.status ?? 1);
}
writeFileSync(new URL('../dist/.stamp', import.meta.url), `${new Date().toISOString()}\n`);
