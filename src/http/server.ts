// Runs the web app on config.host:config.port with @hono/node-server. close() stops accepting,
// lets requests in flight finish and waits for background mails; the App itself is the caller's.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import type { App } from '../app.js';
import { PaperboyError } from '../errors.js';
import { webDepsFromApp } from './app.js';
import { createWebApp, type WebApp } from './web-app.js';

export interface RunningServer {
  /** http://host:port, with the port actually bound (useful with port 0). */
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startWebServer(web: WebApp, opts: { port: number; host: string }): Promise<RunningServer> {
  const server = createAdaptorServer({ fetch: web.hono.fetch }) as Server;
  // Slow-loris protection on top of Node's defaults; forms are tiny.
  server.headersTimeout = 20_000;
  server.requestTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) => {
      const hint =
        e.code === 'EADDRINUSE'
          ? `port ${opts.port} on ${opts.host} is already in use: stop the other program or set port (PAPERBOY_PORT, --port).`
          : e.code === 'EACCES'
            ? `not allowed to listen on port ${opts.port}: use a port above 1023 (PAPERBOY_PORT) behind a reverse proxy.`
            : `cannot listen on ${opts.host}:${opts.port}: ${e.message}`;
      reject(new PaperboyError('CONFIG_INVALID', `Web server: ${hint}`));
    };
    server.once('error', onError);
    server.listen(opts.port, opts.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    port,
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
        await web.tasks.idle();
      })();
      return closing;
    },
  };
}

/** `paperboy serve` and `paperboy start`: the web app of this App on config.port / config.host. */
export function startHttpServer(app: App, opts: { port?: number; host?: string } = {}): Promise<RunningServer> {
  const web = createWebApp(webDepsFromApp(app));
  return startWebServer(web, { port: opts.port ?? app.config.port, host: opts.host ?? app.config.host });
}
