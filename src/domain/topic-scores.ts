// Scores one paper against every topic of a taxonomy and picks its primary and secondary topics.
//
// Keyword score of a topic = sum over its phrases found in the paper of
//   phrase weight x field weight x (1 + ln(occurrences in that field)),
// over title, abstract and keywords (the log keeps one repeated word from deciding alone),
// plus a vote from the paper's arXiv categories when the digest has them.
//
// With a field model (decision 011), each topic's combined score is
//   (1 - fieldWeight) x its share of the keyword score + fieldWeight x P(the topic's field),
// P from the model, or certain when the digest gives the paper a primary arXiv category (which names
// a field, or broad ML for cs.LG, cs.AI, ...). Where the model
// is confident its field's topics win and the keywords choose among them; where its best guess is
// "broad ML" the keywords decide alone, as they do for topics without a field.
import { dropBoilerplate } from './boilerplate.js';
import type { Paper } from './digest.js';
import { BROAD_CLASS, fieldProbabilities, type FieldModel } from './field-model/model.js';
import { paperTerms } from './field-model/terms.js';
import { matchCategory } from './arxiv-fields.js';
import { OTHER_TOPIC_ID, type Scoring, type Taxonomy } from './taxonomy.js';
import { stemPhrase, tokenize } from './nlp.js';
import { buildPhraseMatcher, type PhraseMatcher } from './phrase-matcher.js';

export { dropBoilerplate } from './boilerplate.js';

export const DEFAULT_SCORING: Required<Scoring> = {
  titleWeight: 2,
  keywordWeight: 1.5,
  categoryWeight: 6,
  minScore: 2,
  secondaryRatio: 0.6,
  fieldWeight: 0.7,
  fieldConfidence: 0.3,
  fieldSecondary: 0.25,
  maxSectionShare: 0.4,
  balanceMinPapers: 30,
};

export interface CompiledTaxonomy {
  taxonomy: Taxonomy;
  scoring: Required<Scoring>;
  matcher: PhraseMatcher;
  /** phrase index → [topic index, weight] pairs (a phrase may belong to several topics). */
  phraseTopics: [number, number][][];
  /** phrase index → the phrase as written in the taxonomy (its first spelling), for explanations. */
  phraseText: string[];
  /** [category or prefix, topic index]. */
  categoryRules: [string, number][];
  model?: FieldModel;
  /** Per topic: the model classes its categories name (empty: keywords alone). */
  topicFields: number[][];
  /** Per model class: its topics, in taxonomy order. */
  fieldTopics: number[][];
}

/** How the primary topic was chosen. */
export type Decision =
  /** The paper's primary arXiv category named the field (keywords chose the topic within it), or broad ML (keywords alone). */
  | 'category'
  /** The model gives the primary topic's field at least fieldConfidence. */
  | 'model'
  /** The keywords carried it (no model, a topic without a field, or an unsure model). */
  | 'keywords'
  /** Keywords below minScore and no field the model is sure of. */
  | 'other';

export interface FieldOdds {
  /** Model class id ("vision", ..., "broad"). */
  id: string;
  probability: number;
}

export interface Classification {
  /** Primary topic id, or OTHER_TOPIC_ID. */
  primary: string;
  /** Primary first, then secondary topics: keyword ones by descending score, then the model's other fields. */
  topics: string[];
  /** Keyword score per topic, in taxonomy order. */
  scores: number[];
  /** Combined score per topic (keyword share and field probability, see combinedScores), in taxonomy order. */
  combined: number[];
  decision: Decision;
  /** The field of the primary topic that carried it (the most likely of its fields). */
  field?: string;
  /** The model's classes, most likely first (empty without a model). */
  fields: FieldOdds[];
}

const compiled = new WeakMap<Taxonomy, CompiledTaxonomy>();

/** Stems every phrase once per taxonomy object (cached), so grouping a digest costs one pass per paper. */
export function compileTaxonomy(taxonomy: Taxonomy): CompiledTaxonomy {
  const cached = compiled.get(taxonomy);
  if (cached) return cached;
  const phrases: string[][] = [];
  const owners: [number, number, string][] = [];
  taxonomy.topics.forEach((topic, t) => {
    for (const [phrase, weight] of Object.entries(topic.keywords)) {
      const stems = stemPhrase(phrase);
      if (stems.length === 0) continue; // punctuation-only phrases are refused by loadTaxonomy
      phrases.push(stems);
      owners.push([t, weight, phrase]);
    }
  });
  const { matcher, indexOf } = buildPhraseMatcher(phrases);
  const phraseTopics: [number, number][][] = Array.from({ length: matcher.size }, () => []);
  const phraseText: string[] = new Array<string>(matcher.size);
  indexOf.forEach((p, i) => {
    const [t, weight, text] = owners[i]!;
    phraseText[p] ??= text;
    const list = phraseTopics[p]!;
    // Two spellings of one phrase in one topic ("tumor", "tumour" after folding) count once, at the higher weight.
    const existing = list.find(([topic]) => topic === t);
    if (existing) existing[1] = Math.max(existing[1], weight);
    else list.push([t, weight]);
  });
  const categoryRules: [string, number][] = [];
  taxonomy.topics.forEach((topic, t) => {
    for (const c of topic.categories) categoryRules.push([c.toLowerCase(), t]);
  });
  const model = taxonomy.fieldModel;
  const topicFields = taxonomy.topics.map((topic) => (model ? fieldsOfCategories(topic.categories, model) : []));
  const fieldTopics: number[][] = (model?.classes ?? []).map((_, c) => topicFields.flatMap((fs, t) => (fs.includes(c) ? [t] : [])));
  const result: CompiledTaxonomy = {
    taxonomy,
    scoring: { ...DEFAULT_SCORING, ...stripUndefined(taxonomy.scoring ?? {}) },
    matcher,
    phraseTopics,
    phraseText,
    categoryRules,
    ...(model && topicFields.some((fs) => fs.length > 0) ? { model } : {}),
    topicFields,
    fieldTopics,
  };
  compiled.set(taxonomy, result);
  return result;
}

/** The model classes (never "broad") a list of arXiv categories or prefixes names. */
function fieldsOfCategories(categories: readonly string[], model: FieldModel): number[] {
  const out = new Set<number>();
  for (const c of categories) {
    const k = matchCategory(c, model.classes);
    if (k !== undefined && model.classes[k]!.id !== BROAD_CLASS) out.add(k);
  }
  return [...out].sort((a, b) => a - b);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** A rule matches a category exactly, or as a prefix when it ends in "." or "-" ("q-bio.", "hep-"). */
function categoryTopic(category: string, rules: [string, number][]): number | undefined {
  const c = category.toLowerCase();
  let best: [string, number] | undefined;
  for (const rule of rules) {
    const [prefix] = rule;
    const hit = c === prefix || ((prefix.endsWith('.') || prefix.endsWith('-')) && c.startsWith(prefix));
    if (hit && (!best || prefix.length > best[0].length)) best = rule;
  }
  return best?.[1];
}

/** A paper's text as tokens, once: keyword scoring and the field model read the same stems. */
export interface PaperTokens {
  title: string[];
  abstract: string[];
  keywords: string[];
}

export function paperTokens(paper: Paper): PaperTokens {
  return {
    title: tokenize(paper.title),
    abstract: tokenize(dropBoilerplate(paper.abstract)),
    // Keywords are separate terms: join with a boundary so no phrase spans two of them.
    keywords: paper.keywords.length ? tokenize(paper.keywords.join('; ')) : [],
  };
}

/** Keyword hits of one topic: the taxonomy phrases found, with their share of the score. */
export type KeywordHits = { phrase: string; points: number }[];

/**
 * Raw keyword score per topic (taxonomy order). With `hits`, also records per topic which phrases
 * (and which arXiv category) scored.
 */
export function scorePaper(paper: Paper, tax: CompiledTaxonomy, tokens = paperTokens(paper), hits?: KeywordHits[]): number[] {
  const scores = new Array<number>(tax.taxonomy.topics.length).fill(0);
  const addTokens = (list: string[], fieldWeight: number) => {
    if (list.length === 0 || fieldWeight === 0) return;
    for (const [p, n] of tax.matcher.count(list)) {
      const strength = fieldWeight * (1 + Math.log(n));
      for (const [t, weight] of tax.phraseTopics[p]!) {
        scores[t]! += weight * strength;
        hits?.[t]!.push({ phrase: tax.phraseText[p]!, points: weight * strength });
      }
    }
  };
  addTokens(tokens.title, tax.scoring.titleWeight);
  addTokens(tokens.abstract, 1);
  addTokens(tokens.keywords, tax.scoring.keywordWeight);
  tax.taxonomy.topics.forEach((topic, t) => {
    if (topic.weight !== undefined) scores[t]! *= topic.weight;
  });
  paper.categories.forEach((category, i) => {
    const t = categoryTopic(category, tax.categoryRules);
    if (t === undefined) return;
    const points = i === 0 ? tax.scoring.categoryWeight : tax.scoring.categoryWeight / 2;
    scores[t]! += points;
    hits?.[t]!.push({ phrase: `arXiv ${category}`, points });
  });
  return scores;
}

/** Topic indexes ordered by descending score; ties keep taxonomy order. */
function byScore(scores: readonly number[], among?: readonly number[]): number[] {
  const order = among ? [...among] : scores.map((_, i) => i);
  return order.sort((a, b) => scores[b]! - scores[a]! || a - b);
}

/**
 * The class the paper's primary arXiv category names, when the digest has categories: a field the
 * taxonomy has a topic for, or broad ML for a category that names no field (cs.LG, cs.AI, stat.ML).
 * Undefined otherwise (no categories, or a field without a topic here): the model decides.
 */
function categoryClass(paper: Paper, tax: CompiledTaxonomy): number | undefined {
  const first = paper.categories[0];
  if (!tax.model || first === undefined) return undefined;
  const k = matchCategory(first, tax.model.classes) ?? tax.model.classes.findIndex((c) => c.id === BROAD_CLASS);
  if (k < 0) return undefined;
  return tax.model.classes[k]!.id === BROAD_CLASS || tax.fieldTopics[k]!.length > 0 ? k : undefined;
}

/**
 * Field probability per class: the model's, or certainty for the class of the paper's primary arXiv
 * category when the digest has one (the category is arXiv's own word for the field).
 */
function fieldOdds(paper: Paper, tokens: PaperTokens, tax: CompiledTaxonomy): { p: Float64Array; byCategory: boolean } | undefined {
  if (!tax.model) return undefined;
  const k = categoryClass(paper, tax);
  if (k !== undefined) {
    const p = new Float64Array(tax.model.classes.length);
    p[k] = 1;
    return { p, byCategory: true };
  }
  return { p: fieldProbabilities(tax.model, paperTerms(tokens.title, tokens.abstract)), byCategory: false };
}

/**
 * Combined score of each topic: (1 - fieldWeight) x its share of the paper's keyword score +
 * fieldWeight x the probability of its field (summed over its fields; 0 for a topic without one).
 * Topics of one field share the second term, so the keywords choose among them.
 */
export function combinedScores(keyword: readonly number[], p: ArrayLike<number> | undefined, tax: CompiledTaxonomy): number[] {
  const total = keyword.reduce((a, b) => a + b, 0);
  const share = keyword.map((k) => (total > 0 ? k / total : 0));
  if (!p) return share;
  const alpha = tax.scoring.fieldWeight;
  return share.map((s, t) => (1 - alpha) * s + alpha * tax.topicFields[t]!.reduce((sum, f) => sum + p[f]!, 0));
}

/**
 * Primary topic = best combined score (keyword shares alone when the model's best guess is broad ML;
 * ties: earlier topic in the taxonomy) among the topics whose
 * keyword score reaches minScore or whose field the model gives at least fieldConfidence; "Other"
 * when there is none. Secondary topics:
 * keyword scores of at least secondaryRatio of the best and at least minScore, then the best topic of
 * each other field the model gives at least fieldSecondary.
 */
export function classifyPaper(paper: Paper, tax: CompiledTaxonomy, hits?: KeywordHits[]): Classification {
  const tokens = paperTokens(paper);
  const scores = scorePaper(paper, tax, tokens, hits);
  const ids = tax.taxonomy.topics.map((t) => t.id);
  const { minScore, secondaryRatio, fieldConfidence, fieldSecondary } = tax.scoring;
  const odds = fieldOdds(paper, tokens, tax);
  const p = odds?.p;
  const classes = tax.model?.classes ?? [];
  const fieldOrder = p ? byScore(Array.from(p)) : [];
  const fields = fieldOrder.map((c) => ({ id: classes[c]!.id, probability: p![c]! }));

  // Where the model's best guess is broad ML, it has no field to give: the keywords decide alone.
  const broad = p !== undefined && classes[fieldOrder[0]!]!.id === BROAD_CLASS;
  const used = broad ? undefined : p;
  const combined = combinedScores(scores, used, tax);
  const fieldP = (t: number) => (used ? tax.topicFields[t]!.reduce((sum, f) => sum + used[f]!, 0) : 0);
  // A topic can hold the paper when its keywords reach minScore or the model is fairly sure of its field.
  const eligible = combined.flatMap((_, t) => (scores[t]! >= minScore || fieldP(t) >= fieldConfidence ? [t] : []));
  const primary = byScore(combined, eligible)[0];
  if (primary === undefined) return { primary: OTHER_TOPIC_ID, topics: [OTHER_TOPIC_ID], scores, combined, decision: 'other', fields };
  // Which field carried the paper, if any: the most likely of the primary topic's fields.
  const field = used ? tax.topicFields[primary]!.reduce<number | undefined>((best, f) => (best === undefined || used[f]! > used[best]! ? f : best), undefined) : undefined;
  const decision: Decision = odds?.byCategory ? 'category' : field !== undefined && used![field]! >= fieldConfidence ? 'model' : 'keywords';

  const order = byScore(scores);
  const floor = Math.max(minScore, scores[order[0]!]! * secondaryRatio);
  const topics = [primary, ...order.filter((t) => t !== primary && scores[t]! >= floor)];
  if (p && !odds.byCategory) {
    for (const c of fieldOrder) {
      if (p[c]! < fieldSecondary) break;
      // The field's topic the keywords like best, so a subscriber of that field gets the paper.
      const t = byScore(scores, tax.fieldTopics[c])[0];
      if (t !== undefined && !topics.includes(t)) topics.push(t);
    }
  }
  return {
    primary: ids[primary]!,
    topics: topics.map((t) => ids[t]!),
    scores,
    combined,
    decision,
    ...(field !== undefined ? { field: classes[field]!.id } : {}),
    fields,
  };
}
