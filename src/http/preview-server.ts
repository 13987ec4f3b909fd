// Serves the preview app on a local port; the URL it prints is the one it actually bound.
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { PreviewSettings } from '../services/render-preview.js';
import { createPreviewApp } from './preview-app.js';

export async function startPreviewServer(
  settings: PreviewSettings,
  opts: { port: number; host: string },
): Promise<{ url: string; close(): Promise<void> }> {
  const app = createPreviewApp(settings);
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: opts.port, hostname: opts.host }, () => resolve(s));
    s.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${opts.host}:${port}/`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
