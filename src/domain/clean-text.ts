// Paper text arrives hard-wrapped (arXiv, Hugging Face), sometimes with stray control characters
// (copy-paste, bad exports) that break email clients. Every digest format runs its text through here.
// LaTeX and other markup are kept exactly as written: what to do with `$\alpha$` is a rendering choice.

/** Line breaks of every kind, including NEL (U+0085) which `\s` does not cover. */
const LINE_BREAKS = /[\t\n\v\f\r\u0085\u2028\u2029]/g;
/** C0 controls, DEL and C1 controls left after line breaks became spaces. */
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;

/** Joins hard wraps, removes C0/C1 control characters, collapses whitespace and trims. */
export function cleanText(s: string): string {
  return s.replace(LINE_BREAKS, ' ').replace(CONTROLS, '').replace(/\s+/g, ' ').trim();
}

/** cleanText for optional fields: undefined when nothing is left. */
export function cleanOptional(s: string | null | undefined): string | undefined {
  if (s == null) return undefined;
  const out = cleanText(s);
  return out === '' ? undefined : out;
}

/** Cleans each string and drops empty ones and repeats, keeping the first occurrence's order. */
export function cleanList(list: ReadonlyArray<string> | null | undefined): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const item of list ?? []) {
    const s = cleanText(item);
    if (s !== '' && !seen.has(s)) {
      seen.add(s);
      out.push(s);
    }
  }
  return out;
}
