import { describe, expect, it } from 'vitest';
import { fromDomain, listIdFor, messageIdFor, safeDisplayName, testMessageIdFor } from './message-ids.js';

describe('message ids', () => {
  it('gives one stable Message-ID per (issue, subscriber), whatever the address case', () => {
    const a = messageIdFor('2026-03-14-abcd1234', 'Ada@Example.org', 'Paperboy <papers@News.Example.org>');
    expect(a).toMatch(/^<2026-03-14-abcd1234\.[0-9a-f]{16}@news\.example\.org>$/);
    expect(messageIdFor('2026-03-14-abcd1234', 'ada@example.org', 'papers@news.example.org')).toBe(a);
    expect(messageIdFor('2026-03-15-abcd1234', 'ada@example.org', 'papers@news.example.org')).not.toBe(a);
    expect(messageIdFor('2026-03-14-abcd1234', 'bob@example.org', 'papers@news.example.org')).not.toBe(a);
  });

  it('makes test-send ids distinct from the real one and from each other', () => {
    const real = messageIdFor('i', 'a@x.org', 'p@x.org');
    const t1 = testMessageIdFor('i', 'a@x.org', 'p@x.org', '0001');
    expect(t1).not.toBe(real);
    expect(testMessageIdFor('i', 'a@x.org', 'p@x.org', '0002')).not.toBe(t1);
  });

  it('derives the List-Id from the From domain unless configured', () => {
    expect(listIdFor(undefined, 'Paperboy <papers@example.org>')).toBe('paperboy <paperboy.example.org>');
    expect(listIdFor('papers.example.org', 'x@y.org')).toBe('<papers.example.org>');
    expect(listIdFor('Research papers <papers.example.org>', 'x@y.org')).toBe('Research papers <papers.example.org>');
    expect(fromDomain('no address at all')).toBe('localhost');
  });

  it('turns CR/LF and other controls in a display name into spaces', () => {
    expect(safeDisplayName('Eve\r\nBcc: victim@example.org')).toBe('Eve Bcc: victim@example.org');
    expect(safeDisplayName('\r\n')).toBeUndefined();
    expect(safeDisplayName('Erwin Schrödinger 🐈')).toBe('Erwin Schrödinger 🐈');
  });
});
