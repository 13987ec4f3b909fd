import { describe, expect, it } from 'vitest';
import { MIN_ABSTRACT_CHARS, capPapers, shortenAuthors, tightenLimits, trimAbstract, type RenderLimits } from './trim.js';

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

  it('falls back to a word boundary with an ellipsis when no sentence end keeps half the budget', () => {
    const text = 'A very long first sentence without any full stop that goes on and on about the many things the authors did';
    const r = trimAbstract(text, 50);
    expect(r.text.endsWith('…')).toBe(true);
    const head = r.text.slice(0, -1);
    expect(head.length).toBeLessThanOrEqual(50);
    expect(text.startsWith(head)).toBe(true);
    expect(text[head.length]).toBe(' ');
  });

  it('hard-cuts a single giant word and never splits a surrogate pair', () => {
    expect(trimAbstract('x'.repeat(100), 10).text).toBe(`${'x'.repeat(10)}…`);
    const emoji = '😀'.repeat(20);
    const r = trimAbstract(emoji, 9).text;
    expect(r.endsWith('…')).toBe(true);
    expect(r.slice(0, -1)).toBe('😀'.repeat(4));
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

describe('capPapers', () => {
  it('shows the first n and counts the rest', () => {
    expect(capPapers([1, 2, 3, 4, 5], 3)).toEqual({ shown: [1, 2, 3], hidden: 2 });
    expect(capPapers([1, 2], 3)).toEqual({ shown: [1, 2], hidden: 0 });
  });
});

describe('tightenLimits', () => {
  const start: RenderLimits = { maxPapersPerTopic: 8, maxAbstractChars: 420, maxHtmlBytes: 95_000 };

  it('does nothing when the render fits', () => {
    expect(tightenLimits(start, 95_000)).toBeNull();
  });

  it('shortens abstracts first, then papers per topic, then drops abstracts, then gives up', () => {
    const steps: RenderLimits[] = [];
    let l: RenderLimits | null = start;
    while ((l = tightenLimits(l, 200_000))) steps.push(l);
    expect(steps[0]!.maxAbstractChars).toBeLessThan(420);
    expect(steps[0]!.maxPapersPerTopic).toBe(8);
    const firstPaperCut = steps.findIndex((s) => s.maxPapersPerTopic < 8);
    expect(steps[firstPaperCut - 1]!.maxAbstractChars).toBe(MIN_ABSTRACT_CHARS);
    expect(steps.at(-1)).toEqual({ maxPapersPerTopic: 1, maxAbstractChars: 0, maxHtmlBytes: 95_000 });
    // Every step is strictly tighter than the one before.
    for (let i = 1; i < steps.length; i++) {
      const a = steps[i - 1]!;
      const b = steps[i]!;
      expect(b.maxAbstractChars < a.maxAbstractChars || b.maxPapersPerTopic < a.maxPapersPerTopic).toBe(true);
    }
  });
});
