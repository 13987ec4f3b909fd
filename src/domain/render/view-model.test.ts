import { describe, expect, it } from 'vitest';
import { aPaper, aSection, anIssue } from '../../../test/helpers/issue-builder.js';
import { buildIssueView, dateLabel, normaliseTopics, selectSections } from './view-model.js';

const limits = { maxPapersPerTopic: 8, maxAbstractChars: 420 };
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

describe('buildIssueView', () => {
  it('is null when the chosen topics have no papers', () => {
    expect(buildIssueView(anIssue([aSection('cv', [aPaper()])]), { ...opts, topics: ['nlp'] })).toBeNull();
  });

  it('counts papers, caps sections and links the rest to the archive anchor', () => {
    const papers = Array.from({ length: 5 }, () => aPaper());
    const v = buildIssueView(anIssue([aSection('cv', papers), aSection('nlp', [aPaper()])]), { ...opts, limits: { ...limits, maxPapersPerTopic: 2 } })!;
    expect(v.issue).toMatchObject({ paperCount: 6, shownCount: 3, topicCount: 2, dateLabel: '14 Mar 2026' });
    expect(v.sections[0]!.papers).toHaveLength(2);
    expect(v.sections[0]!.more).toEqual({ count: 3, url: 'https://papers.example.org/archive/2026-03-14-abcdef12#cv' });
    expect(v.sections[1]!.more).toBeNull();
    expect(v.preheader).toBe('6 papers: CV (5), NLP (1)');
  });

  it('cleans digest text and keeps only http(s) links', () => {
    const p = aPaper({
      title: ' A\n  wrapped\u0001pb:email\u0002 title ',
      abstract: 'One.\n Two.',
      authors: ['A', 'B', 'C', 'D'],
      url: 'javascript:alert(1)',
      pdfUrl: 'https://arxiv.org/pdf/1',
      codeUrl: 'data:text/html,x',
      projectUrl: 'https://proj.example.org',
      summary: ' In short.\n',
      upvotes: 3,
    });
    const paper = buildIssueView(anIssue([aSection('cv', [p])]), opts)!.sections[0]!.papers[0]!;
    expect(paper.title).toBe('A wrapped pb:email title');
    expect(paper.abstract).toBe('One. Two.');
    expect(paper.authors).toBe('A, B, C et al.');
    expect(paper.meta).toBe('A, B, C et al. · 3 upvotes');
    // The title falls back to the PDF when the paper link is not http(s).
    expect(paper.url).toBe('https://arxiv.org/pdf/1');
    expect(paper.links).toEqual([
      { label: 'PDF', url: 'https://arxiv.org/pdf/1' },
      { label: 'Project page', url: 'https://proj.example.org' },
    ]);
    expect(paper.summary).toBe('In short.');
  });

  it('shows each link once', () => {
    const p = aPaper({ url: 'https://hf.co/papers/1', pdfUrl: 'https://arxiv.org/pdf/1', projectUrl: 'https://arxiv.org/pdf/1', codeUrl: 'https://hf.co/papers/1' });
    const paper = buildIssueView(anIssue([aSection('cv', [p])]), opts)!.sections[0]!.papers[0]!;
    expect(paper.url).toBe('https://hf.co/papers/1');
    expect(paper.links).toEqual([{ label: 'PDF', url: 'https://arxiv.org/pdf/1' }]);
  });

  it('trims abstracts to the limit', () => {
    const p = aPaper({ abstract: 'First sentence here. Second sentence is here. Third one is longer than the rest of them.' });
    const paper = buildIssueView(anIssue([aSection('cv', [p])]), { ...opts, limits: { ...limits, maxAbstractChars: 50 } })!.sections[0]!.papers[0]!;
    expect(paper.abstract).toBe('First sentence here. Second sentence is here.');
    expect(paper.abstractTrimmed).toBe(true);
  });
});
