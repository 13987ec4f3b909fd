#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx's loader, so `npx paperboy` works right after
// `npm ci` with no build step and can never run stale compiled output.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv);
