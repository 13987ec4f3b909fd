// What every route module shares: the ports, the page renderer, the subscription service, and small
// request helpers (client IP, Origin check, form reading, page responses).
import type { Context, Hono } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';
import type { WebDeps } from './deps.js';
import type { PageName, Pages } from './pages.js';
import type { WebSubscriptions } from '../services/web-subscriptions.js';

/** With app.request() in tests there is no socket, so every binding may be missing. */
export type AppEnv = { Bindings: Partial<HttpBindings> };
export type WebHono = Hono<AppEnv>;
export type WebContext = Context<AppEnv>;

export interface RouteContext {
  deps: WebDeps;
  pages: Pages;
  subs: WebSubscriptions;
  /** Origin of config.baseUrl: forms may be posted from it (or from the origin the request came to). */
  publicOrigin: string;
  /** Path prefix of config.baseUrl ('' at the root), for links in pages. */
  base: string;
}

export function page(rc: RouteContext, c: WebContext, name: PageName, data: Record<string, unknown>, status: ContentfulStatusCode = 200): Response {
  c.header('Cache-Control', 'no-store');
  return c.html(rc.pages.render(name, data), status);
}

/** A page for a generic outcome (errors, not subscribed, ...). */
export function messagePage(
  rc: RouteContext,
  c: WebContext,
  status: ContentfulStatusCode,
  title: string,
  message: string,
  link?: { path: string; text: string },
): Response {
  return page(rc, c, 'message', { title, heading: title, message, linkPath: link?.path, linkText: link?.text }, status);
}

function stripMapped(ip: string): string {
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
}

/**
 * The client's IP: the socket's peer, or — only when configured to trust a reverse proxy — the
 * rightmost X-Forwarded-For entry, the one our proxy appended (entries to its left are client-supplied).
 */
export function clientIp(c: WebContext, trustProxy: boolean): string {
  if (trustProxy) {
    const xff = c.req.header('x-forwarded-for');
    const last = xff?.split(',').map((s) => s.trim()).filter(Boolean).pop();
    if (last && last.length <= 64) return stripMapped(last);
  }
  const remote = c.env?.incoming?.socket?.remoteAddress;
  return remote ? stripMapped(remote) : 'unknown';
}

/** Cross-site form posts carry a foreign Origin: refuse them. Requests without Origin are allowed. */
export function originAllowed(rc: RouteContext, c: WebContext): boolean {
  const origin = c.req.header('origin');
  if (origin === undefined) return true;
  return origin === rc.publicOrigin || origin === new URL(c.req.url).origin;
}

/**
 * Form fields as strings or string arrays (repeated names), or null when the body is not a form
 * or cannot be parsed. File parts are dropped: no form here takes a file.
 */
export async function readForm(c: WebContext): Promise<Record<string, string | string[]> | null> {
  const type = (c.req.header('content-type') ?? '').toLowerCase();
  if (!type.startsWith('application/x-www-form-urlencoded') && !type.startsWith('multipart/form-data')) return null;
  let body: Record<string, unknown>;
  try {
    body = await c.req.parseBody({ all: true });
  } catch {
    return null;
  }
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(body)) {
    if (typeof value === 'string') out[key] = value;
    else if (Array.isArray(value)) out[key] = value.filter((v): v is string => typeof v === 'string');
  }
  return out;
}

/** One message per field, in form order, for the error box at the top of a form. */
export function formErrors(error: z.ZodError): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? '');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(issue.message);
  }
  return out;
}

export function isHtmlRequest(c: WebContext): boolean {
  return !c.req.path.startsWith('/admin/') && c.req.path !== '/admin';
}
