import { describe, expect, it } from 'vitest';
import { fieldTerms, paperTerms, TITLE_REPEAT } from './terms.js';
import { tokenize } from '../nlp.js';

describe('paperTerms', () => {
  it('counts stemmed words and adjacent pairs, the title TITLE_REPEAT times', () => {
    const t = paperTerms(tokenize('Diffusion models'), tokenize('A diffusion model.'));
    expect(t.get('diffus')).toBe(TITLE_REPEAT + 1);
    expect(t.get('diffus model')).toBe(TITLE_REPEAT + 1);
  });

  it('drops function words, and pairs never span them or clause punctuation', () => {
    const t = paperTerms([], tokenize('graphs of proteins. Robots, arms'));
    expect(t.has('of')).toBe(false);
    expect(t.has('graph protein')).toBe(false);
    expect(t.has('protein robot')).toBe(false);
    expect(t.has('robot arm')).toBe(false);
    expect([...t.keys()].sort()).toEqual(['arm', 'graph', 'protein', 'robot']);
  });

  it('keeps numbers and single letters only inside pairs ("3 d")', () => {
    const t = paperTerms([], tokenize('3D scenes'));
    expect(t.has('3')).toBe(false);
    expect(t.has('d')).toBe(false);
    expect(t.get('3 d')).toBe(1);
    expect(t.get('d scene')).toBe(1);
  });

  it('fieldTerms leaves out sentences that only point to code', () => {
    const t = fieldTerms('Segmentation', 'We segment cells. Code is available at https://github.com/x/y.');
    expect(t.has('github')).toBe(false);
    expect(t.has('code')).toBe(false);
    expect(t.get('cell')).toBe(1);
  });
});
