// Sample data used to check templates at load time. It reaches every branch of the issue templates:
// "Top of the day" and the table of contents (7 papers in 3 sections), a summary, every link and
// count, TeX, papers without authors or links, and (with SAMPLE_DETAILS) brief papers, titles alone
// and papers left out.
import type { Issue } from '../issue.js';
import type { Detail } from './view-model.js';

type SamplePaper = Issue['sections'][number]['papers'][number];

const paper = (id: string, n: number, extra: Partial<SamplePaper> = {}): SamplePaper => ({
  id,
  title: `Sample paper ${n}: a study of sample papers`,
  abstract:
    'We study samples. Sampling is hard, and samples are everywhere. This sentence makes the abstract long enough to be trimmed at a sentence boundary by the renderer. And one more.',
  authors: ['Ada Lovelace', 'Alan Turing', 'Grace Hopper', 'Edsger Dijkstra'],
  url: `https://example.org/papers/${id}`,
  keywords: [],
  categories: [],
  primaryTopic: 'sample-a',
  topics: ['sample-a'],
  ...extra,
});

const a = (id: string, n: number, extra: Partial<SamplePaper> = {}) => paper(id, n, extra);
const b = (id: string, n: number, extra: Partial<SamplePaper> = {}) => paper(id, n, { primaryTopic: 'sample-b', topics: ['sample-b'], ...extra });

export const SAMPLE_ISSUE: Issue = {
  id: '2026-01-01-00000000',
  date: '2026-01-01',
  title: 'Sample digest',
  source: 'paperboy-json',
  sections: [
    {
      topic: { id: 'sample-a', name: 'Sample A', description: 'First sample topic' },
      papers: [
        a('2601.00001', 1, {
          title: 'Sample paper 1: K{\\"a}hler samples with $\\alpha$',
          pdfUrl: 'https://example.org/pdf/2601.00001',
          codeUrl: 'https://example.org/code',
          projectUrl: 'https://example.org/project',
          summary: 'A one-line summary of the sample paper.',
          organization: 'Sample Lab',
          upvotes: 42,
          comments: 3,
          stars: 1200,
        }),
        a('2601.00002', 2, { upvotes: 7 }),
        a('2601.00004', 4, { upvotes: 1, url: undefined }),
        a('2601.00005', 5, { abstract: '' }),
      ],
    },
    {
      topic: { id: 'sample-b', name: 'Sample B', description: 'Second sample topic' },
      papers: [b('2601.00003', 3, { topics: ['sample-b', 'sample-a'], authors: [], upvotes: 9 }), b('2601.00006', 6)],
    },
    {
      topic: { id: 'other', name: 'Other', description: 'Papers that fit none of the topics' },
      papers: [paper('2601.00007', 7, { primaryTopic: 'other', topics: ['other'] })],
    },
  ],
  order: ['2601.00001', '2601.00002', '2601.00003', '2601.00004', '2601.00005', '2601.00006', '2601.00007'],
};

/** Levels of detail that, with SAMPLE_ISSUE, show full cards, brief papers, titles alone and a "more" line. */
export const SAMPLE_DETAILS: readonly Detail[] = [
  { full: 7, brief: 0, shown: 7 },
  { full: 2, brief: 2, shown: 5 },
];

export const SAMPLE_SUBSCRIBER = {
  name: 'Ada',
  email: 'ada@example.org',
  unsubscribeUrl: 'https://example.org/unsubscribe/TOKEN',
  preferencesUrl: 'https://example.org/preferences/TOKEN',
  webUrl: 'https://example.org/archive/2026-01-01-00000000',
  stopTopicUrl: 'https://example.org/stop-topic/TOKEN',
};

/** Data a one-off email template may use (the confirmation uses email, confirmUrl, expiresHours). */
export const SAMPLE_EMAIL_DATA = {
  ...SAMPLE_SUBSCRIBER,
  confirmUrl: 'https://example.org/confirm/TOKEN',
  expiresHours: 48,
  baseUrl: 'https://example.org',
  publication: { name: 'paperboy', contact: 'Sample Street 1, 12345 Sample Town' },
};
