// Admin API, only when config.adminToken is set (otherwise every /admin route is a plain 404):
// `Authorization: Bearer <token>` compared in constant time; JSON in and out.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { z } from 'zod';
import { isPaperboyError, type ErrorCode } from '../../errors.js';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { RouteContext, WebHono } from '../context.js';
import { EMAIL_HTML_CSP } from './archive.js';

/** A digest is named by its file name inside config.digestsDir: no paths. */
export const DIGEST_FILE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;
const SendBody = z.strictObject({ digest: z.string().regex(DIGEST_FILE, 'digest must be a file name in the digests folder, like 2026-03-14.json').optional() });

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** Hashing first makes both sides the same length, so the comparison leaks neither content nor length. */
export function bearerMatches(header: string | undefined, expected: string): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return timingSafeEqual(digest(m?.[1] ?? ''), digest(expected)) && m !== null;
}

const STATUS_FOR: Partial<Record<ErrorCode, ContentfulStatusCode>> = {
  DIGEST_NOT_FOUND: 404,
  DIGEST_INVALID: 422,
  INPUT_INVALID: 400,
  TAXONOMY_INVALID: 500,
  TEMPLATE_INVALID: 500,
  SEND_IN_PROGRESS: 409,
  SMTP_UNREACHABLE: 502,
  STORE_UNAVAILABLE: 503,
};

export function adminError(c: Context, e: unknown, log: (line: string) => void): Response {
  if (isPaperboyError(e)) {
    return c.json({ error: { code: e.code, message: e.message } }, STATUS_FOR[e.code] ?? 500);
  }
  log(`admin request failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  return c.json({ error: { code: 'INTERNAL', message: 'Unexpected error; see the server log.' } }, 500);
}

export function registerAdmin(app: WebHono, rc: RouteContext): void {
  const { config, admin, log } = rc.deps;
  const token = config.adminToken;

  // Without a token no admin route exists: /admin/* is the ordinary 404 page.
  if (!token) return;

  app.use('/admin/*', async (c, next) => {
    if (!bearerMatches(c.req.header('authorization'), token)) {
      c.header('WWW-Authenticate', 'Bearer realm="paperboy admin"');
      return c.json({ error: { code: 'UNAUTHORIZED', message: 'Send the admin token as "Authorization: Bearer <token>".' } }, 401);
    }
    c.header('Cache-Control', 'no-store');
    await next();
  });

  app.post('/admin/send', async (c) => {
    let body: unknown = {};
    const text = await c.req.text();
    if (text.trim() !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        return c.json({ error: { code: 'INPUT_INVALID', message: 'The body must be JSON like {"digest": "2026-03-14.json"} or empty.' } }, 400);
      }
    }
    const parsed = SendBody.safeParse(body);
    if (!parsed.success) {
      const message = parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
      return c.json({ error: { code: 'INPUT_INVALID', message } }, 400);
    }
    try {
      return c.json({ ok: true, result: await admin.send(parsed.data.digest) });
    } catch (e) {
      return adminError(c, e, log);
    }
  });

  app.get('/admin/status', async (c) => {
    try {
      return c.json(await admin.status());
    } catch (e) {
      return adminError(c, e, log);
    }
  });

  // Per day and source: the last attempt, papers, bytes, HTTP status, the next try, and why a day has no issue.
  app.get('/admin/sources', async (c) => {
    if (!admin.sources) return c.json({ error: { code: 'NOT_FOUND', message: 'This server does not fetch sources.' } }, 404);
    try {
      return c.json(await admin.sources());
    } catch (e) {
      return adminError(c, e, log);
    }
  });

  app.get('/admin/preview/:digest', async (c) => {
    const name = c.req.param('digest');
    if (!DIGEST_FILE.test(name)) return c.json({ error: { code: 'INPUT_INVALID', message: 'Name a digest file in the digests folder.' } }, 400);
    try {
      const html = await admin.preview(name);
      c.header('Content-Security-Policy', EMAIL_HTML_CSP);
      return c.html(html);
    } catch (e) {
      return adminError(c, e, log);
    }
  });
}
