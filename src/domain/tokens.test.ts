import { describe, expect, it } from 'vitest';
import { signToken, verifyToken, type TokenPayload } from './tokens.js';
import { confirmUrl, subscriberLinks } from './links.js';

const SECRET = 'test-secret-0123456789abcdef';
const NOW = new Date('2026-03-14T07:00:00Z');
const nowSec = NOW.getTime() / 1000;

describe('tokens', () => {
  it('round-trips every kind, with and without expiry', () => {
    const payloads: TokenPayload[] = [
      { kind: 'unsubscribe', email: 'ann@example.org', v: 0 },
      { kind: 'preferences', email: 'first.last+tag@sub.example.co.uk', v: 37 },
      { kind: 'confirm', email: 'bob@example.org', v: 2, exp: nowSec + 3600 },
    ];
    for (const p of payloads) {
      const token = signToken(SECRET, p);
      expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
      expect(verifyToken(SECRET, token, p.kind, NOW)).toEqual(p);
    }
  });

  it('is compact', () => {
    const token = signToken(SECRET, { kind: 'unsubscribe', email: 'ann@example.org', v: 0 });
    // 15-character address: 4/3 of (address + 5) for the body, 22 for a 128-bit signature, 1 dot.
    expect(token.length).toBeLessThanOrEqual(Math.ceil(((15 + 5) * 4) / 3) + 23);
  });

  it('rejects a forged signature', () => {
    const token = signToken(SECRET, { kind: 'unsubscribe', email: 'ann@example.org', v: 0 });
    const [body, sig] = token.split('.') as [string, string];
    const flipped = sig[0] === 'A' ? `B${sig.slice(1)}` : `A${sig.slice(1)}`;
    expect(verifyToken(SECRET, `${body}.${flipped}`, 'unsubscribe', NOW)).toBeNull();
    expect(verifyToken(SECRET, `${body}.`, 'unsubscribe', NOW)).toBeNull();
    expect(verifyToken(SECRET, body, 'unsubscribe', NOW)).toBeNull();
    expect(verifyToken(SECRET, `${body}.${sig}.${sig}`, 'unsubscribe', NOW)).toBeNull();
    expect(verifyToken(SECRET, '', 'unsubscribe', NOW)).toBeNull();
  });

  it('rejects an altered payload carrying the original signature', () => {
    const token = signToken(SECRET, { kind: 'unsubscribe', email: 'ann@example.org', v: 0 });
    const sig = token.split('.')[1]!;
    const otherBody = Buffer.from('u.0..eve@example.org').toString('base64url');
    expect(verifyToken(SECRET, `${otherBody}.${sig}`, 'unsubscribe', NOW)).toBeNull();
    const bumped = Buffer.from('u.1..ann@example.org').toString('base64url');
    expect(verifyToken(SECRET, `${bumped}.${sig}`, 'unsubscribe', NOW)).toBeNull();
  });

  it('rejects the wrong kind', () => {
    const unsub = signToken(SECRET, { kind: 'unsubscribe', email: 'ann@example.org', v: 0 });
    expect(verifyToken(SECRET, unsub, 'preferences', NOW)).toBeNull();
    expect(verifyToken(SECRET, unsub, 'confirm', NOW)).toBeNull();
    const confirm = signToken(SECRET, { kind: 'confirm', email: 'ann@example.org', v: 0, exp: nowSec + 60 });
    expect(verifyToken(SECRET, confirm, 'unsubscribe', NOW)).toBeNull();
  });

  it('rejects an expired token, from the expiry second on', () => {
    const token = signToken(SECRET, { kind: 'confirm', email: 'ann@example.org', v: 0, exp: nowSec + 60 });
    expect(verifyToken(SECRET, token, 'confirm', new Date(NOW.getTime() + 59_000))).not.toBeNull();
    expect(verifyToken(SECRET, token, 'confirm', new Date(NOW.getTime() + 60_000))).toBeNull();
    expect(verifyToken(SECRET, token, 'confirm', new Date(NOW.getTime() + 86_400_000))).toBeNull();
  });

  it('rejects a token signed with another secret', () => {
    const token = signToken('another-secret-0123456789', { kind: 'unsubscribe', email: 'ann@example.org', v: 0 });
    expect(verifyToken(SECRET, token, 'unsubscribe', NOW)).toBeNull();
  });

  it('refuses to sign a confirm token without expiry', () => {
    expect(() => signToken(SECRET, { kind: 'confirm', email: 'ann@example.org', v: 0 })).toThrow(/exp/);
  });
});

describe('links', () => {
  const sub = { email: 'ann@example.org', tokenVersion: 3 };

  it('builds unsubscribe, preferences and archive links whose tokens verify', () => {
    const links = subscriberLinks('https://papers.example.org/', SECRET, sub, '2026-03-14-abcd1234');
    expect(links.webUrl).toBe('https://papers.example.org/archive/2026-03-14-abcd1234');
    const unsub = links.unsubscribeUrl.match(/^https:\/\/papers\.example\.org\/unsubscribe\/([^/]+)$/)?.[1];
    const prefs = links.preferencesUrl.match(/^https:\/\/papers\.example\.org\/preferences\/([^/]+)$/)?.[1];
    expect(verifyToken(SECRET, unsub!, 'unsubscribe', NOW)).toEqual({ kind: 'unsubscribe', email: sub.email, v: 3 });
    expect(verifyToken(SECRET, prefs!, 'preferences', NOW)).toEqual({ kind: 'preferences', email: sub.email, v: 3 });
    // Years later, still valid: links in old mails keep working.
    expect(verifyToken(SECRET, unsub!, 'unsubscribe', new Date('2036-01-01T00:00:00Z'))).not.toBeNull();
  });

  it('builds a confirm link that expires after the TTL', () => {
    const url = confirmUrl('https://papers.example.org', SECRET, sub, NOW, 48);
    const token = url.match(/\/confirm\/([^/]+)$/)?.[1];
    expect(verifyToken(SECRET, token!, 'confirm', new Date(NOW.getTime() + 47 * 3_600_000))?.v).toBe(3);
    expect(verifyToken(SECRET, token!, 'confirm', new Date(NOW.getTime() + 48 * 3_600_000))).toBeNull();
  });
});
