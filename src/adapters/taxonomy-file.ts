// Reads a taxonomy JSON file (templates/topics.json by default, or an admin's own) and validates it.
// Every problem is a TAXONOMY_INVALID error naming the file and the field.
import { readFile } from 'node:fs/promises';
import { PaperboyError, formatPath } from '../errors.js';
import { stemPhrase } from '../domain/nlp.js';
import { TaxonomySchema, type Taxonomy } from '../domain/taxonomy.js';

export async function loadTaxonomy(path: string): Promise<Taxonomy> {
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
  return parseTaxonomy(text, path);
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
