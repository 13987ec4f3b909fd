// Scores one paper against every topic of a taxonomy and picks its primary and secondary topics.
// Score of a topic = sum over its phrases found in the paper of
//   phrase weight x field weight x (1 + ln(occurrences in that field)),
// over title, abstract and keywords (the log keeps one repeated word from deciding alone),
// plus a vote from the paper's arXiv categories when the digest has them.
import type { Paper } from './digest.js';
import { OTHER_TOPIC_ID, type Scoring, type Taxonomy } from './taxonomy.js';
import { stemPhrase, tokenize } from './nlp.js';
import { buildPhraseMatcher, type PhraseMatcher } from './phrase-matcher.js';

export const DEFAULT_SCORING: Required<Scoring> = {
  titleWeight: 2,
  keywordWeight: 1.5,
  categoryWeight: 6,
  minScore: 2,
  secondaryRatio: 0.6,
};

export interface CompiledTaxonomy {
  taxonomy: Taxonomy;
  scoring: Required<Scoring>;
  matcher: PhraseMatcher;
  /** phrase index → [topic index, weight] pairs (a phrase may belong to several topics). */
  phraseTopics: [number, number][][];
  /** [category or prefix, topic index]. */
  categoryRules: [string, number][];
}

export interface Classification {
  /** Primary topic id, or OTHER_TOPIC_ID. */
  primary: string;
  /** Primary first, then secondary topics in descending score (ties: taxonomy order). */
  topics: string[];
  /** Score per topic, in taxonomy order. */
  scores: number[];
}

const compiled = new WeakMap<Taxonomy, CompiledTaxonomy>();

/** Stems every phrase once per taxonomy object (cached), so grouping a digest costs one pass per paper. */
export function compileTaxonomy(taxonomy: Taxonomy): CompiledTaxonomy {
  const cached = compiled.get(taxonomy);
  if (cached) return cached;
  const phrases: string[][] = [];
  const owners: [number, number][] = [];
  taxonomy.topics.forEach((topic, t) => {
    for (const [phrase, weight] of Object.entries(topic.keywords)) {
      const stems = stemPhrase(phrase);
      if (stems.length === 0) continue; // punctuation-only phrases are refused by loadTaxonomy
      phrases.push(stems);
      owners.push([t, weight]);
    }
  });
  const { matcher, indexOf } = buildPhraseMatcher(phrases);
  const phraseTopics: [number, number][][] = Array.from({ length: matcher.size }, () => []);
  indexOf.forEach((p, i) => {
    const [t, weight] = owners[i]!;
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
  const result: CompiledTaxonomy = {
    taxonomy,
    scoring: { ...DEFAULT_SCORING, ...stripUndefined(taxonomy.scoring ?? {}) },
    matcher,
    phraseTopics,
    categoryRules,
  };
  compiled.set(taxonomy, result);
  return result;
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

// "Code is available at https://github.com/..." says nothing about the topic but would vote for
// the code topic in every other abstract.
const BOILERPLATE = /https?:\/\/|github|\b(?:is|are|will be|be made|made|publicly|freely|openly) (?:publicly |freely |openly )?(?:available|released|accessible)\b|\bavailable (?:at|on|online)\b|\bproject page\b/i;

/** The abstract without sentences that only point to code, data or a project page. */
export function dropBoilerplate(abstract: string): string {
  return abstract
    .split(/(?<=[.!?])\s+(?=[A-Z0-9])/)
    .filter((sentence) => !BOILERPLATE.test(sentence))
    .join(' ');
}

/** Raw score per topic (taxonomy order). */
export function scorePaper(paper: Paper, tax: CompiledTaxonomy): number[] {
  const scores = new Array<number>(tax.taxonomy.topics.length).fill(0);
  const addText = (text: string, fieldWeight: number) => {
    if (!text || fieldWeight === 0) return;
    for (const [p, n] of tax.matcher.count(tokenize(text))) {
      const strength = fieldWeight * (1 + Math.log(n));
      for (const [t, weight] of tax.phraseTopics[p]!) scores[t]! += weight * strength;
    }
  };
  addText(paper.title, tax.scoring.titleWeight);
  addText(dropBoilerplate(paper.abstract), 1);
  // Keywords are separate terms: join with a boundary so no phrase spans two of them.
  addText(paper.keywords.join('; '), tax.scoring.keywordWeight);
  tax.taxonomy.topics.forEach((topic, t) => {
    if (topic.weight !== undefined) scores[t]! *= topic.weight;
  });
  paper.categories.forEach((category, i) => {
    const t = categoryTopic(category, tax.categoryRules);
    if (t !== undefined) scores[t]! += i === 0 ? tax.scoring.categoryWeight : tax.scoring.categoryWeight / 2;
  });
  return scores;
}

/**
 * Primary topic = highest score (ties: earlier topic in the taxonomy); "Other" when the best score is
 * below minScore. Secondary topics score at least secondaryRatio of the best and at least minScore.
 */
export function classifyPaper(paper: Paper, tax: CompiledTaxonomy): Classification {
  const scores = scorePaper(paper, tax);
  const order = scores.map((s, i) => [s, i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  const [bestScore, bestIndex] = order[0]!;
  if (bestScore < tax.scoring.minScore) return { primary: OTHER_TOPIC_ID, topics: [OTHER_TOPIC_ID], scores };
  const ids = tax.taxonomy.topics.map((t) => t.id);
  const floor = Math.max(tax.scoring.minScore, bestScore * tax.scoring.secondaryRatio);
  const topics = order.filter(([s, i]) => i === bestIndex || s >= floor).map(([, i]) => ids[i]!);
  return { primary: ids[bestIndex]!, topics, scores };
}
