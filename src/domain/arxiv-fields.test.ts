import { describe, expect, it } from 'vitest';
import { fieldOfCategory } from './arxiv-fields.js';

describe('fieldOfCategory (FIELDS.md)', () => {
  it.each([
    ['cs.CL', 'language'],
    ['eess.IV', 'vision'],
    ['cs.GR', 'vision'],
    ['eess.AS', 'audio'],
    ['q-bio.BM', 'life-sciences'],
    ['physics.med-ph', 'life-sciences'],
    ['physics.bio-ph', 'life-sciences'],
    ['physics.chem-ph', 'physical-sciences'],
    ['cond-mat.stat-mech', 'physical-sciences'],
    ['hep-lat', 'physical-sciences'],
    ['astro-ph.IM', 'physical-sciences'],
    ['quant-ph', 'physical-sciences'],
    ['math.RT', 'mathematics'],
    ['math-ph', 'mathematics'],
    ['q-fin.GN', 'economics'],
    ['econ.GN', 'economics'],
  ])('%s -> %s', (category, field) => {
    expect(fieldOfCategory(category)).toBe(field);
  });

  it.each(['cs.LG', 'cs.AI', 'stat.ML', 'stat.AP', 'cs.NE', 'cs.HC', 'eess.SP'])('%s is left out', (category) => {
    expect(fieldOfCategory(category)).toBeUndefined();
  });
});
