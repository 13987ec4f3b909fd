// The terms the field model reads: stemmed words and adjacent word pairs of a paper's title and
// abstract, from the same tokeniser as the keyword taxonomy (nlp.ts), so training and grouping see
// the same stems. Pairs never span clause punctuation; function words are dropped first.
import { dropBoilerplate } from '../boilerplate.js';
import { BOUNDARY, stemPhrase, tokenize } from '../nlp.js';

// Words that say nothing about a field. Stemmed once, the way tokenize() returns them.
const STOP_WORDS = new Set(
  (
    'a an the and or but nor of in on at to for from by with without into onto over under between among ' +
    'about as is are was were be been being this that these those it its we our us they their them he she ' +
    'his her which who whom whose what when where while than then there here such so also both either each ' +
    'all any some more most many much few other another can could may might must shall should will would ' +
    'not no do does did done has have had having i you your one two three via et al e.g i.e ie eg paper ' +
    'propose proposed show shows shown present presents study studies result results new novel approach ' +
    'method methods based use used using work works however further thus well first second within across ' +
    'only even how whether very often'
  )
    .split(' ')
    .flatMap((w) => stemPhrase(w)),
);

/** The title counts this many times: it names the subject more densely than the abstract. */
export const TITLE_REPEAT = 2;

/** Adds the unigrams and within-clause bigrams of a token stream to `counts`, `times` times each. */
function addTerms(tokens: readonly string[], times: number, counts: Map<string, number>): void {
  let previous: string | undefined;
  for (const token of tokens) {
    if (token === BOUNDARY) {
      previous = undefined;
      continue;
    }
    // Numbers and single letters are noise on their own ("3", "d"), but "3 d" as a pair is a term.
    const word = STOP_WORDS.has(token) ? undefined : token;
    if (word === undefined) {
      previous = undefined;
      continue;
    }
    if (word.length > 1 && !/^\d/.test(word)) counts.set(word, (counts.get(word) ?? 0) + times);
    if (previous !== undefined) {
      const pair = `${previous} ${word}`;
      counts.set(pair, (counts.get(pair) ?? 0) + times);
    }
    previous = word;
  }
}

/** Term counts of one paper from its tokenised title and abstract (nlp.tokenize output). */
export function paperTerms(titleTokens: readonly string[], abstractTokens: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  addTerms(titleTokens, TITLE_REPEAT, counts);
  addTerms(abstractTokens, 1, counts);
  return counts;
}

/** Term counts of a paper from its title and abstract text (pointers to code or a project page left out). */
export function fieldTerms(title: string, abstract: string): Map<string, number> {
  return paperTerms(tokenize(title), tokenize(dropBoilerplate(abstract)));
}
