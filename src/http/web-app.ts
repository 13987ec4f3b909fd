// The web app over WebDeps: middleware (security headers, body limit, error pages) and the routes.
// createHttpApp (app.ts) builds the deps from the App; tests build them from in-memory fakes.
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import { HTTPException } from 'hono/http-exception';
import { publicationFor } from '../config.js';
import { BackgroundTasks } from '../services/background-tasks.js';
import { createWebSubscriptions } from '../services/web-subscriptions.js';
import { isPaperboyError } from '../errors.js';
import { messagePage, type AppEnv, type RouteContext } from './context.js';
import type { WebDeps } from './deps.js';
import { loadPages } from './pages.js';
import { registerAdmin } from './routes/admin.js';
import { registerArchive } from './routes/archive.js';
import { registerConfirm } from './routes/confirm.js';
import { registerPreferences } from './routes/preferences.js';
import { registerSubscribe } from './routes/subscribe.js';
import { registerStopTopic } from './routes/stop-topic.js';
import { registerUnsubscribe } from './routes/unsubscribe.js';

/** Retry-After (seconds) when the database is unavailable. */
export const STORE_RETRY_AFTER_S = 120;

/** Forms here are a few hundred bytes; admin bodies are tiny JSON. */
export const BODY_LIMIT_BYTES = 16 * 1024;

export interface WebApp {
  hono: Hono<AppEnv>;
  /** Mails still being sent in the background; wait on idle() before closing the mailer. */
  tasks: BackgroundTasks;
}

export function createWebApp(deps: WebDeps): WebApp {
  const { config, log } = deps;
  const base = new URL(config.baseUrl);
  const basePath = base.pathname.replace(/\/+$/, '');
  const siteName = publicationFor(config).name;
  const pages = loadPages(config.templatesDir, { base: basePath, siteName });
  const tasks = new BackgroundTasks(log);
  const subs = createWebSubscriptions({
    config,
    secret: deps.secret,
    clock: deps.clock,
    store: deps.store,
    mailer: deps.mailer,
    renderEmail: deps.renderEmail,
    limits: deps.limits,
    tasks,
    taxonomy: deps.taxonomy,
    log,
  });
  const rc: RouteContext = { deps, pages, subs, publicOrigin: base.origin, base: basePath };

  const app = new Hono<AppEnv>();
  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'none'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
      },
      xFrameOptions: 'DENY',
      // HSTS only when the public address is https: over plain http it means nothing to browsers
      // (RFC 6797) and only misleads whoever reads the headers.
      strictTransportSecurity: base.protocol === 'https:' ? 'max-age=15552000; includeSubDomains' : false,
      // Same-origin form posts must carry their Origin (checked on POST); token URLs must never
      // leak to other sites through Referer.
      referrerPolicy: 'same-origin',
      // Routes that serve email HTML set their own policy.
      overwrite: false,
    }),
  );
  app.use(
    bodyLimit({
      maxSize: BODY_LIMIT_BYTES,
      onError: (c) => messagePage(rc, c, 413, 'Too much data', 'That request was larger than any form here sends.'),
    }),
  );

  app.get('/style.css', (c) => {
    c.header('Content-Type', 'text/css; charset=utf-8');
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(pages.css);
  });
  app.get('/healthz', (c) => c.text('ok'));

  registerSubscribe(app, rc);
  registerConfirm(app, rc);
  registerUnsubscribe(app, rc);
  registerPreferences(app, rc);
  registerStopTopic(app, rc);
  registerArchive(app, rc, siteName);
  registerAdmin(app, rc);

  app.notFound((c) => messagePage(rc, c, 404, 'Page not found', 'There is nothing at this address.'));
  app.onError((err, c) => {
    if (err instanceof HTTPException && err.status < 500) {
      return messagePage(rc, c, err.status, 'Bad request', 'The request could not be understood.');
    }
    // The stack goes to the log, never to the visitor; a known problem (e.g. an invalid subscribers
    // file) is logged as its message, which says what to fix — a stack would only bury it.
    log(`${c.req.method} ${c.req.path} failed: ${isPaperboyError(err) ? err.message : (err.stack ?? err.message)}`);
    // The database cannot take the change right now (a full disk, a lost server): say so, and
    // that trying again later works. Nothing was stored, and nothing claimed it was.
    if (isPaperboyError(err) && err.code === 'STORE_UNAVAILABLE') {
      c.header('Retry-After', String(STORE_RETRY_AFTER_S));
      if (c.req.path.startsWith('/admin/')) return c.json({ error: { code: err.code, message: 'The database is unavailable; see the server log.' } }, 503);
      return messagePage(rc, c, 503, 'Please try again in a few minutes', 'We could not record this just now, so nothing was changed. Please try again in a few minutes.');
    }
    if (c.req.path.startsWith('/admin/')) return c.json({ error: { code: 'INTERNAL', message: 'Unexpected error; see the server log.' } }, 500);
    return messagePage(rc, c, 500, 'Something went wrong', 'The server could not handle this request. Please try again later.');
  });

  return { hono: app, tasks };
}
