// A taxonomy is data (templates/topics.json by default): topics with weighted keyword phrases.
import { z } from 'zod';

export const TopicSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'use lowercase letters, digits and dashes'),
  name: z.string().min(1),
  description: z.string().min(1),
  /** Phrase → weight. Phrases are matched on stemmed tokens of title (weighted higher) and abstract. */
  keywords: z.record(z.string(), z.number().positive()),
  /** arXiv categories (or prefixes like "q-bio.") that vote for this topic when a digest carries them. */
  categories: z.array(z.string()).default([]),
});
export type Topic = z.infer<typeof TopicSchema>;

export const TaxonomySchema = z.object({
  topics: z.array(TopicSchema).min(1),
});
export type Taxonomy = z.infer<typeof TaxonomySchema>;

/** Id of the catch-all section for papers that match no topic. Not part of any taxonomy file. */
export const OTHER_TOPIC_ID = 'other';
