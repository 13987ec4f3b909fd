import { describe, expect, it } from 'vitest';
import { NOW, parse, parseError } from '../../../test/helpers/parse-digest.js';
import { titleId } from '../paper-id.js';

const header = 'new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nbyAK and the research community\n\n';
const page = (body: string, date = 'Mar 14') => `${header}${date}\n\n${body}`;
const twoPapers =
  'Pointer Networks\n\nWe introduce a new neural architecture. Code is available at https://github.com/x/ptr.\n\n' +
  'Generative Causal Representation Learning\n\nOur code is available at https://github.com/sshirahmad/GCRL.';

describe('trending-page text', () => {
  it('skips the page chrome and pairs each title with its abstract', () => {
    const d = parse(page(twoPapers), 'page.txt');
    expect(d).toMatchObject({ date: '2026-03-14', title: 'Trending papers', source: 'hf-trending-text' });
    expect(d.papers).toEqual([
      {
        id: titleId('Pointer Networks'),
        title: 'Pointer Networks',
        abstract: 'We introduce a new neural architecture. Code is available at https://github.com/x/ptr.',
        authors: [],
        keywords: [],
        categories: [],
        codeUrl: 'https://github.com/x/ptr',
        url: 'https://arxiv.org/search/?searchtype=title&query=Pointer%20Networks',
      },
      {
        id: titleId('Generative Causal Representation Learning'),
        title: 'Generative Causal Representation Learning',
        abstract: 'Our code is available at https://github.com/sshirahmad/GCRL.',
        authors: [],
        keywords: [],
        categories: [],
        codeUrl: 'https://github.com/sshirahmad/GCRL',
        url: 'https://arxiv.org/search/?searchtype=title&query=Generative%20Causal%20Representation%20Learning',
      },
    ]);
  });

  it('copes with Windows line endings, hard-wrapped abstracts, chrome in the body and no final newline', () => {
    const text = page('A Title\n\nFirst half of the abstract\nsecond half.\n\nSubscribe\n\n42\n\nB Title\n\nB abstract.').replace(/\n/g, '\r\n');
    expect(text).not.toMatch(/[^\r]\n/);
    const d = parse(text, 'page.txt');
    expect(d.papers.map((p) => [p.title, p.abstract])).toEqual([
      ['A Title', 'First half of the abstract second half.'],
      ['B Title', 'B abstract.'],
    ]);
  });

  it('puts the year of now on a year-less date, or the year before if that is in the future', () => {
    expect(parse(page(twoPapers), 'p.txt', new Date('2027-03-14T00:00:00Z')).date).toBe('2027-03-14');
    expect(parse(page(twoPapers), 'p.txt', new Date('2027-03-13T00:00:00Z')).date).toBe('2026-03-14');
    expect(parse(page(twoPapers, 'Mar 14, 2024'), 'p.txt', NOW).date).toBe('2024-03-14');
  });

  it('takes the year from arXiv ids in the file when there are any', () => {
    const body = 'A Title\n\nSee https://arxiv.org/abs/2311.01234 for details.';
    expect(parse(page(body), 'p.txt', NOW).date).toBe('2024-03-14');
  });

  it('reports a page without a date line, by line', () => {
    const e = parseError(`${header}A Title\n\nAn abstract.`, 'page.txt');
    expect(e.message).toBe(
      'page.txt (read as trending-page text): line 1: no date line (like "Mar 14") in the page header. ' +
        'Add the day the page is for on its own line above the first paper (see docs/digest-formats.md)',
    );
  });

  it('reports a title without an abstract at the title line', () => {
    const e = parseError(page(`${twoPapers}\n\nLonely Title`), 'page.txt');
    expect(e.message).toContain('line 19: the paper "Lonely Title" has no abstract after it');
    expect(e.details).toMatchObject({ file: 'page.txt', format: 'hf-trending-text', line: 19 });
  });

  it('reports an abstract where a title should be (a missing title or blank line above)', () => {
    const long = 'This abstract lost its title. '.repeat(12);
    const e = parseError(page(`Pointer Networks\n\nAbstract one.\n\n${long}\n\nAbstract two.`), 'page.txt');
    expect(e.message).toContain('line 15: expected a paper title but found a');
  });

  it('refuses a second day in one file', () => {
    const e = parseError(page(`${twoPapers}\n\nMar 13\n\nC Title\n\nC abstract.`), 'page.txt');
    expect(e.message).toContain('line 19: a second date line ("Mar 13")');
  });

  it('refuses a date line with no papers after it', () => {
    expect(parseError(page(''), 'page.txt').message).toContain('line 9: no papers after the date line');
  });

  it('refuses a day that does not exist', () => {
    const e = parseError(page(twoPapers, 'Feb 30'), 'page.txt');
    expect(e.message).toContain('line 9: Feb 30 does not exist in 2026');
  });

  it('merges a paper listed twice', () => {
    const d = parse(page(`${twoPapers}\n\npointer networks.\n\nAgain.`), 'page.txt');
    expect(d.papers).toHaveLength(2);
  });
});
