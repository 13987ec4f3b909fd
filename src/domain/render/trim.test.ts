import { describe, expect, it } from 'vitest';
import { shortenAuthors, shortenText, trimAbstract } from './trim.js';

const ABSTRACT =
  'We study how models behave, e.g. under shift. Our method improves accuracy by 3.2 points on average (see Fig. 2 in Smith et al. for details). ' +
  'It also runs faster than all baselines on every benchmark we tried. Code is public.';

describe('trimAbstract', () => {
  it('leaves short text alone', () => {
    expect(trimAbstract('Short.', 100)).toEqual({ text: 'Short.', trimmed: false });
  });

  it('cuts at the last sentence end within the limit, not at abbreviations or decimals', () => {
    const r = trimAbstract(ABSTRACT, 200);
    expect(r.trimmed).toBe(true);
    expect(r.text).toBe('We study how models behave, e.g. under shift. Our method improves accuracy by 3.2 points on average (see Fig. 2 in Smith et al. for details).');
    expect(r.text.length).toBeLessThanOrEqual(200);
  });

  it('falls back to a word boundary when no sentence end keeps half the budget (the caller shows the cut)', () => {
    const text = 'A very long first sentence without any full stop that goes on and on about the many things the authors did';
    const r = trimAbstract(text, 50);
    expect(r.trimmed).toBe(true);
    const head = r.text;
    expect(head.length).toBeLessThanOrEqual(50);
    expect(text.startsWith(head)).toBe(true);
    expect(text[head.length]).toBe(' ');
  });

  it('hard-cuts a single giant word and never splits a surrogate pair', () => {
    expect(trimAbstract('x'.repeat(100), 10).text).toBe('x'.repeat(10));
    const emoji = '😀'.repeat(20);
    expect(trimAbstract(emoji, 9).text).toBe('😀'.repeat(4));
  });

  it('returns nothing for a zero budget', () => {
    expect(trimAbstract(ABSTRACT, 0)).toEqual({ text: '', trimmed: true });
  });
});

describe('shortenAuthors', () => {
  it('lists up to three names, then et al.', () => {
    expect(shortenAuthors(['A', 'B', 'C'])).toBe('A, B, C');
    expect(shortenAuthors(['A', 'B', 'C', 'D'])).toBe('A, B, C et al.');
    expect(shortenAuthors(['A', '', 'B'])).toBe('A, B');
    expect(shortenAuthors([])).toBe('');
  });
});

describe('shortenText', () => {
  it('keeps short text, cuts long text at a word with a visible ellipsis, within the limit', () => {
    expect(shortenText('Short enough', 20)).toBe('Short enough');
    const out = shortenText('What Can Be Learnt With Wide Convolutional Neural Networks?', 40);
    expect(out).toBe('What Can Be Learnt With Wide…');
    expect(out.length).toBeLessThanOrEqual(40);
  });
});
