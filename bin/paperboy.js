#!/usr/bin/env node
// The CLI. Runs the compiled dist/ when it is up to date with src/, else the TypeScript sources
// through tsx, so `npx paperboy` works right after `npm ci` and never runs stale output (bin/compiled.js).
import { importSource } from './compiled.js';

// `paperboy subscribers list | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

// These commands render MJML soon after start: its worker thread loads mjml (~0.5 s) on the other
// core while the CLI's own modules load (src/domain/render/mjml.ts). Measured: a 10k send reaches
// its first message ~0.3 s sooner. Not for --help, which it would only slow down.
const [command, ...rest] = process.argv.slice(2);
if (['send', 'start', 'preview'].includes(command ?? '') && !rest.some((a) => a === '--help' || a === '-h')) {
  const { warmMjml } = await importSource('domain/render/mjml');
  warmMjml();
}

const { main } = await importSource('cli/main');
process.exitCode = await main(process.argv);
