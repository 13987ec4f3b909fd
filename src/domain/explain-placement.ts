// Why a paper landed where it did, as data (for `paperboy group --explain --json`) and as text:
// the field model's likely fields, the keyword hits per topic, the combined scores, and a balancing move.
import type { Placement } from './group-by-topic.js';
import { OTHER_TOPIC_ID, type Taxonomy } from './taxonomy.js';
import { BROAD_CLASS } from './field-model/model.js';
import { compileTaxonomy } from './topic-scores.js';

export interface TopicEvidence {
  topic: string;
  /** Keyword score (phrases and arXiv categories). */
  keywords: number;
  /** Combined score: keyword share and field probability (topic-scores.ts). */
  combined: number;
  /** The phrases that scored, highest first. */
  hits: { phrase: string; points: number }[];
}

export interface Explanation {
  decision: Placement['classification']['decision'];
  /** The field that carried the primary topic, if any. */
  field?: string;
  /** The primary arXiv category, when it decided (decision "category"). */
  category?: string;
  /** The model's classes, most likely first (up to three; none without a model). */
  fields: { id: string; probability: number }[];
  /** Topics with any evidence, best combined score first (up to four). */
  topics: TopicEvidence[];
  movedFrom?: string;
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;

export function explainPlacement(p: Placement, taxonomy: Taxonomy): Explanation {
  const c = p.classification;
  const topics = taxonomy.topics
    .map((t, i): TopicEvidence => {
      const merged = new Map<string, number>();
      for (const h of p.hits?.[i] ?? []) merged.set(h.phrase, (merged.get(h.phrase) ?? 0) + h.points);
      const hits = [...merged.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([phrase, points]) => ({ phrase, points: r3(points) }));
      return { topic: t.id, keywords: r3(c.scores[i]!), combined: r3(c.combined[i]!), hits };
    })
    .filter((t) => t.keywords > 0 || t.combined > 0.05)
    .sort((a, b) => b.combined - a.combined || b.keywords - a.keywords)
    .slice(0, 4);
  return {
    decision: c.decision,
    ...(c.field ? { field: c.field } : {}),
    ...(c.decision === 'category' && p.paper.categories[0] ? { category: p.paper.categories[0] } : {}),
    fields: c.fields.slice(0, 3).map((f) => ({ id: f.id, probability: r3(f.probability) })),
    topics,
    ...(p.movedFrom ? { movedFrom: p.movedFrom } : {}),
  };
}

/** The explanation as indented lines under a paper's title. */
export function explanationLines(e: Explanation, taxonomy: Taxonomy): string[] {
  const tax = compileTaxonomy(taxonomy);
  const { minScore, fieldWeight, fieldConfidence } = tax.scoring;
  const name = (id: string) => (id === OTHER_TOPIC_ID ? 'Other' : (taxonomy.topics.find((t) => t.id === id)?.name ?? id));
  const pct = (x: number) => x.toFixed(2);
  const lines: string[] = [];
  if (e.fields.length && e.decision !== 'category') lines.push(`model: ${e.fields.map((f) => `${f.id} ${pct(f.probability)}`).join(', ')}`);
  const why: Record<Explanation['decision'], string> = {
    category: e.field
      ? `its primary arXiv category ${e.category} names the field ${e.field}; the keywords chose the topic within it`
      : `its primary arXiv category ${e.category} names no field (broad ML), so the keywords decided`,
    model: `the model gives ${e.field} ${pct(e.fields.find((f) => f.id === e.field)?.probability ?? 0)} (≥ ${fieldConfidence}); the keywords chose among its topics`,
    keywords: !tax.model
      ? 'the keywords (no field model, or no topic names a field)'
      : e.fields[0]?.id === BROAD_CLASS
        ? `the model's best guess is broad ML (${pct(e.fields[0].probability)}), so the keywords decided`
        : 'the keywords carried it (the model is sure of no field this taxonomy has a topic for)',
    other: `no topic's keywords reach ${minScore}${tax.model ? ` and the model is sure of no field (≥ ${fieldConfidence})` : ''}`,
  };
  lines.push(`why: ${why[e.decision]}`);
  if (e.movedFrom) lines.push(`moved: from ${name(e.movedFrom)}, a section above its share of the digest, to its best secondary topic`);
  for (const t of e.topics) {
    const hits = t.hits.slice(0, 5).map((h) => `${h.phrase} ${h.points.toFixed(1)}`).join(', ');
    const combined = tax.model ? `combined ${pct(t.combined)}, ` : '';
    lines.push(`  ${name(t.topic)}: ${combined}keywords ${t.keywords.toFixed(1)}${hits ? ` (${hits}${t.hits.length > 5 ? ', …' : ''})` : ''}`);
  }
  if (tax.model) {
    const modelSatOut = e.fields[0]?.id === BROAD_CLASS;
    lines.push(modelSatOut ? '  (combined = the topic\'s share of the keyword score)' : `  (combined = ${r3(1 - fieldWeight)} × keyword share + ${fieldWeight} × probability of the topic's field)`);
  }
  return lines;
}
