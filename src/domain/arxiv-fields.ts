// The coarse fields topic grouping is measured against (../shared/data/topics/FIELDS.md): an arXiv
// primary category maps to one field, or to none when the category is too broad to say what belongs
// together (cs.LG, cs.AI, stat.*, ...); those papers are left out of the score. The same table names
// the classes of the field model (field-model/), so a taxonomy topic's categories say its field.

export const FIELDS = [
  'language',
  'vision',
  'robotics',
  'security',
  'audio',
  'retrieval',
  'software',
  'life-sciences',
  'physical-sciences',
  'mathematics',
  'economics',
] as const;
export type Field = (typeof FIELDS)[number];

/**
 * Each field's categories. An entry ending in "." or "-" is a prefix ("q-bio." covers q-bio.BM);
 * any other entry is one category. The most specific entry wins, so physics.med-ph is life sciences.
 */
export const FIELD_CATEGORIES: Record<Field, readonly string[]> = {
  language: ['cs.CL'],
  vision: ['cs.CV', 'eess.IV', 'cs.GR'],
  robotics: ['cs.RO'],
  security: ['cs.CR'],
  audio: ['cs.SD', 'eess.AS'],
  retrieval: ['cs.IR'],
  software: ['cs.SE'],
  'life-sciences': ['q-bio.', 'physics.med-ph', 'physics.bio-ph'],
  'physical-sciences': ['physics.', 'cond-mat.', 'cond-mat', 'quant-ph', 'hep-', 'astro-ph', 'astro-ph.', 'nucl-th', 'gr-qc'],
  mathematics: ['math.', 'math-ph'],
  economics: ['econ.', 'q-fin.'],
};

/**
 * Which of `groups` a category belongs to: an exact entry first, else the longest prefix entry.
 * Returns the group's index, or undefined.
 */
export function matchCategory(category: string, groups: readonly { categories: readonly string[] }[]): number | undefined {
  let best: number | undefined;
  let bestLength = -1;
  groups.forEach((group, g) => {
    for (const entry of group.categories) {
      if (category === entry) {
        if (bestLength < Infinity) [best, bestLength] = [g, Infinity];
      } else if ((entry.endsWith('.') || entry.endsWith('-')) && category.startsWith(entry) && entry.length > bestLength) {
        [best, bestLength] = [g, entry.length];
      }
    }
  });
  return best;
}

const GROUPS = FIELDS.map((id) => ({ id, categories: FIELD_CATEGORIES[id] }));

export function fieldOfCategory(category: string): Field | undefined {
  const g = matchCategory(category, GROUPS);
  return g === undefined ? undefined : FIELDS[g];
}
