import { describe, expect, it } from 'vitest';
import { BOUNDARY, MAX_STEMMED_TOKEN, stemPhrase, tokenize } from './nlp.js';

describe('tokenize', () => {
  it('lower-cases and stems so inflections meet', () => {
    expect(tokenize('Diffusion Models')).toEqual(tokenize('diffusion model'));
    expect(stemPhrase('segmenting images')).toEqual(stemPhrase('segments image'));
    expect(stemPhrase('robots')).toEqual(stemPhrase('robotic'));
  });

  it('folds acronym plurals and British spellings', () => {
    expect(stemPhrase('LLMs')).toEqual(stemPhrase('LLM'));
    expect(stemPhrase('GNNs')).toEqual(['gnn']);
    expect(stemPhrase('optimisation')).toEqual(stemPhrase('optimization'));
    expect(stemPhrase('generalisation bound')).toEqual(stemPhrase('generalization bound'));
    expect(stemPhrase('tokenised')).toEqual(stemPhrase('tokenized'));
  });

  it('folds LaTeX accents and Latin diacritics, so every spelling of a name meets', () => {
    const plain = stemPhrase('Schrodinger bridge');
    expect(stemPhrase('Schrödinger bridges')).toEqual(plain);
    expect(tokenize('Schr\\"odinger bridges')).toEqual(plain);
    expect(tokenize('Schr{\\"o}dinger bridges')).toEqual(plain);
    expect(tokenize('K{\\"a}hler, Poincar\\\'e and Erd\\H{o}s')).toEqual(tokenize('Kahler, Poincare and Erdos'));
    expect(tokenize('Itô calculus')).toEqual(tokenize('Ito calculus'));
  });

  it('splits hyphenated and slashed words', () => {
    expect(stemPhrase('vision-language model')).toEqual(stemPhrase('vision language model'));
    expect(stemPhrase('text-to-image')).toEqual(stemPhrase('text to image'));
    expect(stemPhrase('X-ray')).toEqual(['x', 'ray']);
  });

  it('marks clause punctuation with one boundary and drops other symbols', () => {
    expect(tokenize('graphs, networks; and (robots).')).toEqual(['graph', BOUNDARY, 'network', BOUNDARY, 'and', BOUNDARY, 'robot']);
    expect(tokenize('...')).toEqual([]);
  });

  it('keeps LaTeX command names as words and numbers as written', () => {
    expect(tokenize('$\\mathcal{O}(n)$ in 3D')).toEqual(['mathcal', BOUNDARY, 'o', BOUNDARY, 'n', BOUNDARY, 'in', '3', 'd']);
  });

  it('returns the same tokens for the same text (no state between calls)', () => {
    const text = 'We train large language models with reinforcement learning.';
    expect(tokenize(text)).toEqual(tokenize(text));
  });
});

describe('tokenize on hostile input', () => {
  it('keeps a token longer than MAX_STEMMED_TOKEN as written (the stemmer is quadratic in word length)', () => {
    const long = 'generalizations'.repeat(5); // 75 letters, ends in a suffix the stemmer would cut
    expect(long.length).toBeGreaterThan(MAX_STEMMED_TOKEN);
    expect(tokenize(long)).toEqual([long]);
    // At the bound a word is still stemmed.
    const short = `${'x'.repeat(MAX_STEMMED_TOKEN - 'izations'.length)}izations`;
    expect(short.length).toBe(MAX_STEMMED_TOKEN);
    expect(tokenize(short)[0]).not.toBe(short);
  });

  it('tokenizes a one-megabyte word into one token', () => {
    const word = 'a'.repeat(1024 * 1024);
    expect(tokenize(`${word} models`)).toEqual([word, 'model']);
  });
});
