// The labelled arXiv files of ../shared/data/topics (FIELDS.md): reading them, the field model's
// classes, and each paper's class for training and its field for scoring.
import { readFile } from 'node:fs/promises';
import { FIELDS, FIELD_CATEGORIES, fieldOfCategory, type Field } from '../../src/domain/arxiv-fields.js';
import { BROAD_CLASS, type FieldClass } from '../../src/domain/field-model/model.js';

export const TRAIN_FILE = '../shared/data/topics/arxiv-train.jsonl';
export const DEV_FILE = '../shared/data/topics/arxiv-labelled-dev.jsonl';

export interface LabelledPaper {
  id: string;
  title: string;
  abstract: string;
  categories: string[];
  primary_category: string;
}

/** The model's classes: the eleven fields of FIELDS.md with their categories, then broad ML. */
export const MODEL_CLASSES: FieldClass[] = [
  ...FIELDS.map((id) => ({ id, categories: [...FIELD_CATEGORIES[id]] })),
  { id: BROAD_CLASS, categories: [] },
];

/** The field FIELDS.md scores a paper by (its primary category), or undefined: not scored. */
export const scoredField = (p: LabelledPaper): Field | undefined => fieldOfCategory(p.primary_category);

/**
 * The class a paper is trained as: its primary category's field; else the first cross-listed
 * category's field (the training file tops thin fields up with such papers); else broad.
 */
export function trainingClass(p: LabelledPaper): number {
  const field = fieldOfCategory(p.primary_category) ?? p.categories.map(fieldOfCategory).find((f) => f !== undefined);
  return MODEL_CLASSES.findIndex((c) => c.id === (field ?? BROAD_CLASS));
}

export async function readLabelled(path: string): Promise<LabelledPaper[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new Error(`${path} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): it lives in ../shared/data/topics next to the repository (FIELDS.md).`);
  }
  return text
    .split('\n')
    .map((line, i) => [line, i + 1] as const)
    .filter(([line]) => line.trim())
    .map(([line, n]) => {
      let row: Partial<LabelledPaper>;
      try {
        row = JSON.parse(line) as Partial<LabelledPaper>;
      } catch (e) {
        throw new Error(`${path}:${n}: not JSON (${(e as Error).message})`);
      }
      for (const key of ['id', 'title', 'abstract', 'primary_category'] as const) {
        if (typeof row[key] !== 'string') throw new Error(`${path}:${n}: "${key}" must be a string`);
      }
      if (!Array.isArray(row.categories)) throw new Error(`${path}:${n}: "categories" must be a list`);
      return row as LabelledPaper;
    });
}
