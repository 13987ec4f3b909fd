// zod schemas for the two forms. Messages are shown to the visitor as they are.
import { z } from 'zod';
import { isValidName, NAME_MAX_LENGTH } from '../domain/names.js';
import { normaliseEmail } from '../domain/subscriber.js';

const name = z
  .string()
  .trim()
  .max(NAME_MAX_LENGTH, `Keep the name under ${NAME_MAX_LENGTH} characters.`)
  .refine(isValidName, 'The name contains characters that cannot be used (control characters such as line breaks).')
  .optional()
  .transform((s) => s || undefined);

/** Checkboxes arrive as nothing, one string or several; unknown ids mean a tampered form. */
function topicsField(topicIds: readonly string[]) {
  const known = new Set(topicIds);
  return z
    .preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(z.string()).max(topicIds.length * 2, 'Too many topics.'))
    .refine((ids) => ids.every((id) => known.has(id)), 'One of the topics is not on the list; reload the page and try again.')
    .transform((ids) => topicIds.filter((id) => ids.includes(id)));
}

export function signupForm(topicIds: readonly string[]) {
  return z.object({
    email: z
      .string('Enter your email address.')
      .trim()
      .min(1, 'Enter your email address.')
      .max(254, 'That email address is too long.')
      .pipe(z.email('Enter a valid email address, like ada@example.org.'))
      .transform(normaliseEmail),
    name,
    topics: topicsField(topicIds),
    /** Honeypot: hidden from people, filled by bots. */
    website: z.string().optional(),
  });
}

export function preferencesForm(topicIds: readonly string[]) {
  return z.object({ name, topics: topicsField(topicIds) });
}

/** A repeated single-value field (`?email=a&email=b`) is malformed, not a list. */
export function singleValues(form: Record<string, string | string[]>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { ...form };
  for (const k of keys) {
    const v = form[k];
    if (Array.isArray(v)) out[k] = v.length === 1 ? v[0] : null;
  }
  return out;
}
