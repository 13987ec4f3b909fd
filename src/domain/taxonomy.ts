// A taxonomy is data (templates/topics.json by default): topics with weighted keyword phrases, and
// arXiv categories that also name each topic's field for the field model (decision 011).
import { z } from 'zod';
import type { FieldModel } from './field-model/model.js';

/** Id of the catch-all section for papers that match no topic. Not part of any taxonomy file. */
export const OTHER_TOPIC_ID = 'other';

export const TopicSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'use lowercase letters, digits and dashes'),
  name: z.string().min(1),
  description: z.string().min(1),
  /** Phrase → weight. Phrases are matched on stemmed tokens of title (weighted higher) and abstract. */
  keywords: z.record(z.string(), z.number().positive()),
  /**
   * arXiv categories (or prefixes like "q-bio.") that vote for this topic when a digest carries them.
   * They also give the topic its field (cs.CV: vision): where the field model is confident of a field,
   * the paper goes to one of that field's topics. A topic whose categories name no field is chosen by
   * its keywords alone.
   */
  categories: z.array(z.string()).default([]),
  /**
   * Multiplies the topic's score (default 1). Below 1 for method topics (generative models, efficient
   * ML, ...): a paper applying a method to a field then lands in the field's section, and keeps the
   * method as a secondary topic.
   */
  weight: z.number().positive().optional(),
});
export type Topic = z.infer<typeof TopicSchema>;

/** Optional tuning of the classifier; every field has a default (see DEFAULT_SCORING in topic-scores.ts). */
export const ScoringSchema = z.object({
  /** How much a phrase in the title counts against one in the abstract (1). */
  titleWeight: z.number().nonnegative().optional(),
  /** Weight of a phrase in the paper's keywords (HF ai_keywords). */
  keywordWeight: z.number().nonnegative().optional(),
  /** Score a matching primary arXiv category adds (half for other listed categories). */
  categoryWeight: z.number().nonnegative().optional(),
  /** Below this best score a paper goes to "Other". */
  minScore: z.number().nonnegative().optional(),
  /** A topic scoring at least this fraction of the best one becomes a secondary topic. */
  secondaryRatio: z.number().min(0).max(1).optional(),
  /** Weight of the field model against the keywords in a topic's combined score (0: keywords alone). */
  fieldWeight: z.number().min(0).max(1).optional(),
  /** A paper whose keywords score below minScore still goes to a field's topic when the model gives that field at least this. */
  fieldConfidence: z.number().min(0).max(1).optional(),
  /** Topics of another field the model gives at least this probability become secondary topics. */
  fieldSecondary: z.number().min(0).max(1).optional(),
  /** A section may hold at most this share of a digest of `balanceMinPapers` or more (see group-by-topic.ts). */
  maxSectionShare: z.number().gt(0).max(1).optional(),
  balanceMinPapers: z.number().int().positive().optional(),
});
export type Scoring = z.infer<typeof ScoringSchema>;

export const TaxonomySchema = z
  .object({
    topics: z.array(TopicSchema).min(1),
    scoring: ScoringSchema.optional(),
    /**
     * The field model file, relative to the taxonomy file; null: keywords only. Absent: the model
     * paperboy ships (templates/field-model.json.gz).
     */
    model: z.string().min(1).nullable().optional(),
  })
  .superRefine((t, ctx) => {
    const seen = new Set<string>();
    t.topics.forEach((topic, i) => {
      if (topic.id === OTHER_TOPIC_ID) {
        ctx.addIssue({ code: 'custom', path: ['topics', i, 'id'], message: `"${OTHER_TOPIC_ID}" is reserved for papers that match no topic` });
      } else if (seen.has(topic.id)) {
        ctx.addIssue({ code: 'custom', path: ['topics', i, 'id'], message: `duplicate topic id "${topic.id}"` });
      }
      seen.add(topic.id);
    });
  });
/** A validated taxonomy file, with the field model the taxonomy adapter loaded for it (if any). */
export type Taxonomy = z.infer<typeof TaxonomySchema> & { fieldModel?: FieldModel };
