// Signed tokens for links in mail (confirm, unsubscribe, preferences, stop one topic). Stateless: the token carries
// kind, address and tokenVersion, signed with HMAC-SHA256. Single use (confirm) comes from comparing
// `v` with the subscriber's tokenVersion, which is bumped when the token is spent.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** stop-topic: drops one topic (in the link's path) from the subscriber's choice, nothing else. */
export type TokenKind = 'confirm' | 'unsubscribe' | 'preferences' | 'stop-topic';

export interface TokenPayload {
  kind: TokenKind;
  email: string;
  v: number;
  /** Unix seconds; confirm tokens must have one, the others never expire. */
  exp?: number;
}

// One letter per kind keeps links short.
const KIND_CODE: Record<TokenKind, string> = { confirm: 'c', unsubscribe: 'u', preferences: 'p', 'stop-topic': 's' };
const CODE_KIND: Record<string, TokenKind> = { c: 'confirm', u: 'unsubscribe', p: 'preferences', s: 'stop-topic' };

// 128 bits of HMAC-SHA256: truncation to half the hash length is allowed by RFC 2104 and keeps
// links compact (22 characters of signature) while forgery stays out of reach.
const SIG_BYTES = 16;
// Domain separation: a signature made with the same secret for something else is never a token.
const CONTEXT = 'paperboy-token-1\n';

function sign(secret: string, body: string): Buffer {
  return createHmac('sha256', secret).update(CONTEXT + body).digest().subarray(0, SIG_BYTES);
}

/** `<base64url body>.<base64url signature>`; URL-safe without escaping. */
export function signToken(secret: string, payload: TokenPayload): string {
  if (!secret) throw new Error('signToken: empty secret');
  if (payload.kind === 'confirm' && payload.exp === undefined) throw new Error('signToken: confirm tokens need exp');
  if (!Number.isInteger(payload.v) || payload.v < 0) throw new Error('signToken: v must be a non-negative integer');
  // The address goes last: it may contain dots, the numbers and the kind cannot.
  const exp = payload.exp === undefined ? '' : Math.floor(payload.exp).toString(36);
  const plain = `${KIND_CODE[payload.kind]}.${payload.v.toString(36)}.${exp}.${payload.email}`;
  const body = Buffer.from(plain, 'utf8').toString('base64url');
  return `${body}.${sign(secret, body).toString('base64url')}`;
}

const B64URL = /^[A-Za-z0-9_-]+$/;
const BASE36 = /^[0-9a-z]+$/;

/**
 * The payload when `token` was signed with `secret`, is of `kind` and has not expired at `now`;
 * otherwise null (callers show one "link invalid or expired" page, so no reason is given).
 */
export function verifyToken(secret: string, token: string, kind: TokenKind, now: Date): TokenPayload | null {
  if (!secret || typeof token !== 'string' || token.length > 2048) return null;
  const parts = token.split('.');
  if (parts.length !== 2) return null;
  const [body, sig] = parts as [string, string];
  if (!B64URL.test(body) || !B64URL.test(sig)) return null;
  const given = Buffer.from(sig, 'base64url');
  const expected = sign(secret, body);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;

  const plain = Buffer.from(body, 'base64url').toString('utf8');
  const m = /^([a-z])\.([0-9a-z]+)\.([0-9a-z]*)\.(.+)$/s.exec(plain);
  if (!m) return null;
  const [, code, v36, exp36, email] = m as unknown as [string, string, string, string, string];
  if (CODE_KIND[code] !== kind) return null;
  if (!BASE36.test(v36)) return null;
  const payload: TokenPayload = { kind, email, v: parseInt(v36, 36) };
  if (exp36) payload.exp = parseInt(exp36, 36);
  if (kind === 'confirm' && payload.exp === undefined) return null;
  if (payload.exp !== undefined && Math.floor(now.getTime() / 1000) >= payload.exp) return null;
  return payload;
}
