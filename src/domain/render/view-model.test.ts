import { describe, expect, it } from 'vitest';
import { aPaper, aSection, anIssue } from '../../../test/helpers/issue-builder.js';
import { buildIssueView, dateLabel, detailAt, lastDetailStep, layoutVariant, normaliseTopics, selectSections, shortTitle, topCount, type Detail } from './view-model.js';

const limits = { maxAbstractChars: 420 };
const opts = { topics: null, limits, baseUrl: 'https://papers.example.org/' };

describe('dateLabel', () => {
  it('formats ISO dates', () => {
    expect(dateLabel('2026-03-14')).toBe('14 Mar 2026');
    expect(dateLabel('2026-12-01')).toBe('1 Dec 2026');
    expect(dateLabel('nonsense')).toBe('nonsense');
  });
});

describe('normaliseTopics', () => {
  it('sorts and de-duplicates; empty means all', () => {
    expect(normaliseTopics(['b', 'a', 'b'])).toEqual(['a', 'b']);
    expect(normaliseTopics([])).toBeNull();
    expect(normaliseTopics(null)).toBeNull();
  });
});

describe('selectSections', () => {
  const cv = aPaper({ title: 'cv only' });
  const both = aPaper({ title: 'cv and nlp', topics: ['nlp'] });
  const nlp = aPaper({ title: 'nlp only', upvotes: 5 });
  const issue = anIssue([aSection('cv', [cv, both]), aSection('nlp', [nlp])]);

  it('keeps every section for all topics', () => {
    expect(selectSections(issue, null).map((s) => [s.topic.id, s.papers.map((p) => p.title)])).toEqual([
      ['cv', ['cv only', 'cv and nlp']],
      ['nlp', ['nlp only']],
    ]);
  });

  it('moves a paper whose primary topic is not chosen into a chosen topic of its own', () => {
    const s = selectSections(issue, ['nlp']);
    expect(s.map((x) => x.topic.id)).toEqual(['nlp']);
    expect(s[0]!.papers.map((p) => p.title)).toEqual(['nlp only', 'cv and nlp']);
  });

  it('leaves out sections and papers with no chosen topic', () => {
    expect(selectSections(issue, ['cv']).map((x) => [x.topic.id, x.papers.length])).toEqual([['cv', 2]]);
    expect(selectSections(issue, ['robotics'])).toEqual([]);
  });

  it('keeps a paper in its primary section when its chosen topic has no section of its own', () => {
    const p = aPaper({ title: 'cv with audio', topics: ['audio'] });
    const s = selectSections(anIssue([aSection('cv', [p])]), ['audio']);
    expect(s.map((x) => [x.topic.id, x.papers[0]!.title])).toEqual([['cv', 'cv with audio']]);
  });
});


describe('layoutVariant: the best papers first', () => {
  // Upvotes decide; the digest's own order (a trending page's rank) breaks ties.
  const p = (title: string, upvotes?: number, topics?: string[]) => aPaper({ title, ...(upvotes !== undefined ? { upvotes } : {}), ...(topics ? { topics } : {}) });
  const cv = [p('cv-a', 5), p('cv-b', 40), p('cv-c'), p('cv-d', 1)];
  const nlp = [p('nlp-a', 12), p('nlp-b', 3), p('nlp-c'), p('nlp-d'), p('nlp-e')];
  const other = [p('other-a', 90)];
  const issue = anIssue([aSection('cv', cv), aSection('nlp', nlp), aSection('other', other, 'Other')]);

  it('ranks every paper by upvotes, then the digest order, and puts 3-5 of the best on top once', () => {
    const l = layoutVariant(issue, null)!;
    expect(l.ranked.map((x) => x.title)).toEqual(['other-a', 'cv-b', 'nlp-a', 'cv-a', 'nlp-b', 'cv-d', 'cv-c', 'nlp-c', 'nlp-d', 'nlp-e']);
    expect(l.top.map((x) => x.title)).toEqual(['other-a', 'cv-b', 'nlp-a']);
    const listed = l.sections.flatMap((s) => s.papers.map((x) => x.title));
    for (const t of l.top) expect(listed).not.toContain(t.title);
    expect(listed.length + l.top.length).toBe(10);
  });

  it('orders sections by the papers they list, then upvotes, "Other" last; papers inside by rank', () => {
    const l = layoutVariant(issue, null)!;
    // "Other" had only its top paper: no section left for it.
    expect(l.sections.map((s) => [s.topic.id, s.papers.map((x) => x.title)])).toEqual([
      ['nlp', ['nlp-b', 'nlp-c', 'nlp-d', 'nlp-e']],
      ['cv', ['cv-a', 'cv-d', 'cv-c']],
    ]);
    const withOther = layoutVariant(anIssue([aSection('other', [p('o1', 9), p('o2', 8), p('o3', 7), p('o4', 6)], 'Other'), aSection('cv', [p('c1'), p('c2')])]), null)!;
    expect(withOther.sections.map((s) => s.topic.id)).toEqual(['cv', 'other']);
  });

  it('uses the digest order when nothing has upvotes (a trending page)', () => {
    const a = [p('first'), p('third')];
    const b = [p('second'), p('fourth'), p('fifth'), p('sixth')];
    const trending = anIssue([aSection('cv', a), aSection('nlp', b)], { order: ['first', 'second', 'third', 'fourth', 'fifth', 'sixth'].map((t) => [...a, ...b].find((x) => x.title === t)!.id) });
    expect(layoutVariant(trending, null)!.ranked.map((x) => x.title)).toEqual(['first', 'second', 'third', 'fourth', 'fifth', 'sixth']);
  });

  it('has no "Top of the day" for one section or a handful of papers', () => {
    expect(topCount(5, 3)).toBe(0);
    expect(topCount(40, 1)).toBe(0);
    expect([6, 24, 40, 62, 200].map((n) => topCount(n, 4))).toEqual([3, 3, 5, 5, 5]);
    expect(layoutVariant(issue, ['cv'])!.top).toEqual([]);
    expect(layoutVariant(issue, ['robotics'])).toBeNull();
  });
});

describe('detailAt: one paper less at every step', () => {
  const weight = (d: Detail, n: number) => 3 * d.full + 2 * d.brief + (d.shown - d.full - d.brief) + 0 * n;
  for (const [n, keep] of [[1, 1], [7, 3], [62, 5]] as const) {
    it(`${n} papers, ${keep} kept full longest`, () => {
      const last = lastDetailStep(n, keep);
      expect(detailAt(0, n, keep)).toEqual({ full: n, brief: 0, shown: n });
      expect(detailAt(last, n, keep)).toEqual({ full: 0, brief: 0, shown: 1 });
      for (let s = 1; s <= last; s++) {
        const a = detailAt(s - 1, n, keep);
        const b = detailAt(s, n, keep);
        expect(b.full + b.brief).toBeLessThanOrEqual(b.shown);
        expect(weight(a, n) - weight(b, n)).toBe(1);
      }
      // The kept full cards go last, once every other paper is a title.
      const firstKeptCut = Array.from({ length: last + 1 }, (_, s) => detailAt(s, n, keep)).findIndex((d) => d.full < Math.min(keep, n));
      const before = detailAt(firstKeptCut - 1, n, keep);
      if (n > keep) expect(before).toEqual({ full: keep, brief: 0, shown: n });
    });
  }
});

describe('buildIssueView', () => {
  it('is null when the chosen topics have no papers', () => {
    expect(buildIssueView(anIssue([aSection('cv', [aPaper()])]), { ...opts, topics: ['nlp'] })).toBeNull();
  });

  const eight = Array.from({ length: 8 }, (_, i) => aPaper({ title: `Paper ${i}`, upvotes: 100 - i }));
  const issue = anIssue([aSection('cv', eight.slice(0, 5), 'Computer vision'), aSection('nlp', eight.slice(5), 'Language')]);

  it('shows every paper, numbered in reading order, as fully as the detail says', () => {
    const v = buildIssueView(issue, { ...opts, detail: { full: 2, brief: 2, shown: 6 } })!;
    expect(v.top!.papers.map((p) => [p.number, p.title, p.full, p.brief, p.showTopic, p.topicName])).toEqual([
      [1, 'Paper 0', true, false, true, 'Computer vision'],
      [2, 'Paper 1', true, false, true, 'Computer vision'],
      [3, 'Paper 2', false, true, true, 'Computer vision'],
    ]);
    expect(v.sections.map((s) => [s.id, s.papers.map((p) => [p.number, p.title, p.full ? 'full' : p.brief ? 'brief' : 'title']), s.more?.count ?? 0])).toEqual([
      ['nlp', [[4, 'Paper 5', 'title']], 2],
      ['cv', [[5, 'Paper 3', 'brief'], [6, 'Paper 4', 'title']], 0],
    ]);
    // "2 more" points at the first paper left out, on the archive page.
    expect(v.sections[0]!.more!.url).toBe(`https://papers.example.org/archive/2026-03-14-abcdef12#p-${eight[6]!.id}`);
    expect(v.issue).toMatchObject({ paperCount: 8, shownCount: 6, topicCount: 2, dateLabel: '14 Mar 2026', dateShort: '14 Mar' });
  });

  it('has a table of contents with counts for two sections or more, not for one', () => {
    const v = buildIssueView(issue, opts)!;
    expect(v.toc).toEqual([
      { id: 'top', name: 'Top of the day', count: 3 },
      { id: 'nlp', name: 'Language', count: 3 },
      { id: 'cv', name: 'Computer vision', count: 2 },
    ]);
    expect(buildIssueView(issue, { ...opts, topics: ['cv'] })!.toc).toBeNull();
  });

  it('names the top paper and the count for the subject, and the topic of a one-topic edition', () => {
    const named = anIssue([aSection('cv', [aPaper({ title: 'Self-Forcing++: Towards Minute-Scale Video', upvotes: 9 }), aPaper()], 'Computer vision')]);
    const v = buildIssueView(named, { ...opts, topics: ['cv'] })!;
    expect(v.lead).toEqual({ title: 'Self-Forcing++', others: 1 });
    expect(v.variant.topicName).toBe('Computer vision');
    expect(buildIssueView(issue, opts)!.variant.topicName).toBeUndefined();
    expect(buildIssueView(issue, opts)!.preheader).toBe('Also: Paper 1 · Paper 2 · Paper 3 — 8 papers in 2 topics');
  });

  it('cleans digest text, turns TeX into Unicode and keeps only http(s) links', () => {
    const p = aPaper({
      title: ' A\n  wrapped\u0001pb:email\u0002 K{\\"a}hler title ',
      abstract: 'One $\\alpha$.\n Two.',
      authors: ['A', 'B', 'C', 'D'],
      url: 'javascript:alert(1)',
      pdfUrl: 'https://arxiv.org/pdf/1',
      codeUrl: 'data:text/html,x',
      projectUrl: 'https://proj.example.org',
      summary: ' In short.\n',
      organization: 'Lab',
      upvotes: 3,
      comments: 1,
      stars: 6317,
    });
    const paper = buildIssueView(anIssue([aSection('cv', [p])]), opts)!.sections[0]!.papers[0]!;
    expect(paper.title).toBe('A wrapped pb:email Kähler title');
    expect(paper.abstract).toBe('One α. Two.');
    expect(paper.byline).toBe('A, B, C et al. · Lab');
    expect(paper.stats).toBe('3 upvotes · 1 comment · 6,317 GitHub stars');
    // The title falls back to the PDF when the paper link is not http(s).
    expect(paper.url).toBe('https://arxiv.org/pdf/1');
    expect(paper.links).toEqual([
      { label: 'PDF', url: 'https://arxiv.org/pdf/1' },
      { label: 'Project page', url: 'https://proj.example.org' },
    ]);
    expect(paper.summary).toBe('In short.');
    expect(paper.line).toBe('In short.');
  });

  it('shows each link once', () => {
    const p = aPaper({ url: 'https://hf.co/papers/1', pdfUrl: 'https://arxiv.org/pdf/1', projectUrl: 'https://arxiv.org/pdf/1', codeUrl: 'https://hf.co/papers/1' });
    const paper = buildIssueView(anIssue([aSection('cv', [p])]), opts)!.sections[0]!.papers[0]!;
    expect(paper.url).toBe('https://hf.co/papers/1');
    expect(paper.links).toEqual([{ label: 'PDF', url: 'https://arxiv.org/pdf/1' }]);
  });

  it('trims abstracts to the limit, to half of it under a summary, and keeps the whole one for the web', () => {
    const abstract = 'First sentence here. Second sentence is here. Third one is longer than the rest of them.';
    const paper = buildIssueView(anIssue([aSection('cv', [aPaper({ abstract })])]), { ...opts, limits: { maxAbstractChars: 50 } })!.sections[0]!.papers[0]!;
    expect(paper.abstract).toBe('First sentence here. Second sentence is here.');
    expect(paper.abstractTrimmed).toBe(true);
    expect(paper.abstractFull).toBe(abstract);
    expect(paper.line).toBe('First sentence here. Second sentence is here. Third one is longer than the rest of them.');
    const summarised = buildIssueView(anIssue([aSection('cv', [aPaper({ abstract, summary: 'S.' })])]), { ...opts, limits: { maxAbstractChars: 50 } })!.sections[0]!.papers[0]!;
    expect(summarised.abstract).toBe('First sentence here.');
  });
});

describe('shortTitle', () => {
  it('takes the name before a colon, else shortens at a word', () => {
    expect(shortTitle('Self-Forcing++: Towards Minute-Scale High-Quality Video Generation')).toBe('Self-Forcing++');
    expect(shortTitle('What Can Be Learnt With Wide Convolutional Neural Networks?', 40)).toBe('What Can Be Learnt With Wide…');
    expect(shortTitle('AI: a very long explanation of the things')).toBe('AI: a very long explanation of the things');
  });
});
