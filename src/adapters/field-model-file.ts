// Reads a field model file (templates/field-model.json.gz by default; plain .json works too) and
// validates it. Every problem is a FIELD_MODEL_INVALID error naming the file and what to do.
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { PaperboyError, formatPath } from '../errors.js';
import type { FieldModel } from '../domain/field-model/model.js';
import { FieldModelFileSchema, modelFromFile } from '../domain/field-model/model-file.js';

/** The model paperboy ships, trained by `npm run train:topics`. */
export const SHIPPED_FIELD_MODEL = new URL('../../templates/field-model.json.gz', import.meta.url);

const REMEDY = 'rebuild it with `npm run train:topics`, point the taxonomy\'s "model" at another file, or set "model": null to group by keywords alone';

export async function loadFieldModel(path: string | URL): Promise<FieldModel> {
  const name = path instanceof URL ? decodeURIComponent(path.pathname) : path;
  const fail = (reason: string, details: Record<string, unknown> = {}): never => {
    throw new PaperboyError('FIELD_MODEL_INVALID', `Field model ${name} ${reason}: ${REMEDY}.`, { file: name, ...details });
  };
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    return fail((e as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : 'cannot be read');
  }
  let json: unknown;
  try {
    // gzip files start with 1f 8b; anything else is read as JSON text.
    const text = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
    json = JSON.parse(text);
  } catch (e) {
    return fail(`is not gzipped or plain JSON (${(e as Error).message})`);
  }
  const result = FieldModelFileSchema.safeParse(json);
  if (!result.success) {
    const fields = result.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`);
    return fail(`is not a paperboy field model (${fields.slice(0, 3).join('; ')})`, { fields });
  }
  return modelFromFile(result.data);
}
