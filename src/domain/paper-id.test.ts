import { describe, expect, it } from 'vitest';
import { arxivIdOf, canonicalPaperId, normaliseTitle, titleId } from './paper-id.js';

describe('arxivIdOf', () => {
  it('strips the version from new-style ids', () => {
    expect(arxivIdOf('2501.01234v2')).toBe('2501.01234');
    expect(arxivIdOf('0802.2137v3')).toBe('0802.2137');
    expect(arxivIdOf('2406.19389')).toBe('2406.19389');
  });

  it('keeps old-style archive ids, without version', () => {
    expect(arxivIdOf('hep-th/9901001v1')).toBe('hep-th/9901001');
    expect(arxivIdOf('math/0502287v1')).toBe('math/0502287');
    expect(arxivIdOf('math.DG/0502287')).toBe('math.DG/0502287');
  });

  it('reads arXiv and Hugging Face paper URLs and arXiv: prefixes', () => {
    expect(arxivIdOf('http://arxiv.org/abs/2510.14968v1')).toBe('2510.14968');
    expect(arxivIdOf('https://arxiv.org/pdf/math/0507289v1')).toBe('math/0507289');
    expect(arxivIdOf('https://arxiv.org/pdf/2501.01234v3.pdf')).toBe('2501.01234');
    expect(arxivIdOf('https://huggingface.co/papers/2608.13558')).toBe('2608.13558');
    expect(arxivIdOf('arXiv:2501.01234v1')).toBe('2501.01234');
  });

  it('returns null for anything else', () => {
    expect(arxivIdOf('paper-42')).toBeNull();
    expect(arxivIdOf('2501.123')).toBeNull();
    expect(arxivIdOf('https://example.org/abs/2501.01234')).toBeNull();
  });
});

describe('canonicalPaperId', () => {
  it('strips only the version (and an arXiv: prefix) from arXiv ids, keeps other ids as given', () => {
    expect(canonicalPaperId(' 2501.01234v2 ')).toBe('2501.01234');
    expect(canonicalPaperId('arXiv:2501.01234')).toBe('2501.01234');
    expect(canonicalPaperId('my-paper-v2')).toBe('my-paper-v2');
    expect(canonicalPaperId('W2963403868')).toBe('W2963403868');
  });
});

describe('titleId', () => {
  it('is t- plus 10 hex digits', () => {
    expect(titleId('Pointer Networks')).toMatch(/^t-[0-9a-f]{10}$/);
  });

  it('ignores case, spacing and punctuation, so the same title gives the same id', () => {
    expect(titleId('Pointer Networks')).toBe(titleId('  pointer   networks. '));
    expect(titleId('Be More Active! Understanding VAEs')).toBe(titleId('Be more active: understanding VAEs'));
    expect(normaliseTitle('Multi-marginal Schrödinger Bridges')).toBe('multi marginal schrödinger bridges');
  });

  it('differs for different titles', () => {
    expect(titleId('Pointer Networks')).not.toBe(titleId('Pointer Network'));
  });
});
