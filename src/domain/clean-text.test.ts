import { describe, expect, it } from 'vitest';
import { cleanList, cleanOptional, cleanText } from './clean-text.js';

describe('cleanText', () => {
  it('joins hard wraps the way arXiv and Hugging Face wrap titles', () => {
    expect(cleanText('OMG-LLaVA: Bridging Image-level, Object-level, Pixel-level Reasoning and\n  Understanding')).toBe(
      'OMG-LLaVA: Bridging Image-level, Object-level, Pixel-level Reasoning and Understanding',
    );
    expect(cleanText('line one\r\nline two\rline three')).toBe('line one line two line three');
  });

  it('removes C0 and C1 control characters but keeps the words around them', () => {
    expect(cleanText('bell\u0007 and\u0000 nul, esc\u001b[0m, del\u007f, csi\u009b, nel\u0085next')).toBe(
      'bell and nul, esc[0m, del, csi, nel next',
    );
  });

  it('collapses runs of whitespace (including no-break spaces) and trims', () => {
    expect(cleanText('  At the time of writing,  achieves\u00a0\u00a0first place \t ')).toBe(
      'At the time of writing, achieves first place',
    );
  });

  it('keeps LaTeX and non-ASCII letters exactly as written', () => {
    const s = 'an almost cosymplectic $(\\kappa,\\mu)$-manifold, N{+}D, i.\\,i.\\,d, na\\"{\\i}ve, Schrödinger, ζ';
    expect(cleanText(s)).toBe(s);
  });
});

describe('cleanOptional and cleanList', () => {
  it('turns blank optional text into undefined', () => {
    expect(cleanOptional('  \n ')).toBeUndefined();
    expect(cleanOptional(null)).toBeUndefined();
    expect(cleanOptional(' NVIDIA ')).toBe('NVIDIA');
  });

  it('cleans list items, dropping blanks and repeats in first-seen order', () => {
    expect(cleanList([' b ', 'a', '', 'b', 'a\n'])).toEqual(['b', 'a']);
    expect(cleanList(undefined)).toEqual([]);
  });
});
