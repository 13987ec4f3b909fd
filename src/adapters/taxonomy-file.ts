// Reads a taxonomy JSON file (templates/topics.json by default, or an admin's own), validates it, and
// loads the field model it names (its "model", relative to the file; by default the shipped one).
// Every problem is a TAXONOMY_INVALID error naming the file and the field.
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { SHIPPED_FIELD_MODEL, loadFieldModel } from './field-model-file.js';
import { PaperboyError, formatPath } from '../errors.js';
import { stemPhrase } from '../domain/nlp.js';
import { TaxonomySchema, type Taxonomy } from '../domain/taxonomy.js';

/** `fieldModel: false` skips the model (for callers that only need topic ids, and for training one). */
export async function loadTaxonomy(path: string, opts: { fieldModel?: boolean } = {}): Promise<Taxonomy> {
  const taxonomy = parseTaxonomy(await readTaxonomyText(path), path);
  if (taxonomy.model === null || opts.fieldModel === false) return taxonomy;
  const modelPath = taxonomy.model === undefined ? SHIPPED_FIELD_MODEL : resolve(dirname(path), taxonomy.model);
  return { ...taxonomy, fieldModel: await loadFieldModel(modelPath) };
}

async function readTaxonomyText(path: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : 'cannot be read';
    throw new PaperboyError(
      'TAXONOMY_INVALID',
      `Taxonomy file ${path} ${reason}: set taxonomyPath (PAPERBOY_TAXONOMY) or --taxonomy to a topics JSON file.`,
      { file: path },
    );
  }
  return text;
}

/** Parses and validates taxonomy JSON; `source` names the file in error messages. */
export function parseTaxonomy(text: string, source: string): Taxonomy {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new PaperboyError('TAXONOMY_INVALID', `Taxonomy file ${source} is not valid JSON: ${(e as Error).message}`, {
      file: source,
    });
  }
  const result = TaxonomySchema.safeParse(json);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  - ${formatPath(i.path)}: ${i.message}`);
    throw new PaperboyError('TAXONOMY_INVALID', `Taxonomy file ${source} is invalid:\n${lines.join('\n')}`, {
      file: source,
      fields: result.error.issues.map((i) => formatPath(i.path)),
    });
  }
  // A phrase with no words (e.g. "--") would never match: refuse it rather than ignore it silently.
  const empty: string[] = [];
  result.data.topics.forEach((topic, i) => {
    for (const phrase of Object.keys(topic.keywords)) {
      if (stemPhrase(phrase).length === 0) empty.push(`topics[${i}].keywords[${JSON.stringify(phrase)}]`);
    }
  });
  if (empty.length > 0) {
    throw new PaperboyError(
      'TAXONOMY_INVALID',
      `Taxonomy file ${source} is invalid:\n${empty.map((f) => `  - ${f}: a keyword phrase needs at least one word`).join('\n')}`,
      { file: source, fields: empty },
    );
  }
  return result.data;
}
