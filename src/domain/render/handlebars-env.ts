// Two Handlebars instances: HTML (escapes everything) and plain text (noEscape at compile time).
// Both get the same small helper set; slot markers come only from helpers, never from data.
import Handlebars from 'handlebars';
import { safeHttpUrl } from './clean.js';
import { SLOT_KEYS, isSlotKey, slotMarker } from './slots.js';

export type Hbs = typeof Handlebars;
export type Format = 'html' | 'text';

function registerHelpers(hbs: Hbs, format: Format): void {
  const safe = (s: string) => (format === 'html' ? new hbs.SafeString(s) : s);
  hbs.registerHelper('slot', (key: unknown) => {
    if (key === 'name') throw new Error('use {{greeting "Hi"}} for the name: it leaves out the name (and its space) when there is none');
    if (!isSlotKey(key)) throw new Error(`unknown slot ${JSON.stringify(key)}; slots are ${SLOT_KEYS.join(', ')}`);
    return safe(slotMarker(key));
  });
  // "Hi Ada," or "Hi," — the name slot is filled as " Ada" or "" (see fillTemplate).
  hbs.registerHelper('greeting', (word: unknown) => {
    const w = typeof word === 'string' ? word : 'Hi';
    return safe(`${format === 'html' ? hbs.escapeExpression(w) : w}${slotMarker('name')},`);
  });
  // Handlebars escapes HTML but not URLs: only absolute http(s) links get through, anything else is ''.
  hbs.registerHelper('httpUrl', (u: unknown) => safeHttpUrl(u) ?? '');
  hbs.registerHelper('plural', (n: unknown, singular: unknown, pluralForm: unknown) => {
    const count = typeof n === 'number' ? n : Number(n);
    const one = String(singular);
    const many = typeof pluralForm === 'string' ? pluralForm : `${one}s`;
    return `${count} ${count === 1 ? one : many}`;
  });
  hbs.registerHelper('join', (list: unknown, sep: unknown) => (Array.isArray(list) ? list.map(String).join(typeof sep === 'string' ? sep : ', ') : ''));
}

export function createHandlebars(format: Format): Hbs {
  const hbs = Handlebars.create();
  registerHelpers(hbs, format);
  return hbs;
}

/** Compile options per format: the text instance never escapes (plain text has no markup to protect). */
export function compileOptions(format: Format): CompileOptions {
  return format === 'text' ? { noEscape: true } : {};
}
