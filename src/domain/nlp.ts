// Tokenising and stemming for topic matching, on wink-nlp (tokeniser + Porter stemmer of its English
// model). Text and taxonomy phrases go through the same function, so a phrase matches whatever
// inflection or spelling variant the text uses ("diffusion models" ~ "diffusion model").
import { createRequire } from 'node:module';
import type { ItsFunction, WinkMethods } from 'wink-nlp';

// Loaded on first use, not with this module: the English model is ~58 MB of RSS, and most commands
// (and the sending process, whose grouping runs in a short-lived worker) never tokenise anything.
// Both packages are CommonJS, so a synchronous require keeps tokenize() synchronous.
let nlp: WinkMethods | undefined;
function winkNlp(): WinkMethods {
  if (!nlp) {
    const require = createRequire(import.meta.url);
    const winkNLP = require('wink-nlp') as typeof import('wink-nlp').default;
    // Tokenisation only: no sentence, POS or NER pipes, which we do not use and which cost time.
    nlp = winkNLP(require('wink-eng-lite-web-model') as typeof import('wink-eng-lite-web-model').default, []);
  }
  return nlp;
}

/** Marks a clause boundary in a token stream: phrases never match across it. */
export const BOUNDARY = '|';

// Clause punctuation becomes a boundary; anything else that is not a word or number is dropped.
const BOUNDARY_PUNCT = new Set(['.', ',', ';', ':', '!', '?', '(', ')', '[', ']', '{', '}', '"', '“', '”']);

/**
 * Cleans text before tokenising: LaTeX accents and Latin diacritics go ("Schr\\"odinger", "Schrödinger"
 * -> "Schrodinger"); LaTeX control words keep their name ("\\mathcal" -> "mathcal") but lose the
 * backslash; hyphens and slashes separate words so "vision-language" matches "vision language";
 * C0/C1 control characters go. Then two spelling folds the stemmer does not do:
 * acronym plurals ("LLMs", "GNNs") lose their "s" (the Porter stemmer keeps it when the stem has no
 * vowel), and British -ise/-isation spellings become -ize/-ization (they stem differently).
 */
function clean(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ')
    // arXiv abstracts write Schr\"odinger or K{\"a}hler, titles Schrödinger, keywords Schrodinger: all must meet.
    .replace(/\{?\\[`'"^~=.]\{?([A-Za-z])\}?\}?/g, '$1')
    .replace(/\\[Hcvukrd]\{([A-Za-z])\}/g, '$1')
    .normalize('NFD')
    .replace(/([A-Za-z])\p{M}+/gu, '$1')
    .normalize('NFC')
    .replace(/\\([a-zA-Z]+)/g, ' $1 ')
    .replace(/[-‐‑‒–—_/\\^~$]+/g, ' ')
    .replace(/\b([A-Z][A-Z0-9]+)s\b/g, '$1')
    .replace(/\b(\p{L}+)isation(s?)\b/gu, '$1ization$2')
    .replace(/\b(\p{L}{2,})is(e|es|ed|er|ers|ing)\b/gu, '$1iz$2');
}

/**
 * Stemmed tokens of `text`, lower-case, with BOUNDARY at clause punctuation. Numbers stay as written
 * ("3D" is ["3", "d"] in both text and phrases). Boundaries never repeat, start or end the list.
 */
export function tokenize(text: string): string[] {
  const nlp = winkNlp();
  const its = nlp.its;
  const tokens = nlp.readDoc(clean(text)).tokens();
  const values = tokens.out(its.normal);
  const types = tokens.out(its.type);
  // wink-nlp's typings declare its.stem with the wrong parameter list; it is a token its-function.
  const stems = tokens.out(its.stem as unknown as ItsFunction<string>);
  const out: string[] = [];
  for (let i = 0; i < values.length; i++) {
    const type = types[i];
    if (type === 'word') out.push(stems[i] ?? values[i]!);
    else if (type === 'number') out.push(values[i]!);
    else if (BOUNDARY_PUNCT.has(values[i]!) && out.length > 0 && out[out.length - 1] !== BOUNDARY) out.push(BOUNDARY);
  }
  if (out[out.length - 1] === BOUNDARY) out.pop();
  return out;
}

// Taxonomy phrases are stemmed when a file is validated and again when it is compiled: remember them.
const phraseCache = new Map<string, readonly string[]>();

/** Stemmed tokens of a taxonomy phrase (no boundaries: a phrase is one run of words). */
export function stemPhrase(phrase: string): string[] {
  let stems = phraseCache.get(phrase);
  if (!stems) {
    stems = tokenize(phrase).filter((t) => t !== BOUNDARY);
    if (phraseCache.size < 50_000) phraseCache.set(phrase, stems);
  }
  return [...stems];
}
