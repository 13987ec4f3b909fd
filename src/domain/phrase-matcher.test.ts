import { describe, expect, it } from 'vitest';
import { stemPhrase, tokenize } from './nlp.js';
import { buildPhraseMatcher } from './phrase-matcher.js';

const build = (...phrases: string[]) => buildPhraseMatcher(phrases.map(stemPhrase));

describe('buildPhraseMatcher', () => {
  it('counts every occurrence, in any inflection', () => {
    const { matcher, indexOf } = build('language model', 'robot');
    const counts = matcher.count(tokenize('Language models help robots. A robot and a language model.'));
    expect(counts.get(indexOf[0]!)).toBe(2);
    expect(counts.get(indexOf[1]!)).toBe(2);
  });

  it('prefers the longest phrase at a position and consumes its tokens', () => {
    const { matcher, indexOf } = build('neural network', 'graph neural network', 'network');
    const counts = matcher.count(tokenize('A graph neural network is a neural network.'));
    expect(counts.get(indexOf[1]!)).toBe(1); // graph neural network
    expect(counts.get(indexOf[0]!)).toBe(1); // only the second "neural network"
    expect(counts.has(indexOf[2]!)).toBe(false); // "network" inside longer matches is not counted again
  });

  it('falls back to a shorter phrase when the longer one does not complete', () => {
    const { matcher, indexOf } = build('diffusion', 'diffusion model');
    expect(matcher.count(tokenize('diffusion maps')).get(indexOf[0]!)).toBe(1);
  });

  it('never matches across clause punctuation', () => {
    const { matcher } = build('language model');
    expect(matcher.count(tokenize('natural language. Models of it')).size).toBe(0);
  });

  it('gives identical stem sequences one index', () => {
    const { matcher, indexOf } = build('tumour', 'tumours', 'tumor');
    expect(indexOf[0]).toBe(indexOf[1]);
    expect(indexOf[2]).not.toBe(indexOf[0]);
    expect(matcher.size).toBe(2);
  });

  it('refuses an empty phrase', () => {
    expect(() => buildPhraseMatcher([[]])).toThrow();
  });
});
