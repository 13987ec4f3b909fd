import { encodeQpChunks } from '../mime/mime-template.js';

// Per-subscriber slots. An issue variant is compiled once (Handlebars → MJML → HTML); the values that
// differ per subscriber are left as markers and then cut out, so personalising is string joins only.
//
// A marker is \u0001pb:<key>\u0002. Control characters survive Handlebars (not an escapable char) and
// MJML (text and attributes alike), and every piece of digest text has C0/C1 controls stripped before
// it reaches a template (see cleanText), so a digest can never forge a slot.

export interface SubscriberFields {
  name: string;
  email: string;
  unsubscribeUrl: string;
  preferencesUrl: string;
  webUrl: string;
  /** Base of the per-topic "stop this topic" links: the template appends `/<topic id>`. */
  stopTopicUrl: string;
}

export type SlotKey = keyof SubscriberFields;

/** Compiled output with slots cut out: chunks.length === keys.length + 1. */
export interface Template {
  chunks: string[];
  keys: SlotKey[];
}

export const SLOT_KEYS: readonly SlotKey[] = ['name', 'email', 'unsubscribeUrl', 'preferencesUrl', 'webUrl', 'stopTopicUrl'];

const OPEN = '\u0001pb:';
const CLOSE = '\u0002';
const MARKER_RE = /\u0001pb:([A-Za-z]+)\u0002/g;

export function isSlotKey(key: unknown): key is SlotKey {
  return typeof key === 'string' && (SLOT_KEYS as readonly string[]).includes(key);
}

export function slotMarker(key: SlotKey): string {
  return `${OPEN}${key}${CLOSE}`;
}

/** Cuts the markers out of compiled output. Throws on an unknown key or a stray marker character (a template bug). */
export function cutSlots(compiled: string): Template {
  const chunks: string[] = [];
  const keys: SlotKey[] = [];
  let last = 0;
  for (const m of compiled.matchAll(MARKER_RE)) {
    const key = m[1];
    if (!isSlotKey(key)) throw new Error(`unknown slot "${key}"; slots are ${SLOT_KEYS.join(', ')}`);
    chunks.push(compiled.slice(last, m.index));
    keys.push(key);
    last = m.index + m[0].length;
  }
  chunks.push(compiled.slice(last));
  if (chunks.some((c) => c.includes('\u0001') || c.includes('\u0002'))) {
    throw new Error('a slot marker was mangled during compilation (a slot inside something that rewrites text?)');
  }
  return { chunks, keys };
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);

// Names come from a web form; no line breaks or controls in a greeting.
const oneLine = (s: string) => s.replace(/[\u0000-\u001F\u007F-\u009F]+/g, ' ').replace(/\s+/g, ' ').trim();

/**
 * The `name` slot only ever follows a greeting word (the `greeting` helper), so it is filled as
 * " Ada" or "" — "Hi Ada," or "Hi," with no stray space.
 */
function slotValue(key: SlotKey, values: SubscriberFields): string {
  if (key === 'name') {
    const name = oneLine(values.name ?? '');
    return name ? ` ${name}` : '';
  }
  return oneLine(values[key] ?? '');
}

export function fillTemplate(t: Template, values: SubscriberFields, mode: 'html' | 'text'): string {
  const filled: Partial<Record<SlotKey, string>> = {};
  let out = t.chunks[0] ?? '';
  for (let i = 0; i < t.keys.length; i++) {
    const key = t.keys[i]!;
    let v = filled[key];
    if (v === undefined) {
      v = slotValue(key, values);
      if (mode === 'html') v = escapeHtml(v);
      filled[key] = v;
    }
    out += v + t.chunks[i + 1]!;
  }
  return out;
}

// Budget per slot when estimating the filled size before any subscriber is known (token links are ~150 bytes).
const SLOT_BUDGET: Record<SlotKey, number> = { name: 100, email: 254, unsubscribeUrl: 300, preferencesUrl: 300, webUrl: 200, stopTopicUrl: 300 };

/** Upper estimate of the UTF-8 size of the filled output for any subscriber. */
export function templateBytes(t: Template): number {
  let n = 0;
  for (const c of t.chunks) n += Buffer.byteLength(c, 'utf8');
  for (const k of t.keys) n += SLOT_BUDGET[k];
  return n;
}

/**
 * Upper estimate of the size of the filled HTML part as sent: quoted-printable, as the message
 * carries it (Gmail clips past ~102 KB of that). Each chunk is encoded as the MIME template encodes
 * it; a slot's value may need an `=XX` per character at worst, and URLs and addresses need few.
 */
export function sentBytes(t: Template, encoded: readonly Uint8Array[] = encodeQpChunks(t.chunks)): number {
  let n = 0;
  for (const e of encoded) n += e.length;
  for (const k of t.keys) n += Math.ceil(SLOT_BUDGET[k] * 1.1) + 3;
  return n;
}
