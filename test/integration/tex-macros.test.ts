// The TeX macro table the renderer ships (src/domain/render/tex-macros.ts) is what
// scripts/tex-macros.ts makes from the installed unicode2latex: regenerate it after an update.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tableSource } from '../../scripts/tex-macros.js';
import { TEX_MACROS } from '../../src/domain/render/tex-macros.js';

describe('TeX macro table', () => {
  it('is up to date with unicode2latex (node bin/run-ts.js scripts/tex-macros.ts rewrites it)', () => {
    expect(readFileSync('src/domain/render/tex-macros.ts', 'utf8') === tableSource()).toBe(true);
  });
  it('has what abstracts use: Greek, relations, accents, fonts', () => {
    expect([TEX_MACROS.alpha, TEX_MACROS.mu, TEX_MACROS.geq, TEX_MACROS.infty, TEX_MACROS['mathbb{R}'], TEX_MACROS.ss]).toEqual(['α', 'μ', '≥', '∞', 'ℝ', 'ß']);
    expect(TEX_MACROS['"']).toBe('\u0308');
  });
});
