#!/usr/bin/env node
// The CLI. Runs the compiled dist/ when it is up to date with src/, else the TypeScript sources
// through tsx, so `npx paperboy` works right after `npm ci` and never runs stale output (bin/compiled.js).
import { importSource } from './compiled.js';

// `paperboy subscribers list | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

const { main } = await importSource('cli/main');
process.exitCode = await main(process.argv);
