// What keeps the local preview server (`paperboy preview --serve`) local, as hono middleware of its
// own so the preview pages can change without touching it:
//
// - Host check. The server listens on loopback, but a web page the author visits can still reach it
//   by DNS rebinding (its own name, re-pointed at 127.0.0.1): the browser then treats the preview as
//   that page's origin and lets it read the digests and renders. Such a request carries the page's
//   name in Host, so only loopback names (and the host the server was told to listen on) are served.
// - Headers. Pages may not be framed by other sites (frame-ancestors, X-Frame-Options) nor read
//   cross-origin (Cross-Origin-Resource-Policy); nothing is content-sniffed; a CSP limits each page to
//   its own origin. The rendered email (/digest/<name>/html) is shown in the preview's own sandboxed
//   frame, so it gets the archive's email policy (no scripts, inline styles, remote images) with
//   frame-ancestors 'self' instead of 'none'.
import type { MiddlewareHandler } from 'hono';
import { EMAIL_HTML_CSP } from './routes/archive.js';

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

/**
 * The preview shell's policy: its own origin only. Inline script and style stay allowed: the pages
 * carry a small inline reload script and stylesheet and interpolate only escaped text, and the email
 * they show runs in a sandboxed frame under EMAIL_HTML_CSP (docs/decisions/010-hostile-input-bounds.md).
 */
export const PREVIEW_CSP =
  "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/** The email HTML inside the preview's frame: framed by the preview itself, by nothing else. */
export const PREVIEW_EMAIL_CSP = EMAIL_HTML_CSP.replace("frame-ancestors 'none'", "frame-ancestors 'self'");

const EMAIL_PART = /^\/digest\/[^/]+\/html$/;

/** "Host: 127.0.0.1:8081" → "127.0.0.1"; "[::1]:8081" → "[::1]"; lower-cased. */
export function hostName(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  const colon = h.indexOf(':');
  return colon < 0 ? h : h.slice(0, colon);
}

/** Names the preview answers to: loopback, plus `listenHost` when it is a name or a specific address. */
export function allowedHostNames(listenHost: string): string[] {
  const own = listenHost.includes(':') && !listenHost.startsWith('[') ? `[${listenHost}]` : listenHost;
  const wildcard = own === '0.0.0.0' || own === '[::]' || own === '';
  return [...new Set([...LOOPBACK_NAMES, ...(wildcard ? [] : [own.toLowerCase()])])];
}

/** `port` gives the port bound, for the address the refusal points to. */
export function previewGuard(opts: { listenHost: string; port?: () => number | undefined }): MiddlewareHandler {
  const allowed = new Set(allowedHostNames(opts.listenHost));
  return async (c, next) => {
    const port = opts.port?.();
    const home = `http://127.0.0.1${port ? `:${port}` : ''}/`;
    const host = c.req.header('host') ?? new URL(c.req.url).host;
    if (!allowed.has(hostName(host))) {
      return c.text(
        `This preview server only answers requests for ${[...allowed].join(', ')}, not "${host}" (a page on another site may be trying to read it). Open ${home} instead.`,
        403,
        { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' },
      );
    }
    await next();
    const email = EMAIL_PART.test(c.req.path);
    c.header('Content-Security-Policy', email ? PREVIEW_EMAIL_CSP : PREVIEW_CSP);
    c.header('X-Frame-Options', email ? 'SAMEORIGIN' : 'DENY');
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Cross-Origin-Resource-Policy', 'same-origin');
    c.header('Referrer-Policy', 'no-referrer');
  };
}
