// The web app of an App: builds the narrow WebDeps from the composition root, so the routes depend
// only on the ports they use.
import { basename, join } from 'node:path';
import type { Hono } from 'hono';
import type { App } from '../app.js';
import { loadEmailTemplates } from '../adapters/template-files.js';
import { renderEmail, type EmailTemplates } from '../domain/render/index.js';
import { PaperboyError } from '../errors.js';
import type { OneOffEmail, RenderOneOff } from '../services/web-subscriptions.js';
import type { AppEnv } from './context.js';
import type { AdminPort, WebDeps } from './deps.js';
import { createWebApp } from './web-app.js';

/** One-off templates compiled on first use and kept; a failed load is retried next time (after a fix). */
export function oneOffRenderer(templatesDir: string): RenderOneOff {
  const cache = new Map<OneOffEmail, Promise<EmailTemplates>>();
  return async (name, data) => {
    let tpl = cache.get(name);
    if (!tpl) {
      tpl = loadEmailTemplates(templatesDir, name);
      cache.set(name, tpl);
      tpl.catch(() => cache.delete(name));
    }
    return renderEmail(await tpl, data);
  };
}

function adminPort(app: App): AdminPort {
  const digestPath = (file: string) => {
    // The route checks the name already; this keeps the port safe on its own.
    if (basename(file) !== file || file.startsWith('.')) throw new PaperboyError('INPUT_INVALID', `"${file}" is not a file name in the digests folder.`);
    return join(app.config.digestsDir, file);
  };
  return {
    send: (digest) => (digest ? app.sendIssue(digestPath(digest)) : app.sendPending()),
    status: () => app.status(),
    preview: async (digest) => (await app.preview(digestPath(digest))).html,
    sources: () => app.sources(),
  };
}

/** app.config already has absolute paths (createApp resolves them). */
export function webDepsFromApp(app: App): WebDeps {
  return {
    config: app.config,
    secret: app.secret,
    clock: app.clock,
    store: app.store,
    mailer: app.mailer,
    taxonomy: app.taxonomy,
    limits: app.limits,
    renderEmail: oneOffRenderer(app.config.templatesDir),
    admin: adminPort(app),
    log: (line) => app.log(`web: ${line}`),
  };
}

/** The Hono app for an App (mount it anywhere, or test it with app.request()). */
export function createHttpApp(app: App): Hono<AppEnv> {
  return createWebApp(webDepsFromApp(app)).hono;
}
