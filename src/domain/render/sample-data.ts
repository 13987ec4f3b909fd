// Sample data used to check templates at load time (every branch: summary, links, "N more", no name).
import type { Issue } from '../issue.js';

const paper = (id: string, n: number, extra: Partial<Issue['sections'][number]['papers'][number]> = {}) => ({
  id,
  title: `Sample paper ${n}: a study of sample papers`,
  abstract:
    'We study samples. Sampling is hard, and samples are everywhere. This sentence makes the abstract long enough to be trimmed at a sentence boundary by the renderer. And one more.',
  authors: ['Ada Lovelace', 'Alan Turing', 'Grace Hopper', 'Edsger Dijkstra'],
  keywords: [],
  categories: [],
  primaryTopic: 'sample-a',
  topics: ['sample-a'],
  ...extra,
});

export const SAMPLE_ISSUE: Issue = {
  id: '2026-01-01-00000000',
  date: '2026-01-01',
  title: 'Sample digest',
  source: 'paperboy-json',
  sections: [
    {
      topic: { id: 'sample-a', name: 'Sample A', description: 'First sample topic' },
      papers: [
        paper('2601.00001', 1, {
          url: 'https://example.org/papers/2601.00001',
          pdfUrl: 'https://example.org/pdf/2601.00001',
          codeUrl: 'https://example.org/code',
          projectUrl: 'https://example.org/project',
          summary: 'A one-line summary of the sample paper.',
          organization: 'Sample Lab',
          upvotes: 42,
        }),
        paper('2601.00002', 2, { upvotes: 1 }),
      ],
    },
    {
      topic: { id: 'sample-b', name: 'Sample B', description: 'Second sample topic' },
      papers: [paper('2601.00003', 3, { primaryTopic: 'sample-b', topics: ['sample-b', 'sample-a'], authors: [] })],
    },
  ],
};

export const SAMPLE_SUBSCRIBER = {
  name: 'Ada',
  email: 'ada@example.org',
  unsubscribeUrl: 'https://example.org/unsubscribe/TOKEN',
  preferencesUrl: 'https://example.org/preferences/TOKEN',
  webUrl: 'https://example.org/archive/2026-01-01-00000000',
};

/** Data a one-off email template may use (the confirmation uses email, confirmUrl, expiresHours). */
export const SAMPLE_EMAIL_DATA = {
  ...SAMPLE_SUBSCRIBER,
  confirmUrl: 'https://example.org/confirm/TOKEN',
  expiresHours: 48,
  baseUrl: 'https://example.org',
};
