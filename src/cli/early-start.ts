// Work a command is sure to need that can start before the CLI's own modules have loaded (~0.3 s).
// bin/paperboy.js calls this first. Commands that render issues compile MJML in a worker thread
// whose start loads mjml (~0.45 s); started here, that runs on the second core alongside the CLI's
// start-up. Measured with a 10k send: the digest is parsed and grouped ~0.2-0.4 s sooner, and the
// 100k peak RSS is unchanged (docs/decisions/006-lean-send-process.md, section 8).
import { warmMjml } from '../domain/render/mjml.js';

/** Commands that compile MJML (their names as registered in commands/). */
const RENDERING_COMMANDS = new Set(['send', 'preview']);

export function startEarly(argv: readonly string[]): void {
  const args = argv.slice(2);
  if (!RENDERING_COMMANDS.has(args[0] ?? '') || args.includes('--help') || args.includes('-h')) return;
  try {
    warmMjml();
  } catch {
    // The first real compile starts the worker again and reports what is wrong.
  }
}
