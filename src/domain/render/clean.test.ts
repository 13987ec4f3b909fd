import { describe, expect, it } from 'vitest';
import { cleanText, safeHttpUrl } from './clean.js';

describe('cleanText', () => {
  it('collapses hard-wrapped whitespace', () => {
    expect(cleanText('  A title\n  that wraps\t here ')).toBe('A title that wraps here');
  });
  it('removes C0/C1 controls, so slot markers cannot be forged', () => {
    expect(cleanText('x\u0001pb:email\u0002y\u0085z\u007f')).toBe('x pb:email y z');
  });
  it('treats missing text as empty', () => {
    expect(cleanText(undefined)).toBe('');
  });
});

describe('safeHttpUrl', () => {
  it('keeps absolute http(s) links', () => {
    expect(safeHttpUrl('https://arxiv.org/abs/2603.01234')).toBe('https://arxiv.org/abs/2603.01234');
    expect(safeHttpUrl('HTTP://example.org/a?b=1&c=2')).toBe('HTTP://example.org/a?b=1&c=2');
  });
  it.each([
    'javascript:alert(1)',
    ' javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:x',
    '//example.org/x',
    '/relative',
    'https://',
    'https://exa mple.org',
    'https://example.org/\u0001pb:email\u0002',
    'ftp://example.org',
    '',
  ])('drops %j', (u) => {
    expect(safeHttpUrl(u)).toBeUndefined();
  });
  it('drops non-strings', () => {
    expect(safeHttpUrl(42)).toBeUndefined();
    expect(safeHttpUrl(undefined)).toBeUndefined();
  });
});
