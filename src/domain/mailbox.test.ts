import { describe, expect, it } from 'vitest';
import { canonicalMailbox, mailDomain } from './mailbox.js';

describe('canonicalMailbox', () => {
  it('drops a +tag on any domain and lower-cases', () => {
    expect(canonicalMailbox('Victim+1@Example.org')).toBe('victim@example.org');
    expect(canonicalMailbox(' victim+news+more@example.org ')).toBe('victim@example.org');
    expect(canonicalMailbox('victim@example.org')).toBe('victim@example.org');
  });

  it('ignores dots for Gmail and googlemail.com, and only there', () => {
    expect(canonicalMailbox('v.i.c.t.i.m+x@googlemail.com')).toBe('victim@gmail.com');
    expect(canonicalMailbox('Vic.Tim@GMAIL.com')).toBe('victim@gmail.com');
    expect(canonicalMailbox('vic.tim@example.org')).toBe('vic.tim@example.org');
  });

  it('keeps a local part that is only a tag, and the last @ decides the domain', () => {
    expect(canonicalMailbox('+tag@example.org')).toBe('+tag@example.org');
    expect(canonicalMailbox('"a@b"+x@example.org')).toBe('"a@b"@example.org');
    expect(canonicalMailbox('victim+1@example.org.')).toBe('victim@example.org');
  });
});

describe('mailDomain', () => {
  it('is the lower-cased domain, googlemail.com counted as gmail.com', () => {
    expect(mailDomain('Ada@Example.ORG')).toBe('example.org');
    expect(mailDomain('ada@googlemail.com')).toBe('gmail.com');
  });
});
