// `paperboy start`: the long-running service. One App; the scheduler sends every digest that is
// not fully sent (at start-up and on each cron tick) and the web server takes sign-ups. SIGTERM,
// SIGINT or the npm wrapper going away (stop-request.ts): no new ticks or messages, the ones in flight finish, exit 0.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { createApp, type App } from '../../app.js';
import { digestWorker } from '../../adapters/digest-worker.js';
import { createLogger, logFormatFor, type Logger } from '../../adapters/logger.js';
import { loadConfig } from '../../config.js';
import type { startHttpServer } from '../../http/server.js';
import type { SendPending } from '../../scheduler/scheduler.js';
import type { CliIo } from '../main.js';
import type { RegisterCommand } from './index.js';
import { serveWarnings } from './serve.js';
import { listenForStop } from '../stop-request.js';

/** The App's pending check in the scheduler's terms, with its progress as log events. */
function pendingFor(app: App, logger: Logger): SendPending {
  return async ({ skip, signal }) => {
    const summary = await app.sendPending({
      skip,
      signal,
      onStart: (info) => logger.info('issue.sending', { issueId: info.issueId, recipients: info.recipients }),
    });
    const results = summary.results.map((r) => ({
      file: r.file,
      outcome: r.outcome,
      ...(r.issueId ? { issueId: r.issueId } : {}),
      ...(r.outcome === 'invalid' || r.outcome === 'error' || r.outcome === 'stopped' ? { error: r.message } : {}),
      ...(r.outcome === 'too-old' || r.outcome === 'changed' ? { message: r.message } : {}),
      ...(r.report ? { sent: r.report.sent, failed: r.report.failed, pending: r.report.pending } : {}),
    }));
    if (summary.stopped) logger.error('smtp.stopped', { error: summary.stopped, hint: 'later digests were not tried; they are tried again when the deferred recipients fall due' });
    return { results, ...(summary.retryAt ? { retryAt: new Date(summary.retryAt) } : {}) };
  };
}

export const register: RegisterCommand = (program: Command, io: CliIo) => {
  program
    .command('start')
    .description('run the service: send pending digests now and on the schedule, and serve the web app')
    .option('--schedule <cron>', 'cron expression, overrides PAPERBOY_SCHEDULE (e.g. "0 7 * * *")')
    .option('--no-web', 'do not start the web server')
    .action(async (opts: { schedule?: string; web: boolean }) => {
      const file = program.opts<{ config?: string }>().config;
      const config = loadConfig({ file: file ? resolve(io.cwd, file) : undefined, env: io.env, flags: opts.schedule ? { schedule: opts.schedule } : {} });
      // The scheduler (node-cron) and the web stack are loaded by this command only, not by the CLI.
      const [{ Scheduler, validateSchedule }, { startHttpServer }, { FetchTriggers }] = await Promise.all([
        import('../../scheduler/scheduler.js'),
        import('../../http/server.js'),
        import('../../scheduler/fetch-triggers.js'),
      ]);
      // A bad schedule stops the program before anything starts.
      validateSchedule(config.schedule, config.timezone);
      if (config.fetch.schedule) validateSchedule(config.fetch.schedule, config.timezone);
      const logger = createLogger({ format: logFormatFor(config.logFormat, io.isTTY), write: io.stdout });
      // Digests are parsed and grouped in a worker thread, so none can hold up the web app.
      const app = await createApp(config, { cwd: io.cwd, log: (line) => logger.info('send.note', { message: line }), digestWork: digestWorker() });
      // With sources configured, each pending check fetches first (see scheduler/fetch-triggers.ts).
      const send = pendingFor(app, logger);
      let fetching: InstanceType<typeof FetchTriggers> | undefined;
      const scheduler = new Scheduler({
        schedule: config.schedule,
        ...(config.timezone ? { timezone: config.timezone } : {}),
        sendPending: async (opts) => {
          await fetching?.beforeSend(opts.signal);
          return send(opts);
        },
        logger,
      });
      if (config.sources.length > 0) {
        fetching = new FetchTriggers({
          sendSchedule: config.schedule,
          ...(config.fetch.schedule ? { fetchSchedule: config.fetch.schedule } : {}),
          ...(config.timezone ? { timezone: config.timezone } : {}),
          clock: app.clock,
          fetchDue: (signal) => app.fetchDue(signal),
          nextRetry: () => app.nextFetchRetry(),
          runSendCheck: () => scheduler.runNow('manual'),
          logger,
        });
      }
      // A second Ctrl-C: the person does not want to wait for the messages in flight.
      const shutdown = listenForStop(io.env, {
        onRepeat: (signal) => {
          logger.warn('shutdown.forced', { signal });
          process.exit(130);
        },
      });
      let server: Awaited<ReturnType<typeof startHttpServer>> | undefined;
      try {
        if (opts.web) {
          server = await startHttpServer(app);
          logger.info('web.started', { url: server.url, baseUrl: config.baseUrl });
          for (const w of serveWarnings(config)) logger.warn('web.warning', { message: w });
        }
        scheduler.start();
        fetching?.start();
        logger.info('paperboy.started', { digests: app.config.digestsDir, database: app.store.label, state: app.config.stateDir });
        logger.info('shutdown.begin', { signal: await shutdown.reason });
      } finally {
        // No new fetches, ticks or messages (waiting for those in flight), no new requests, then the SMTP pool.
        await fetching?.stop();
        await scheduler.stop();
        await server?.close();
        await app.close();
        shutdown.dispose();
        logger.info('shutdown.done');
      }
    });
};
