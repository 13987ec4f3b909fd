// Finds taxonomy phrases in a stemmed token stream. Phrases live in a trie keyed by stem; at each
// position the LONGEST phrase wins and its tokens are consumed, so a specific phrase overrides the
// generic one inside it ("graph neural network" counts once, not also as "neural network").
import { BOUNDARY } from './nlp.js';

interface TrieNode {
  children: Map<string, TrieNode>;
  /** Index of the phrase that ends here, if any. */
  phrase?: number;
}

export interface PhraseMatcher {
  /** Number of distinct phrases (indexes run 0..size-1 in the order first added). */
  readonly size: number;
  /** Occurrence count per phrase index for one token stream (sparse: only phrases seen). */
  count(tokens: readonly string[]): Map<number, number>;
}

/**
 * Builds a matcher over stemmed phrases. Returns the matcher and, for each input phrase, the index it
 * got (identical stem sequences share one index).
 */
export function buildPhraseMatcher(phrases: readonly (readonly string[])[]): { matcher: PhraseMatcher; indexOf: number[] } {
  const root: TrieNode = { children: new Map() };
  let size = 0;
  const indexOf: number[] = [];
  for (const stems of phrases) {
    if (stems.length === 0) throw new Error('empty phrase');
    let node = root;
    for (const stem of stems) {
      let next = node.children.get(stem);
      if (!next) {
        next = { children: new Map() };
        node.children.set(stem, next);
      }
      node = next;
    }
    if (node.phrase === undefined) node.phrase = size++;
    indexOf.push(node.phrase);
  }

  const count = (tokens: readonly string[]): Map<number, number> => {
    const counts = new Map<number, number>();
    let i = 0;
    while (i < tokens.length) {
      let node: TrieNode | undefined = root;
      let best = -1;
      let bestEnd = i;
      for (let j = i; j < tokens.length; j++) {
        const token = tokens[j]!;
        if (token === BOUNDARY) break;
        node = node.children.get(token);
        if (!node) break;
        if (node.phrase !== undefined) {
          best = node.phrase;
          bestEnd = j + 1;
        }
      }
      if (best >= 0) {
        counts.set(best, (counts.get(best) ?? 0) + 1);
        i = bestEnd;
      } else {
        i++;
      }
    }
    return counts;
  };

  return { matcher: { size, count }, indexOf };
}
