// The one rule for a subscriber's name, wherever it comes from (sign-up and preferences forms,
// `subscribers add --name`, CSV/JSON import, the stored list): at most NAME_MAX_LENGTH characters
// and no control characters. A name greets the reader in every issue and is printed by
// `subscribers list`, so ESC, BEL, CR/LF or a bidi override in it would rewrite a terminal (title,
// screen, forged lines) or reorder text in a mail client.
import { z } from 'zod';

export const NAME_MAX_LENGTH = 200;

/**
 * C0 controls, DEL, C1 controls, the Unicode line and paragraph separators, and the bidi
 * embedding, override and isolate controls (which can make text read differently from its bytes).
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const UNSAFE_ALL = new RegExp(UNSAFE.source, 'g');

const CHAR_NAMES: Record<string, string> = { '\t': 'a tab', '\n': 'a line break', '\r': 'a carriage return', '\u001b': 'ESC', '\u0007': 'BEL' };

const hex = (c: string) => `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;

/** Why `name` breaks the rule, as a phrase ("contains ESC (U+001B) at character 3"), or undefined. */
export function nameProblem(name: string): string | undefined {
  if (name.length > NAME_MAX_LENGTH) return `is ${name.length} characters long; names are limited to ${NAME_MAX_LENGTH}`;
  const m = UNSAFE.exec(name);
  if (!m) return undefined;
  const what = CHAR_NAMES[m[0]] ?? 'a control character';
  return `contains ${what} (${hex(m[0])}) at character ${m.index + 1}; names cannot hold control characters`;
}

export const isValidName = (name: string): boolean => nameProblem(name) === undefined;

/** The rule as a zod schema, for the stored list (its message says what to fix in the file). */
export const nameSchema = z.string().superRefine((name, ctx) => {
  const problem = nameProblem(name);
  if (problem) ctx.addIssue({ code: 'custom', message: `${problem}; fix the name in the file`, input: name });
});

/**
 * Text safe to print on a terminal: every character the name rule forbids is shown as an escape
 * (\x1b, \u202e), and a backslash as \\, so what was stored can still be read and told apart.
 */
export function escapeControls(text: string): string {
  if (!UNSAFE.test(text) && !text.includes('\\')) return text;
  return text.replace(/\\/g, '\\\\').replace(UNSAFE_ALL, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

// What JSON.stringify leaves raw inside strings (it escapes C0 itself, and the layout's own line
// breaks must stay as they are).
const RAW_IN_JSON = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** JSON text with DEL, C1 controls and the other forbidden characters written as \\u escapes too. */
export function escapeJsonControls(json: string): string {
  return json.replace(RAW_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
