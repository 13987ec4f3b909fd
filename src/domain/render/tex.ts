// TeX in paper text turned into Unicode for the email (HTML, text part and subject). arXiv titles and
// abstracts are TeX source: K{\"a}hler, ``quotes'', $(\kappa,\mu)$, N{+}D, Track~1. A reader should
// see Kähler, “quotes”, (κ,μ), N+D. The aim is readable text, not typesetting: inline math becomes
// its symbols run together (α²/β), and anything not understood is left as it was written.
import { TEX_MACROS } from './tex-macros.js';

/** Characters whose presence means the text may hold TeX; text without them is returned as it is. */
const MAYBE_TEX = /[\\$`{}~]|--|''/;

// Macros whose argument is shown as plain text (their styling is dropped).
const KEEP_ARGUMENT = new Set([
  'emph', 'textit', 'textbf', 'textsl', 'textsc', 'texttt', 'textrm', 'textsf', 'textup', 'textnormal', 'text', 'mbox', 'hbox',
  'underline', 'mathrm', 'mathit', 'mathbf', 'mathsf', 'mathtt', 'operatorname', 'boldsymbol', 'bm', 'mathnormal', 'textmd',
]);
// Macros dropped with their argument (references mean nothing outside the paper).
const DROP_WITH_ARGUMENT = new Set(['cite', 'citep', 'citet', 'ref', 'eqref', 'label', 'footnote', 'thanks', 'vspace', 'hspace']);
// Declarations and spacing macros that print nothing.
const DROP = new Set(['em', 'it', 'bf', 'rm', 'sc', 'tt', 'sf', 'sl', 'small', 'large', 'Large', 'normalsize', 'footnotesize', 'left', 'right', 'big', 'Big', 'displaystyle', 'textstyle', 'noindent', 'quad', 'qquad', 'limits', 'nolimits']);
// A macro the table maps to a combining character is an accent on its argument (\" \' \c \v \hat ...).
const COMBINING = /^[\u0300-\u036f\u20d0-\u20ff]$/;
// Words TeX lost its backslash for in some captures (D{to}infty, 64{times}64): only inside braces.
// Math accents by name; the table maps some of these names to other symbols (\hat to ∧).
const MATH_ACCENTS: Record<string, string> = {
  hat: '\u0302', widehat: '\u0302', bar: '\u0304', overline: '\u0305', tilde: '\u0303', widetilde: '\u0303', vec: '\u20d7',
  dot: '\u0307', ddot: '\u0308', check: '\u030c', breve: '\u0306', acute: '\u0301', grave: '\u0300',
};
// Operator names (\log n) are words in upright type: kept apart from their neighbours.
const OPERATORS = new Set(['log', 'ln', 'exp', 'sin', 'cos', 'tan', 'max', 'min', 'sup', 'inf', 'lim', 'arg', 'det', 'dim', 'deg', 'ker', 'Pr', 'argmax', 'argmin']);
const BARE_MATH_WORDS = new Set(['to', 'times', 'infty', 'cdot', 'pm', 'leq', 'geq', 'neq', 'approx', 'sim', 'ldots', 'cdots', 'rightarrow', 'leftarrow']);

const SUPERSCRIPTS: Record<string, string> = {
  '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹',
  '+': '⁺', '-': '⁻', '=': '⁼', '(': '⁽', ')': '⁾', n: 'ⁿ', i: 'ⁱ', T: 'ᵀ', '*': '*', '′': '′',
  a: 'ᵃ', b: 'ᵇ', c: 'ᶜ', d: 'ᵈ', e: 'ᵉ', k: 'ᵏ', m: 'ᵐ', p: 'ᵖ', t: 'ᵗ', x: 'ˣ', y: 'ʸ',
};
const SUBSCRIPTS: Record<string, string> = {
  '0': '₀', '1': '₁', '2': '₂', '3': '₃', '4': '₄', '5': '₅', '6': '₆', '7': '₇', '8': '₈', '9': '₉',
  '+': '₊', '-': '₋', '=': '₌', '(': '₍', ')': '₎', a: 'ₐ', e: 'ₑ', i: 'ᵢ', j: 'ⱼ', k: 'ₖ', n: 'ₙ', o: 'ₒ', t: 'ₜ', x: 'ₓ',
};

const isLetter = (c: string | undefined) => c !== undefined && /[A-Za-z]/.test(c);

/** A scanner over one string; `math` switches the rules for braces, spaces and ^ _. */
class Scanner {
  i = 0;
  constructor(readonly s: string) {}
  get done() {
    return this.i >= this.s.length;
  }
  peek(offset = 0): string | undefined {
    return this.s[this.i + offset];
  }
  /** The balanced {...} group at the cursor (without its braces), or undefined when there is none. */
  group(): string | undefined {
    if (this.s[this.i] !== '{') return undefined;
    let depth = 0;
    for (let j = this.i; j < this.s.length; j++) {
      const c = this.s[j];
      if (c === '\\') {
        j++;
        continue;
      }
      if (c === '{') depth++;
      else if (c === '}' && --depth === 0) {
        const inner = this.s.slice(this.i + 1, j);
        this.i = j + 1;
        return inner;
      }
    }
    return undefined;
  }
  skipSpaces(): void {
    while (this.s[this.i] === ' ') this.i++;
  }
  /** A macro argument: a braced group, another macro (\i), or one character. */
  argument(): string {
    this.skipSpaces();
    const g = this.group();
    if (g !== undefined) return g;
    if (this.s[this.i] === '\\') {
      const m = /^\\([A-Za-z]+|.)/.exec(this.s.slice(this.i));
      if (m) {
        this.i += m[0].length;
        if (/^\\[A-Za-z]/.test(m[0])) this.skipSpaces();
        return m[0];
      }
    }
    const c = this.s[this.i] ?? '';
    this.i += c.length;
    return c;
  }
}

function accent(combining: string, arg: string, math: boolean): string {
  // An accent on a dotless i (\"{\i}) is on an i as far as Unicode is concerned.
  const base = arg === '\\i' ? 'i' : arg === '\\j' ? 'j' : convert(arg, math);
  if (base.length === 0) return '';
  const chars = [...base];
  // The accent sits on the first letter; combine and compose (a + ̈ → ä).
  return (chars[0]! + combining).normalize('NFC') + chars.slice(1).join('');
}

/** "α²", or "^(n+1)" when some character has no superscript form. */
function script(arg: string, table: Record<string, string>, mark: string): string {
  const chars = [...arg];
  if (chars.length > 0 && chars.every((c) => table[c] !== undefined)) return chars.map((c) => table[c]).join('');
  return chars.length === 1 ? `${mark}${arg}` : `${mark}(${arg})`;
}

const needsParens = (s: string) => [...s].length > 1 && /[+\-−=<>≤≥/ ]/.test(s);

function controlWord(sc: Scanner, name: string, math: boolean): string {
  // TeX eats the spaces after a control word.
  const afterWord = () => sc.skipSpaces();
  if (KEEP_ARGUMENT.has(name)) {
    afterWord();
    const g = sc.group();
    return g === undefined ? '' : convert(g, math && !name.startsWith('text') && name !== 'mbox');
  }
  if (DROP_WITH_ARGUMENT.has(name)) {
    afterWord();
    sc.group();
    return '';
  }
  if (DROP.has(name)) {
    afterWord();
    return '';
  }
  if (name === 'frac' || name === 'dfrac' || name === 'tfrac') {
    const a = convert(sc.argument(), true);
    const b = convert(sc.argument(), true);
    return `${needsParens(a) ? `(${a})` : a}/${needsParens(b) ? `(${b})` : b}`;
  }
  if (name === 'sqrt') {
    const a = convert(sc.argument(), true);
    return needsParens(a) ? `√(${a})` : `√${a}`;
  }
  if (/^math(bb|cal|bf|frak|rm|sf|tt|it|scr)$/.test(name)) {
    const save = sc.i;
    afterWord();
    const g = sc.group();
    if (g !== undefined) return TEX_MACROS[`${name}{${g}}`] ?? convert(g, math);
    sc.i = save;
  }
  if (math && OPERATORS.has(name)) {
    afterWord();
    return ` ${name} `;
  }
  if (MATH_ACCENTS[name] && sc.peek() === '{') return accent(MATH_ACCENTS[name], sc.argument(), math);
  const symbol = TEX_MACROS[name];
  if (symbol !== undefined && COMBINING.test(symbol)) return accent(symbol, sc.argument(), math);
  afterWord();
  if (symbol !== undefined) return symbol;
  // Unknown: keep the name (\LaTeX → LaTeX) rather than lose the word.
  return name;
}

function convert(s: string, math: boolean): string {
  const sc = new Scanner(s);
  let out = '';
  let openQuote = false;
  while (!sc.done) {
    const c = sc.peek()!;
    if (c === '\\') {
      const next = sc.peek(1);
      if (isLetter(next)) {
        const m = /^[A-Za-z]+/.exec(s.slice(sc.i + 1))!;
        sc.i += 1 + m[0].length;
        out += controlWord(sc, m[0], math);
        continue;
      }
      if (next === undefined) {
        sc.i++;
        continue;
      }
      sc.i += 2;
      const mark = TEX_MACROS[next];
      if (mark !== undefined && COMBINING.test(mark) && sc.peek() !== undefined && sc.peek() !== ' ') {
        out += accent(mark, sc.argument(), math);
      } else if (next === '\\') out += ' ';
      else if (next === ',' || next === ';' || next === ':' || next === ' ') out += math ? '' : ' ';
      else if (next === '!' || next === '/' || next === '@' || next === '-') out += '';
      else if (next === '(' || next === '[') {
        // \( ... \) and \[ ... \]: math.
        const close = s.indexOf(next === '(' ? '\\)' : '\\]', sc.i);
        if (close < 0) out += next;
        else {
          out += convert(s.slice(sc.i, close), true);
          sc.i = close + 2;
        }
      } else out += next;
      continue;
    }
    if (!math && c === '$') {
      const end = mathEnd(s, sc.i);
      if (end > 0) {
        const display = s[sc.i + 1] === '$';
        out += convert(s.slice(sc.i + (display ? 2 : 1), end), true);
        sc.i = end + (display ? 2 : 1);
        continue;
      }
    }
    if (c === '{') {
      const start = sc.i;
      const g = sc.group();
      if (g === undefined) {
        out += c;
        sc.i++;
        continue;
      }
      const before = s[start - 1];
      const after = s[sc.i];
      const word = (ch: string | undefined) => ch !== undefined && /[\p{L}\p{N}]/u.test(ch);
      const attached = word(before) || word(after);
      // Braces group in TeX ({\em x}, K{\"a}hler, N{+}D, {BERT}); "{a, b}" in prose stays.
      if (!math && attached && BARE_MATH_WORDS.has(g)) out += TEX_MACROS[g] ?? g;
      else if (math || g.startsWith('\\') || (attached && !g.includes(' '))) out += convert(g, math);
      else out += `{${convert(g, math)}}`;
      continue;
    }
    if (math) {
      if (c === '^' || c === '_') {
        sc.i++;
        const arg = convert(sc.argument(), true);
        out += script(arg, c === '^' ? SUPERSCRIPTS : SUBSCRIPTS, c);
        continue;
      }
      if (c === ' ' || c === '}') {
        sc.i++;
        continue;
      }
      if (c === '~') {
        out += ' ';
        sc.i++;
        continue;
      }
      out += c;
      sc.i++;
      continue;
    }
    // Text mode.
    if (c === '`' && sc.peek(1) === '`') {
      out += '“';
      openQuote = true;
      sc.i += 2;
      continue;
    }
    if (c === "'" && sc.peek(1) === "'" && openQuote) {
      out += '”';
      openQuote = false;
      sc.i += 2;
      continue;
    }
    if (c === '~') {
      const prev = s[sc.i - 1];
      const next = sc.peek(1);
      // A tie between two words (Track~1); "~5x" or "a ~ b" mean "about".
      out += prev !== undefined && next !== undefined && /[\p{L}\p{N}.)]/u.test(prev) && /[\p{L}\p{N}(\\$]/u.test(next) ? '\u00a0' : '~';
      sc.i++;
      continue;
    }
    if (c === '-' && sc.peek(1) === '-') {
      const triple = sc.peek(2) === '-';
      const prev = s[sc.i - 1];
      const next = s[sc.i + (triple ? 3 : 2)];
      if (triple) {
        out += '—';
        sc.i += 3;
        continue;
      }
      // "a -- b" and "10--20" are dashes; "--flag" is left alone.
      if ((prev === ' ' && next === ' ') || (/\d/.test(prev ?? '') && /\d/.test(next ?? ''))) {
        out += '–';
        sc.i += 2;
        continue;
      }
    }
    out += c;
    sc.i++;
  }
  return out;
}

/**
 * Index of the $ closing the inline math opened at `i` (or the first $ of a closing $$), or -1. As
 * pandoc has it: the opening $ has a non-space after it, the closing one a non-space before it and
 * no digit after it, so "costs $5 and $10" stays text.
 */
function mathEnd(s: string, i: number): number {
  const display = s[i + 1] === '$';
  const from = i + (display ? 2 : 1);
  if (!display && (s[from] === ' ' || s[from] === undefined)) return -1;
  for (let j = from; j < s.length; j++) {
    if (s[j] === '\\') {
      j++;
      continue;
    }
    if (s[j] !== '$') continue;
    if (display) return s[j + 1] === '$' ? j : -1;
    if (s[j - 1] === ' ' || /\d/.test(s[j + 1] ?? '')) return -1;
    return j > from ? j : -1;
  }
  return -1;
}

/** Paper text (already cleaned of controls) with its TeX turned into Unicode. */
export function texToUnicode(s: string): string {
  if (!MAYBE_TEX.test(s)) return s;
  return convert(s, false).normalize('NFC').replace(/ {2,}/g, ' ').replace(/([(\[]) | ([)\],])/g, '$1$2').trim();
}
