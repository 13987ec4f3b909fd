import { describe, expect, it } from 'vitest';
import { texToUnicode } from './tex.js';

describe('texToUnicode', () => {
  it('leaves text without TeX alone', () => {
    const s = "A model's accuracy improves by ~5x (pi_kept ~ 89%), costs $5 and $10, and it's fast.";
    expect(texToUnicode(s)).toBe(s);
  });

  it('accents, in every spelling arXiv uses', () => {
    expect(texToUnicode('K{\\"a}hler-Einstein metrics')).toBe('Kähler-Einstein metrics');
    expect(texToUnicode('Schr\\"odinger bridges')).toBe('Schrödinger bridges');
    expect(texToUnicode('na\\"ive and na\\"{\\i}ve and na\\"\\i ve')).toBe('naïve and naïve and naïve');
    expect(texToUnicode("Poincar\\'e, \\c{C}a\\u{g}lar, Erd\\H{o}s, \\v{S}koda, G\\`ere, \\^ile, ma\\~nana")).toBe('Poincaré, Çağlar, Erdős, Škoda, Gère, île, mañana');
    expect(texToUnicode('Stra\\ss e, \\o, \\AA ngstr\\"om')).toBe('Straße, ø, Ångström');
  });

  it('quotes, dashes, ties and groups', () => {
    expect(texToUnicode("distance to ``success'' and ``failure''")).toBe('distance to “success” and “failure”');
    expect(texToUnicode('problems -- finding hulls, pages 10--20, a---b, --flag')).toBe('problems – finding hulls, pages 10–20, a—b, --flag');
    expect(texToUnicode('first place on Track~1 of WorldArena~2.0')).toBe('first place on Track\u00a01 of WorldArena\u00a02.0');
    expect(texToUnicode('in a {\\em finite sample} setting with {BERT}')).toBe('in a finite sample setting with {BERT}');
    expect(texToUnicode('sets {a, b} stay')).toBe('sets {a, b} stay');
  });

  it('simple inline math becomes its symbols', () => {
    expect(texToUnicode('an almost cosymplectic $(\\kappa,\\mu)$-manifold')).toBe('an almost cosymplectic (κ,μ)-manifold');
    expect(texToUnicode('$\\alpha$-cosymplectic, a $K$-manifold, $d\\theta$')).toBe('α-cosymplectic, a K-manifold, dθ');
    expect(texToUnicode('metric $F=\\frac{\\alpha^2}{\\beta}$ with $n\\geq 2$')).toBe('metric F=α²/β with n≥2');
    expect(texToUnicode('$x_{i+1} = \\sqrt{a+b}$, $\\mathbb{R}^n$, $O(n \\log n)$')).toBe('xᵢ₊₁=√(a+b), ℝⁿ, O(n log n)');
    expect(texToUnicode('$\\frac{a+b}{2}$ and $e^{-x}$ and $x^{ab}$ and $x^{qz}$')).toBe('(a+b)/2 and e⁻ˣ and xᵃᵇ and x^(qz)');
    expect(texToUnicode('\\(\\epsilon\\)-close, $\\hat{x}$, \\$3, 50\\%')).toBe('ϵ-close, x̂, $3, 50%');
  });

  it('repairs captures that lost their backslashes', () => {
    expect(texToUnicode('paths in N{+}D dimensional space when D{=}1 and D{to}infty, 64{times}64 images')).toBe(
      'paths in N+D dimensional space when D=1 and D→infty, 64×64 images',
    );
  });

  it('styling macros keep their text, references go, unknown macros keep their name', () => {
    expect(texToUnicode('\\textbf{bold} and \\emph{it}, see \\cite{x} \\LaTeX')).toBe('bold and it, see LaTeX');
  });

  it('never throws on broken TeX', () => {
    for (const s of ['\\', '{', '}', '$', '$$', '$\\frac{', '\\"', 'a\\', '{{{', '$x', '``', "''", '\\(x', '$a$$b', '~', '--']) {
      expect(() => texToUnicode(s)).not.toThrow();
    }
  });
});
