// The sources paperboy can fetch by itself, by the names used in config (PAPERBOY_SOURCES), on the
// command line and in each paper's `sources` credit.

export const SOURCE_NAMES = ['hf-daily', 'hf-trending', 'arxiv'] as const;
export type SourceName = (typeof SOURCE_NAMES)[number];

/** How messages name a source ("Hugging Face: 0 papers for 2026-12-02 yet"). */
export const SOURCE_LABELS: Record<SourceName, string> = {
  'hf-daily': 'Hugging Face',
  'hf-trending': 'Hugging Face trending',
  arxiv: 'arXiv',
};

export function isSourceName(s: string): s is SourceName {
  return (SOURCE_NAMES as readonly string[]).includes(s);
}
