// The committed form of the field model (templates/field-model.json.gz): JSON with the classes and
// their arXiv categories, the vocabulary with its idf, and the weights as little-endian 16-bit
// integers in units of `weightScale`, base64-encoded (one string parses and decodes far faster than
// 120,000 JSON numbers, and gzips to a third of their size). Pure: the adapter reads and unzips.
import { z } from 'zod';
import type { FieldModel } from './model.js';

export const MODEL_FORMAT = 'paperboy-field-model/2';

// The vocabulary (10,000 terms) is checked by one plain loop per list: zod's per-element checks
// would cost more than the rest of loading the model.
const every = <T>(test: (x: unknown) => boolean, message: string) =>
  z.custom<T[]>((v) => Array.isArray(v) && v.every(test), { message });
const isTerm = (x: unknown) => typeof x === 'string' && x.length > 0;
const isPositive = (x: unknown) => typeof x === 'number' && x > 0 && Number.isFinite(x);

export const FieldModelFileSchema = z
  .object({
    format: z.literal(MODEL_FORMAT),
    classes: z.array(z.object({ id: z.string().min(1), categories: z.array(z.string()) })).min(2),
    terms: every<string>(isTerm, 'must be a list of non-empty strings'),
    idf: every<number>(isPositive, 'must be a list of positive numbers'),
    weightScale: z.number().positive(),
    /** base64 of int16 little-endian, feature-major: weights[feature * classes + class] × weightScale. */
    weights: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64'),
    bias: z.array(z.number()),
    about: z.record(z.string(), z.unknown()).default({}),
  })
  .superRefine((m, ctx) => {
    const k = m.classes.length;
    if (m.idf.length !== m.terms.length) ctx.addIssue({ code: 'custom', path: ['idf'], message: `has ${m.idf.length} values for ${m.terms.length} terms` });
    const bytes = Math.floor((m.weights.length * 3) / 4) - (m.weights.endsWith('==') ? 2 : m.weights.endsWith('=') ? 1 : 0);
    if (bytes !== m.terms.length * k * 2) {
      ctx.addIssue({ code: 'custom', path: ['weights'], message: `holds ${bytes / 2} values, expected terms × classes = ${m.terms.length * k}` });
    }
    if (m.bias.length !== k) ctx.addIssue({ code: 'custom', path: ['bias'], message: `has ${m.bias.length} values for ${k} classes` });
  });
export type FieldModelFile = z.infer<typeof FieldModelFileSchema>;

function decodeInt16(base64: string): Int16Array {
  const binary = atob(base64);
  const out = new Int16Array(binary.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = (binary.charCodeAt(2 * i) | (binary.charCodeAt(2 * i + 1) << 8)) << 16 >> 16;
  return out;
}

function encodeInt16(values: Int16Array): string {
  let binary = '';
  for (let i = 0; i < values.length; i += 4096) {
    const chunk: number[] = [];
    for (const v of values.subarray(i, i + 4096)) chunk.push(v & 0xff, (v >> 8) & 0xff);
    binary += String.fromCharCode(...chunk);
  }
  return btoa(binary);
}

/** A validated file → the model used when grouping. */
export function modelFromFile(file: FieldModelFile): FieldModel {
  const index = new Map<string, number>();
  file.terms.forEach((t, i) => index.set(t, i));
  return {
    classes: file.classes,
    vocabulary: { index, idf: file.idf },
    // Kept as the file's integers, scaled once per score (fieldProbabilities).
    weights: decodeInt16(file.weights),
    weightScale: file.weightScale,
    bias: file.bias,
    about: file.about,
  };
}

const round = (x: number, digits: number) => Number(x.toFixed(digits));

/** A fitted model → the committed JSON form. `terms` are in feature order. */
export function modelToFile(model: FieldModel, terms: readonly string[]): FieldModelFile {
  const unit = model.weightScale ?? 1;
  let max = 0;
  for (let i = 0; i < model.weights.length; i++) max = Math.max(max, Math.abs(model.weights[i]! * unit));
  // The largest weight maps to ±32767: the finest step that still fits 16 bits.
  const weightScale = max > 0 ? max / 32767 : 1;
  const ints = Int16Array.from(Array.from(model.weights, (w) => Math.round((w * unit) / weightScale)));
  return {
    format: MODEL_FORMAT,
    classes: model.classes,
    terms: [...terms],
    idf: Array.from(model.vocabulary.idf, (x) => round(x, 4)),
    weightScale,
    weights: encodeInt16(ints),
    bias: Array.from(model.bias, (b) => round(b, 4)),
    about: model.about,
  };
}
