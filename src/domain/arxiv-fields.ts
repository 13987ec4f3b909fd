// The coarse fields topic grouping is measured against (../shared/data/topics/FIELDS.md): an arXiv
// primary category maps to one field, or to none when the category is too broad to say what belongs
// together (cs.LG, cs.AI, stat.*, ...); those papers are left out of the score.

export type Field =
  | 'language'
  | 'vision'
  | 'robotics'
  | 'security'
  | 'audio'
  | 'retrieval'
  | 'software'
  | 'life-sciences'
  | 'physical-sciences'
  | 'mathematics'
  | 'economics';

const EXACT: Record<string, Field> = {
  'cs.CL': 'language',
  'cs.CV': 'vision',
  'eess.IV': 'vision',
  'cs.GR': 'vision',
  'cs.RO': 'robotics',
  'cs.CR': 'security',
  'cs.SD': 'audio',
  'eess.AS': 'audio',
  'cs.IR': 'retrieval',
  'cs.SE': 'software',
  'physics.med-ph': 'life-sciences',
  'physics.bio-ph': 'life-sciences',
  'quant-ph': 'physical-sciences',
  'nucl-th': 'physical-sciences',
  'gr-qc': 'physical-sciences',
  'math-ph': 'mathematics',
};

// Checked after EXACT, so physics.med-ph stays in life sciences.
const PREFIXES: [string, Field][] = [
  ['q-bio.', 'life-sciences'],
  ['physics.', 'physical-sciences'],
  ['cond-mat.', 'physical-sciences'],
  ['hep-', 'physical-sciences'],
  ['astro-ph', 'physical-sciences'],
  ['math.', 'mathematics'],
  ['econ.', 'economics'],
  ['q-fin.', 'economics'],
];

export function fieldOfCategory(category: string): Field | undefined {
  return EXACT[category] ?? PREFIXES.find(([prefix]) => category.startsWith(prefix))?.[1];
}
