// Digest text is untrusted. Everything a template sees from a digest goes through these first:
// control characters out (they would let a digest forge a slot marker and break mail clients),
// whitespace collapsed (HF titles and abstracts are hard-wrapped), links limited to http(s).

// C0 and C1 controls, plus the Unicode line/paragraph separators that break plain-text layout.
const CONTROLS = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/g;
const HAS_CONTROL = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/;

export function cleanText(s: string | undefined | null): string {
  if (!s) return '';
  return s.replace(CONTROLS, ' ').replace(/\s+/g, ' ').trim();
}

/** The URL if it is an absolute http(s) URL, else undefined (javascript:, data:, relative, garbage). */
export function safeHttpUrl(u: unknown): string | undefined {
  if (typeof u !== 'string') return undefined;
  const s = u.trim();
  if (!/^https?:\/\//i.test(s) || HAS_CONTROL.test(s) || /\s/.test(s)) return undefined;
  try {
    const parsed = new URL(s);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
    if (!parsed.hostname) return undefined;
  } catch {
    return undefined;
  }
  return s;
}
