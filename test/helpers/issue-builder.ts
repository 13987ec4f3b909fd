// Builds Issues by hand for render tests, without the parser or the grouper.
import type { ClassifiedPaper, Issue, IssueSection } from '../../src/domain/issue.js';

let counter = 0;

export function aPaper(overrides: Partial<ClassifiedPaper> = {}): ClassifiedPaper {
  counter += 1;
  const n = counter;
  const primary = overrides.primaryTopic ?? 'ml';
  return {
    id: `2603.${String(10000 + n).padStart(5, '0')}`,
    title: `Paper number ${n} on learning things`,
    abstract: `Abstract of paper ${n}. It has a few sentences that say what was done. The results are good.`,
    authors: ['Ada Lovelace', 'Alan Turing'],
    url: `https://huggingface.co/papers/2603.${10000 + n}`,
    keywords: [],
    categories: [],
    primaryTopic: primary,
    topics: overrides.topics ?? [primary],
    ...overrides,
  };
}

export function aSection(id: string, papers: ClassifiedPaper[], name = id.toUpperCase()): IssueSection {
  return { topic: { id, name, description: `About ${name}` }, papers: papers.map((p) => ({ ...p, primaryTopic: id, topics: p.topics.includes(id) ? p.topics : [id, ...p.topics] })) };
}

export function anIssue(sections: IssueSection[], overrides: Partial<Issue> = {}): Issue {
  return { id: '2026-03-14-abcdef12', date: '2026-03-14', source: 'paperboy-json', sections, ...overrides };
}

/** A long realistic abstract (~1,400 characters, like arXiv abstracts). */
export const LONG_ABSTRACT =
  'Large language models have shown remarkable capabilities across many tasks, yet their behaviour under distribution shift remains poorly understood. ' +
  'In this work, we study how fine-tuned models generalise when the test distribution differs from the training distribution in controlled ways. ' +
  'We introduce a benchmark of twelve shifts, covering lexical, syntactic and semantic changes, and evaluate thirty open models on it. ' +
  'Our results show that scale helps but does not close the gap: even the largest models lose up to 20 points on semantic shifts. ' +
  'We further find that instruction tuning improves robustness to lexical shifts, e.g. paraphrases, but hurts it on syntactic ones. ' +
  'Analysing attention patterns, we identify a small set of heads whose ablation recovers most of the lost accuracy. ' +
  'Building on this, we propose a lightweight regulariser that penalises reliance on these heads during fine-tuning, improving average robustness by 6.3 points at no cost in-distribution. ' +
  'We release the benchmark, code and all model outputs to support further work on robust fine-tuning.';

/** An issue shaped like the real trending page: `total` papers spread over `topics` sections, with all fields. */
export function aBigIssue(total = 62, topics = 9): Issue {
  const sections: IssueSection[] = [];
  for (let t = 0; t < topics; t++) {
    const id = `topic-${t}`;
    const n = Math.floor(total / topics) + (t < total % topics ? 1 : 0);
    const papers = Array.from({ length: n }, (_, i) =>
      aPaper({
        title: `A reasonably long paper title about topic ${t}, number ${i}, with a subtitle: the details`,
        abstract: LONG_ABSTRACT,
        authors: ['Ada Lovelace', 'Alan Turing', 'Grace Hopper', 'Edsger Dijkstra', 'Barbara Liskov'],
        summary: 'A one-line summary of what the paper does and why it matters for the field, as written by HF.',
        pdfUrl: 'https://arxiv.org/pdf/2603.12345',
        codeUrl: 'https://github.com/example-org/example-repository',
        projectUrl: 'https://example-org.github.io/example-project/',
        upvotes: 100 - i,
        organization: 'Example Research Lab',
      }),
    );
    sections.push(aSection(id, papers, `Topic ${t} name`));
  }
  return anIssue(sections);
}
