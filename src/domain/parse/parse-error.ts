// One way to fail: a DIGEST_INVALID error whose message names the file, the format tried, the field
// or line, the problem, and what to do about it.
import type { z } from 'zod';
import { PaperboyError, formatPath } from '../../errors.js';
import type { DigestSource } from '../digest.js';

export const FORMAT_LABELS: Record<DigestSource, string> = {
  'paperboy-json': 'paperboy JSON',
  'hf-daily': 'Hugging Face daily papers JSON',
  'hf-trending-text': 'trending-page text',
  'arxiv-atom': 'arXiv Atom feed',
};

export const FORMATS_DOC = 'docs/digest-formats.md';

export interface Where {
  /** Field path such as `papers[3].title` or `[5].paper.id`. */
  field?: string;
  /** 1-based line number (text formats). */
  line?: number;
}

/**
 * @param format the format the text was read as, or a short description when none fitted
 *   (e.g. 'JSON of no known digest shape').
 * @param problem what is wrong, no trailing full stop.
 * @param fix a sentence telling the person what to do.
 */
export function digestError(
  fileName: string,
  format: DigestSource | string,
  where: Where,
  problem: string,
  fix: string,
): PaperboyError {
  const label = format in FORMAT_LABELS ? `read as ${FORMAT_LABELS[format as DigestSource]}` : format;
  const loc = where.field !== undefined ? `${where.field}: ` : where.line !== undefined ? `line ${where.line}: ` : '';
  return new PaperboyError('DIGEST_INVALID', `${fileName} (${label}): ${loc}${problem}. ${fix}`, {
    file: fileName,
    format,
    ...where,
  });
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return v.length > 40 ? `the text "${v.slice(0, 40)}…"` : `the text "${v}"`;
  if (typeof v === 'number' || typeof v === 'boolean') return `${typeof v} ${String(v)}`;
  return typeof v === 'object' ? 'an object' : typeof v;
}

/** A person-readable sentence for one zod issue (without its path). */
export function issueText(issue: z.core.$ZodIssue): string {
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case 'invalid_type':
      // zod reports no input for a missing key; custom messages (numeric ids) win.
      if (!issue.message.startsWith('Invalid input')) return issue.message;
      if (input === undefined) return 'is missing';
      return `must be ${issue.expected === 'int' ? 'a whole number' : `a ${issue.expected}`}, not ${describe(input)}`;
    case 'invalid_union':
      return input === undefined ? 'is missing' : `has an unexpected shape (${describe(input)})`;
    case 'unrecognized_keys':
      return `has unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')} (a typo?)`;
    case 'too_small':
      if (issue.origin === 'string' && issue.minimum === 1) return 'is empty';
      if (issue.origin === 'array' && issue.minimum === 1) return 'is an empty list';
      return issue.origin === 'number' ? `must be at least ${String(issue.minimum)}, not ${describe(input)}` : issue.message;
    default:
      return issue.message;
  }
}

/** Turns a failed zod parse into the DIGEST_INVALID error for its first issue. */
export function zodError(
  fileName: string,
  format: DigestSource,
  error: z.ZodError,
  fix: string,
  pathPrefix: ReadonlyArray<PropertyKey> = [],
): PaperboyError {
  const issues = error.issues;
  const first = issues[0];
  if (!first) return digestError(fileName, format, {}, 'is not valid', fix);
  const field = formatPath([...pathPrefix, ...first.path]);
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
  return digestError(fileName, format, { field }, issueText(first) + more, fix);
}
