import { describe, expect, it } from 'vitest';
import { linksIn, trimUrl, urlsIn } from './links.js';

describe('trimUrl', () => {
  it('drops sentence punctuation after a URL', () => {
    expect(trimUrl('https://github.com/sshirahmad/GCRL.')).toBe('https://github.com/sshirahmad/GCRL');
    expect(trimUrl('https://github.com/bycnfz/weather2k/.')).toBe('https://github.com/bycnfz/weather2k/');
    expect(trimUrl('https://github.com/a/b,')).toBe('https://github.com/a/b');
    expect(trimUrl('https://github.com/a/b;')).toBe('https://github.com/a/b');
    expect(trimUrl('https://github.com/a/b).')).toBe('https://github.com/a/b');
  });

  it('keeps a closing bracket that belongs to the URL', () => {
    expect(trimUrl('https://en.wikipedia.org/wiki/Transformer_(deep_learning)')).toBe(
      'https://en.wikipedia.org/wiki/Transformer_(deep_learning)',
    );
    expect(trimUrl('https://en.wikipedia.org/wiki/Transformer_(deep_learning))')).toBe(
      'https://en.wikipedia.org/wiki/Transformer_(deep_learning)',
    );
  });
});

describe('linksIn', () => {
  it('finds code links in prose, trimmed', () => {
    expect(linksIn('Our code is available at https://github.com/sshirahmad/GCRL.')).toEqual({
      codeUrl: 'https://github.com/sshirahmad/GCRL',
      projectUrl: undefined,
    });
    expect(linksIn('(code: https://gitlab.com/group/repo), data at https://huggingface.co/datasets/x/y;').codeUrl).toBe(
      'https://gitlab.com/group/repo',
    );
  });

  it('treats github.io and other sites as project pages, and skips links to the paper itself', () => {
    expect(linksIn('See https://arxiv.org/abs/2501.01234 and https://hiss-csp.github.io.')).toEqual({
      codeUrl: undefined,
      projectUrl: 'https://hiss-csp.github.io',
    });
    expect(linksIn('Paper page https://huggingface.co/papers/2501.01234.').codeUrl).toBeUndefined();
  });

  it('takes the first code link when there are several', () => {
    expect(linksIn('https://github.com/a/one and https://github.com/b/two').codeUrl).toBe('https://github.com/a/one');
  });

  it('ignores things that only look like URLs', () => {
    expect(urlsIn('see http:// or rdd-neurips.github.io for more')).toEqual([]);
  });
});
