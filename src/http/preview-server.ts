// Serves the preview app on a local port; the URL it prints is the one it actually bound.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import type { PreviewSettings } from '../services/render-preview.js';
import { createPreviewApp } from './preview-app.js';
import { previewGuard } from './preview-guard.js';

export async function startPreviewServer(
  settings: PreviewSettings,
  opts: { port: number; host: string },
): Promise<{ url: string; close(): Promise<void> }> {
  // The Host check and the security headers wrap the preview pages (preview-guard.ts).
  const app = new Hono();
  let bound = opts.port;
  app.use(previewGuard({ listenHost: opts.host, port: () => bound }));
  app.route('/', createPreviewApp(settings));
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: opts.port, hostname: opts.host }, () => resolve(s));
    s.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  bound = port;
  return {
    url: `http://${opts.host}:${port}/`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
