// `paperboy serve [--port N] [--host ADDR]`: the web app alone (sign-up, confirm, unsubscribe,
// preferences, archive, admin API), without the scheduler. `paperboy start` runs both.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { createApp } from '../../app.js';
import { digestWorker } from '../../adapters/digest-worker.js';
import { loadConfig, type Config } from '../../config.js';
import type { RegisterCommand } from './index.js';
import { listenForStop } from '../stop-request.js';

interface Opts {
  port?: string;
  host?: string;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/** Things worth a line at start-up: plain-HTTP links on a public interface, a base URL on another port. */
export function serveWarnings(config: Config): string[] {
  const out: string[] = [];
  if (!LOOPBACK.has(config.host) && config.baseUrl.startsWith('http://')) {
    out.push(`listening on ${config.host} with a plain-http base URL (${config.baseUrl}): put paperboy behind an HTTPS reverse proxy (see docs/web.md).`);
  }
  if (config.trustProxy && !LOOPBACK.has(config.host)) {
    out.push('trustProxy is on while listening beyond loopback: clients that reach paperboy directly can fake their IP in X-Forwarded-For.');
  }
  return out;
}

export const register: RegisterCommand = (program, io) => {
  program
    .command('serve')
    .description('run the web app only: sign-up, confirm, unsubscribe, preferences, archive and admin API (no scheduled sends)')
    .option('--port <n>', 'port to listen on (default: config port, 8080; 0 = any free port)')
    .option('--host <addr>', 'address to listen on (default: config host, 127.0.0.1)')
    .action(async (opts: Opts, _cmd: Command) => {
      const file = program.opts<{ config?: string }>().config;
      const flags: Record<string, unknown> = {};
      if (opts.port !== undefined) flags.port = opts.port;
      if (opts.host !== undefined) flags.host = opts.host;
      const config = loadConfig({ file: file ? resolve(io.cwd, file) : undefined, env: io.env, flags });
      // POST /admin/send parses and groups digests: in a worker thread, never the web app's.
      const app = await createApp(config, { digestWork: digestWorker() });
      try {
        // Loaded here, not with the CLI: every other command (a send above all) starts without the web stack.
        const { startHttpServer } = await import('../../http/server.js');
        const server = await startHttpServer(app);
        // Listening for a stop before saying where we listen: whoever reads that line may stop us at once.
        const stop = listenForStop(io.env);
        for (const w of serveWarnings(config)) io.stderr(`paperboy: warning: ${w}\n`);
        io.stdout(`paperboy web app listening on ${server.url} (links in mail use ${config.baseUrl})\n`);
        if (config.adminToken) io.stdout('admin API enabled at /admin (Authorization: Bearer <adminToken>)\n');
        const reason = await stop.reason;
        stop.dispose();
        io.stdout(`${reason}: stopping the web app…\n`);
        await server.close();
      } finally {
        await app.close();
      }
    });
};
