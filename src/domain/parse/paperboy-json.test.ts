import { describe, expect, it } from 'vitest';
import { parse, parseError } from '../../../test/helpers/parse-digest.js';

const paper = (over: Record<string, unknown> = {}) => ({
  id: '2501.01234',
  title: 'A Title',
  abstract: 'An abstract.',
  ...over,
});
const digest = (papers: unknown[], over: Record<string, unknown> = {}) =>
  JSON.stringify({ date: '2026-03-14', title: 'Trending papers', papers, ...over });

describe('paperboy JSON', () => {
  it('reads a minimal digest and fills the defaults', () => {
    const d = parse(digest([paper()]));
    expect(d).toEqual({
      date: '2026-03-14',
      title: 'Trending papers',
      source: 'paperboy-json',
      papers: [
        {
          id: '2501.01234',
          title: 'A Title',
          abstract: 'An abstract.',
          authors: [],
          keywords: [],
          categories: [],
          url: 'https://arxiv.org/abs/2501.01234',
          pdfUrl: 'https://arxiv.org/pdf/2501.01234',
        },
      ],
    });
  });

  it('keeps every optional field, cleans text and strips arXiv versions', () => {
    const d = parse(
      digest([
        paper({
          id: '2501.01234v3',
          title: 'Wrapped\n  title\u0007',
          abstract: 'Line one\nline two',
          authors: ['Ada Lovelace', ' Alan Turing '],
          url: 'https://example.org/p',
          pdfUrl: 'https://example.org/p.pdf',
          codeUrl: 'https://github.com/a/b',
          projectUrl: 'https://a.github.io/b',
          upvotes: 12,
          comments: 3,
          keywords: ['agents'],
          categories: ['cs.AI'],
          summary: 'One line.',
          organization: 'Org',
          publishedAt: '2026-03-13T00:00:00Z',
        }),
      ]),
    );
    expect(d.papers[0]).toEqual({
      id: '2501.01234',
      title: 'Wrapped title',
      abstract: 'Line one line two',
      authors: ['Ada Lovelace', 'Alan Turing'],
      url: 'https://example.org/p',
      pdfUrl: 'https://example.org/p.pdf',
      codeUrl: 'https://github.com/a/b',
      projectUrl: 'https://a.github.io/b',
      upvotes: 12,
      comments: 3,
      keywords: ['agents'],
      categories: ['cs.AI'],
      summary: 'One line.',
      organization: 'Org',
      publishedAt: '2026-03-13T00:00:00Z',
    });
  });

  it('keeps non-arXiv ids as given and treats null optional fields as absent', () => {
    const d = parse(digest([paper({ id: 'openreview-XyZ', codeUrl: null, authors: null })], { title: null }));
    expect(d.papers[0]?.id).toBe('openreview-XyZ');
    expect(d.papers[0]?.url).toBeUndefined();
    expect(d.papers[0]).not.toHaveProperty('codeUrl');
    expect(d).not.toHaveProperty('title');
  });

  it('refuses a numeric id and says to quote it', () => {
    const e = parseError(digest([paper(), paper({ id: 2406.1 })]), 'my-digest.json');
    expect(e.message).toContain('my-digest.json');
    expect(e.message).toContain('paperboy JSON');
    expect(e.message).toContain('papers[1].id: is the number 2406.1');
    expect(e.message).toContain('quote it ("id": "2406.1")');
    expect(e.details).toMatchObject({ file: 'my-digest.json', format: 'paperboy-json', field: 'papers[1].id' });
  });

  it('names the paper without a title', () => {
    const papers = [paper(), paper({ id: '2' }), paper({ id: '3' }), { id: '4', abstract: 'x' }];
    expect(parseError(digest(papers)).message).toContain('papers[3].title: is missing');
    expect(parseError(digest([paper({ title: ' \n ' })])).message).toContain('papers[0].title: is blank');
  });

  it('refuses a digest without a date, or with a date that does not exist', () => {
    expect(parseError(JSON.stringify({ papers: [paper()] })).message).toContain('date: is missing');
    const e = parseError(digest([paper()], { date: '2026-02-30' }));
    expect(e.message).toContain('date: must be a real date written YYYY-MM-DD');
  });

  it('catches typos in field names', () => {
    const e = parseError(digest([{ id: '1', title: 'T', abstact: 'x', abstract: 'y' }]));
    expect(e.message).toContain('papers[0]: has unknown field "abstact" (a typo?)');
  });

  it('refuses links that are not http(s) and counts that are not whole numbers', () => {
    expect(parseError(digest([paper({ codeUrl: 'github.com/a/b' })])).message).toContain(
      'papers[0].codeUrl: must be an http(s) URL',
    );
    expect(parseError(digest([paper({ upvotes: -1 })])).message).toContain('papers[0].upvotes: must be at least 0');
    expect(parseError(digest([paper({ upvotes: '12' })])).message).toContain(
      'papers[0].upvotes: must be a number, not the text "12"',
    );
  });

  it('refuses a digest with no papers, or papers that are not a list', () => {
    expect(parseError(digest([])).message).toContain('papers: is an empty list');
    expect(parseError(JSON.stringify({ date: '2026-03-14', papers: { id: '1' } })).message).toContain(
      'papers: must be a array, not an object',
    );
  });

  it('merges a paper listed twice under the same id and title', () => {
    const d = parse(
      digest([
        paper({ upvotes: 3, keywords: ['a'] }),
        paper({ id: '2501.01234v2', title: 'a  title', upvotes: 9, keywords: ['b'], codeUrl: 'https://github.com/x/y' }),
      ]),
    );
    expect(d.papers).toHaveLength(1);
    expect(d.papers[0]).toMatchObject({ title: 'A Title', upvotes: 9, keywords: ['a', 'b'], codeUrl: 'https://github.com/x/y' });
  });

  it('refuses the same id on papers with different titles, naming both', () => {
    const e = parseError(digest([paper(), paper({ id: '9' }), paper({ title: 'Another paper' })]));
    expect(e.message).toContain('papers[2].id: the id "2501.01234" is also used by papers[0], which has a different title');
    expect(e.message).toContain('Give each paper its own id');
  });
});

describe('paperboy JSON: sources', () => {
  it('keeps the sources a fetched paper is credited to, and refuses a malformed one', async () => {
    const { parsePaperboyJson } = await import('./paperboy-json.js');
    const d = parsePaperboyJson({ date: '2026-12-02', papers: [{ id: '2501.00001', title: 'T', abstract: '', sources: ['hf-daily', 'arxiv', 'arxiv'] }] }, 'd.json');
    expect(d.papers[0]!.sources).toEqual(['hf-daily', 'arxiv']);
    expect(() => parsePaperboyJson({ date: '2026-12-02', papers: [{ id: '1', title: 'T', abstract: '', sources: ['Hugging Face'] }] }, 'd.json')).toThrow(
      /papers\[0\]\.sources\[0\]: must be a source name like "hf-daily" or "arxiv"/,
    );
  });
});
