import { describe, expect, it } from 'vitest';
import { parse, parseError } from '../../../test/helpers/parse-digest.js';

type Obj = Record<string, unknown>;
const item = (paper: Obj = {}, over: Obj = {}): Obj => ({
  paper: {
    id: '2510.02283',
    title: 'Self-Forcing++: Towards Minute-Scale\n  High-Quality Video Generation',
    summary: 'Diffusion models have revolutionized image and video generation,\nachieving unprecedented visual quality.',
    authors: [{ _id: 'x', name: 'Justin Cui', hidden: false }, { _id: 'y', name: 'Jie Wu' }],
    publishedAt: '2025-10-02T17:55:42.000Z',
    submittedOnDailyAt: '2025-10-03T00:21:50.292Z',
    upvotes: 43,
    githubRepo: 'https://github.com/justincui03/Self-Forcing-Plus-Plus',
    projectPage: 'https://self-forcing-plus-plus.github.io/',
    ai_summary: 'A method to enhance long-horizon video generation.',
    ai_keywords: ['diffusion models', 'latent space'],
    organization: { _id: 'o', name: 'ByteDance-Seed', fullname: 'ByteDance Seed' },
    githubStars: 1,
    ...paper,
  },
  publishedAt: '2025-10-02T13:55:42.000Z',
  title: 'Self-Forcing++: Towards Minute-Scale High-Quality Video Generation',
  numComments: 4,
  thumbnail: 'https://cdn-thumbnails.huggingface.co/x.png',
  ...over,
});
const json = (items: Obj[]) => JSON.stringify(items);

describe('Hugging Face daily papers JSON', () => {
  it('maps every field the API offers', () => {
    const d = parse(json([item()]), 'hf-daily-2025-10-03.json');
    expect(d).toMatchObject({ date: '2025-10-03', source: 'hf-daily', title: 'Hugging Face daily papers' });
    expect(d.papers[0]).toEqual({
      id: '2510.02283',
      title: 'Self-Forcing++: Towards Minute-Scale High-Quality Video Generation',
      abstract: 'Diffusion models have revolutionized image and video generation, achieving unprecedented visual quality.',
      authors: ['Justin Cui', 'Jie Wu'],
      url: 'https://huggingface.co/papers/2510.02283',
      pdfUrl: 'https://arxiv.org/pdf/2510.02283',
      codeUrl: 'https://github.com/justincui03/Self-Forcing-Plus-Plus',
      projectUrl: 'https://self-forcing-plus-plus.github.io/',
      upvotes: 43,
      comments: 4,
      stars: 1,
      keywords: ['diffusion models', 'latent space'],
      categories: [],
      summary: 'A method to enhance long-horizon video generation.',
      organization: 'ByteDance Seed',
      publishedAt: '2025-10-02T17:55:42.000Z',
    });
  });

  it('reads the older schema (no keywords, summary, links or organization)', () => {
    const old = {
      paper: { id: '2406.19389', title: 'OMG-LLaVA', summary: 'S.', authors: [{ name: 'Tao Zhang' }], publishedAt: '2024-06-27T17:59:01.000Z', upvotes: 30 },
      publishedAt: '2024-06-28T01:34:31.710Z',
      numComments: 2,
    };
    const d = parse(json([old]), 'hf-daily-2024-06-28.json');
    expect(d.papers[0]).toEqual({
      id: '2406.19389',
      title: 'OMG-LLaVA',
      abstract: 'S.',
      authors: ['Tao Zhang'],
      url: 'https://huggingface.co/papers/2406.19389',
      pdfUrl: 'https://arxiv.org/pdf/2406.19389',
      upvotes: 30,
      comments: 2,
      keywords: [],
      categories: [],
      publishedAt: '2024-06-27T17:59:01.000Z',
    });
  });

  it('takes a code link from the abstract when githubRepo is missing, and drops links that are not http(s)', () => {
    const d = parse(
      json([item({ githubRepo: 'not a url', projectPage: '', summary: 'Code: https://github.com/a/b.' })]),
      'x.json',
    );
    expect(d.papers[0]?.codeUrl).toBe('https://github.com/a/b');
    expect(d.papers[0]).not.toHaveProperty('projectUrl');
  });

  it('falls back to the item organization', () => {
    const d = parse(json([item({ organization: undefined }, { organization: { name: 'nvidia' } })]), 'x.json');
    expect(d.papers[0]?.organization).toBe('nvidia');
  });

  describe('the day', () => {
    it('comes from the file name first', () => {
      expect(parse(json([item()]), '/data/hf-daily-2025-10-04.json').date).toBe('2025-10-04');
    });

    it('else from submittedOnDailyAt', () => {
      expect(parse(json([item()]), 'today.json').date).toBe('2025-10-03');
    });

    it('else from the newest item publishedAt', () => {
      const items = [
        item({ submittedOnDailyAt: undefined }, { publishedAt: '2024-06-28T01:34:31.710Z' }),
        item({ id: '2406.00002', submittedOnDailyAt: undefined }, { publishedAt: '2024-06-27T22:00:00.000Z' }),
      ];
      expect(parse(json(items), 'today.json').date).toBe('2024-06-28');
    });

    it('is an error when nothing says it', () => {
      const bare = { paper: { id: '2406.19389', title: 'T' } };
      const e = parseError(json([bare]), 'today.json');
      expect(e.message).toContain('cannot tell which day');
      expect(e.message).toContain('hf-daily-2026-03-14.json');
    });
  });

  it('refuses a numeric id, naming the item', () => {
    const items = [item(), item({ id: '2510.00001' }), item({ id: '2510.00002' }), item({ id: '2510.00003' }), item({ id: '2510.00004' }), item({ id: 2406.1939 })];
    const e = parseError(json(items), 'hf-daily-2025-10-03.json');
    expect(e.message).toMatch(/^hf-daily-2025-10-03\.json \(read as Hugging Face daily papers JSON\): \[5\]\.paper\.id: is the number 2406\.1939/);
    expect(e.message).toContain('quote it');
    expect(e.details.field).toBe('[5].paper.id');
  });

  it('names an item without a title or without a paper', () => {
    expect(parseError(json([item(), item({ title: undefined })])).message).toContain('[1].paper.title: is missing');
    expect(parseError(json([item(), { title: 'T' }])).message).toContain('[1].paper: is missing');
  });

  it('lets unknown fields through (the API grows)', () => {
    const d = parse(json([item({ brandNewField: { a: 1 } }, { anotherOne: [1, 2] })]), 'x.json');
    expect(d.papers).toHaveLength(1);
  });

  it('merges the same paper listed twice', () => {
    const d = parse(json([item({ upvotes: 5 }), item({ upvotes: 7 })]), 'x.json');
    expect(d.papers).toHaveLength(1);
    expect(d.papers[0]?.upvotes).toBe(7);
  });
});
