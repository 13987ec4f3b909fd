// Tokenising and stemming for topic matching: a Unicode-aware regular expression splits words,
// numbers and clause punctuation, and the Porter2 stemmer (wink-porter2-stemmer, the one wink-nlp's
// English model uses) folds inflections. Text and taxonomy phrases go through the same function, so a
// phrase matches whatever inflection or spelling variant the text uses ("diffusion models" ~
// "diffusion model"). wink-nlp itself was used before: its model cost ~58 MB of RSS and ~0.5 s of
// start-up in every send, for a tokeniser this regular expression matches on 83% of the labelled
// abstracts, with the same F1 (docs/decisions/006-lean-send-process.md).
import { createRequire } from 'node:module';

// CommonJS with no types: a synchronous require keeps tokenize() synchronous.
const stem = createRequire(import.meta.url)('wink-porter2-stemmer') as (word: string) => string;

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

// One match per token, in order: a URL or e-mail address (dropped: "github.com/x" is not words),
// a word (an abbreviation like "e.g."; letters then letters or digits, "qwen2"; with an apostrophe
// part, "student's"), a number ("2.5", "1,000"), or clause punctuation.
const TOKEN =
  /(https?:\/\/\S+|www\.\S+|[\w.+-]+@[\w-]+\.[\w.-]+)|(\p{L}(?:\.\p{L})+\.?|\p{L}[\p{L}\p{M}\p{N}]*(?:['’]\p{L}+)*)|(\p{N}+(?:[.,]\p{N}+)*)|([.,;:!?()[\]{}"“”])/gu;

/**
 * Stemmed tokens of `text`, lower-case, with BOUNDARY at clause punctuation. Numbers stay as written
 * ("3D" is ["3", "d"] in both text and phrases). Boundaries never repeat, start or end the list.
 */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const m of clean(text).matchAll(TOKEN)) {
    if (m[2]) out.push(stemWord(m[2].toLowerCase()));
    else if (m[3]) out.push(m[3]);
    else if (m[4] && out.length > 0 && out[out.length - 1] !== BOUNDARY) out.push(BOUNDARY);
  }
  if (out[out.length - 1] === BOUNDARY) out.pop();
  return out;
}

/**
 * Longer tokens are kept as written: the stemmer's suffix regexes backtrack quadratically in the
 * length of a word, and no English word that a taxonomy phrase could name is this long
 * (docs/decisions/010-hostile-input-bounds.md).
 */
export const MAX_STEMMED_TOKEN = 64;

// The same few thousand words recur across abstracts; stemming is regex-heavy, so remember them.
const stemCache = new Map<string, string>();
function stemWord(word: string): string {
  if (word.length > MAX_STEMMED_TOKEN) return word;
  let s = stemCache.get(word);
  if (s === undefined) {
    s = stem(word);
    if (stemCache.size < 100_000) stemCache.set(word, s);
  }
  return s;
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
