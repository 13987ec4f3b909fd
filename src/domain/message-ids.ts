// Identifiers that go into every issue message. Deterministic, so a retry of the same (issue,
// subscriber) carries the same Message-ID and a receiving server can recognise a duplicate.
import { createHash } from 'node:crypto';
import { parseMailbox, stripControls } from './mime/headers.js';

/** The domain part of the configured From address ('localhost' when it has none). */
export function fromDomain(from: string): string {
  const address = parseMailbox(from).address;
  const at = address.lastIndexOf('@');
  const domain = at >= 0 ? address.slice(at + 1) : '';
  return /^[A-Za-z0-9.-]+$/.test(domain) ? domain.toLowerCase() : 'localhost';
}

const hashEmail = (email: string) => createHash('sha256').update(email.trim().toLowerCase()).digest('hex').slice(0, 16);

/** `<issueId.<16 hex of sha256(email)>@fromdomain>`: one per (issue, subscriber), stable across retries. */
export function messageIdFor(issueId: string, email: string, from: string): string {
  return `<${issueId}.${hashEmail(email)}@${fromDomain(from)}>`;
}

/** Test sends are not issue deliveries: their ids carry a nonce so two test sends never collide. */
export function testMessageIdFor(issueId: string, email: string, from: string, nonce: string): string {
  return `<${issueId}.test-${nonce}.${hashEmail(email)}@${fromDomain(from)}>`;
}

/**
 * List-Id (RFC 2919): the configured value (bracketed if given bare), else `paperboy <paperboy.<domain>>`.
 * Mail clients and filters key on it; it must stay the same from issue to issue.
 */
export function listIdFor(configured: string | undefined, from: string): string {
  const v = configured ? stripControls(configured) : '';
  if (v) return v.includes('<') ? v : `<${v.replace(/[^A-Za-z0-9.-]+/g, '-')}>`;
  return `paperboy <paperboy.${fromDomain(from)}>`;
}

/** A display name safe for a header: control characters (CR/LF included) become spaces. */
export function safeDisplayName(name: string | undefined): string | undefined {
  if (!name) return undefined;
  const clean = stripControls(name).replace(/\s+/g, ' ');
  return clean || undefined;
}
