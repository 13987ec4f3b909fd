import { describe, expect, it } from 'vitest';
import { fieldProbabilities, type FieldModel } from './model.js';
import { FieldModelFileSchema, modelFromFile, modelToFile } from './model-file.js';

const model: FieldModel = {
  classes: [
    { id: 'vision', categories: ['cs.CV'] },
    { id: 'broad', categories: [] },
  ],
  vocabulary: { index: new Map([['imag', 0], ['loss', 1]]), idf: Float64Array.from([1.5, 1.25]) },
  weights: Float64Array.from([2.3456, -1.2, -0.75, 0.5]),
  bias: Float64Array.from([0.1, -0.1]),
  about: { seed: 16 },
};

describe('the field model file', () => {
  it('round-trips through JSON, the largest weight as ±32767', () => {
    const file = FieldModelFileSchema.parse(JSON.parse(JSON.stringify(modelToFile(model, ['imag', 'loss']))));
    expect(file.weightScale).toBeCloseTo(2.3456 / 32767, 12);
    const back = modelFromFile(file);
    expect(Array.from(back.weights)).toEqual([32767, -16763, -10477, 6985]);
    expect(Array.from(back.weights, (w) => w * back.weightScale!)).toEqual(Array.from(model.weights).map((w) => expect.closeTo(w, 4)));
    expect(back.about).toEqual({ seed: 16 });
    const terms = new Map([['imag', 2], ['loss', 1]]);
    const [a, b] = [fieldProbabilities(model, terms), fieldProbabilities(back, terms)];
    expect(b[0]).toBeCloseTo(a[0]!, 3);
  });

  it('refuses a file whose sizes do not agree, naming the field', () => {
    const file = modelToFile(model, ['imag', 'loss']);
    const bad = FieldModelFileSchema.safeParse({ ...file, weights: file.weights.slice(4), bias: [0] });
    expect(bad.success).toBe(false);
    const paths = bad.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['weights', 'bias']));
    expect(FieldModelFileSchema.safeParse({ ...file, format: 'something-else' }).success).toBe(false);
  });
});
