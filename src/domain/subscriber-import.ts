// Checks the rows of an import file (CSV with a header, a plain list of addresses, or JSON) one at
// a time, so a file of a million rows never has to be held at once. Two kinds of row:
// - an address to add (CSV, a plain list, JSON {email, name?, topics?}): it comes in as active,
//   the admin vouching for its consent;
// - a whole record in paperboy's own format (it has `status` and `createdAt`, as
//   `paperboy subscribers export` writes them): restored as it is, consent record, status and
//   token version included, so moving a list between databases changes nothing for its readers.
// All-or-nothing: any invalid row refuses the whole file with every problem listed by line/entry.
import { PaperboyError } from '../errors.js';
import { nameProblem } from './names.js';
import { checkTopics, isValidEmail, parseTopicList } from './subscriber-ops.js';
import { SubscriberSchema, normaliseEmail, type Subscriber } from './subscriber.js';

export interface ImportRow {
  /** "line 3" (CSV) or "entry [2]" (JSON), for reports. */
  where: string;
  email: string;
  name?: string;
  /** undefined when the file gives none: existing subscribers keep theirs, new ones get all topics. */
  topics?: string[];
}

export interface ImportSkip {
  where: string;
  email: string;
  reason: string;
}

/** One row as the file gives it, before any check. `record` is the whole JSON object, for restores. */
export type RawRow = { where: string; email: unknown; name?: unknown; topics?: unknown; status?: unknown; record?: Record<string, unknown>; error?: string };

export type RowCheck =
  | { kind: 'add'; row: ImportRow }
  | { kind: 'restore'; where: string; sub: Subscriber }
  | { kind: 'skip'; skip: ImportSkip }
  | { kind: 'error'; message: string };

const MAX_LISTED = 20;

/** A stored record, unknown fields kept (an export may carry them). Built once: zod schemas are costly to derive. */
const RecordSchema = SubscriberSchema.loose();

export function detectImportFormat(fileName: string, firstBytes: string): 'csv' | 'json' {
  if (/\.json$/i.test(fileName)) return 'json';
  if (/\.(csv|txt)$/i.test(fileName)) return 'csv';
  return /^\s*[[{]/.test(firstBytes.replace(/^\uFEFF/, '')) ? 'json' : 'csv';
}

export type CsvColumns = { email: number; name: number; topics: number; status: number; header: boolean };

/** Which columns hold what, from the first record: a header naming "email", or a plain list. */
export function csvColumns(first: readonly string[], fileName: string): CsvColumns {
  const header = first.map((h) => h.toLowerCase().replace(/[\s_-]+/g, ''));
  const email = header.findIndex((h) => h === 'email' || h === 'emailaddress');
  if (email >= 0) return { email, name: header.indexOf('name'), topics: header.indexOf('topics'), status: header.indexOf('status'), header: true };
  // A plain list of addresses (optionally "email,name,topics") has no header.
  if (first[0]?.includes('@')) return { email: 0, name: 1, topics: 2, status: -1, header: false };
  throw new PaperboyError('INPUT_INVALID', `${fileName}: line 1 must be a header with an "email" column (optional "name" and "topics"), found: ${first.join(', ')}.`, { file: fileName });
}

/** A JSON entry as a raw row. */
export function jsonEntryRow(item: unknown, where: string): RawRow {
  if (typeof item === 'string') return { where, email: item };
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return { where, email: undefined, error: 'expected an object like {"email": "…"} or an address' };
  const { email, name, topics } = item as Record<string, unknown>;
  return { where, email, name, topics, record: item as Record<string, unknown> };
}

/** Does this row name topics (so the taxonomy is needed to check it)? */
export function rowNamesTopics(r: RawRow): boolean {
  return (typeof r.topics === 'string' && r.topics.trim() !== '') || (Array.isArray(r.topics) && r.topics.length > 0);
}

/** Checks one row; `knownTopicIds` given: topic ids are checked against it. */
export function checkImportRow(r: RawRow, knownTopicIds?: readonly string[]): RowCheck {
  if (r.error) return { kind: 'error', message: `${r.where}: ${r.error}` };
  const errors: string[] = [];
  const email = typeof r.email === 'string' ? normaliseEmail(r.email) : '';
  if (!email) errors.push('email is missing');
  else if (!isValidEmail(email)) errors.push(`"${String(r.email).trim()}" is not a valid email address`);

  let topics: string[] | undefined;
  if (typeof r.topics === 'string') topics = r.topics.trim() ? parseTopicList(r.topics) : undefined;
  // A JSON list is taken item by item: its items are ids already, not text to split.
  else if (Array.isArray(r.topics) && r.topics.every((t) => typeof t === 'string')) topics = [...new Set(r.topics.map((t) => t.trim()).filter(Boolean))];
  else if (r.topics != null) errors.push('topics must be a list of topic ids');
  if (topics && knownTopicIds) {
    try {
      checkTopics(topics, knownTopicIds);
    } catch (e) {
      errors.push((e as Error).message);
    }
  }

  // Our own format: the whole record, validated as stored records are.
  if (r.record && 'status' in r.record && 'createdAt' in r.record && errors.length === 0) {
    const parsed = RecordSchema.safeParse({ ...r.record, email, ...(topics ? { topics } : {}) });
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(entry)'}: ${i.message}`);
      return { kind: 'error', message: `${r.where}: ${issues.join('; ')}` };
    }
    return { kind: 'restore', where: r.where, sub: parsed.data };
  }

  let name: string | undefined;
  if (typeof r.name === 'string') name = r.name.trim() || undefined;
  else if (r.name != null) errors.push('name must be text');
  const nameIssue = name === undefined ? undefined : nameProblem(name);
  if (nameIssue) errors.push(`name ${nameIssue}`);
  if (errors.length > 0) return { kind: 'error', message: `${r.where}: ${errors.join('; ')}` };
  // A list exported with its status (CSV): only confirmed addresses come in as active.
  const status = typeof r.status === 'string' ? r.status.trim().toLowerCase() : '';
  if (status === 'unsubscribed' || status === 'bounced' || status === 'pending') {
    const reason = status === 'pending' ? 'never confirmed (status pending in the file)' : `status ${status} in the file`;
    return { kind: 'skip', skip: { where: r.where, email, reason } };
  }
  return { kind: 'add', row: { where: r.where, email, ...(name ? { name } : {}), ...(topics ? { topics } : {}) } };
}

/** INPUT_INVALID listing the first problems and how many there are in all. */
export function importRefused(fileName: string, errors: readonly string[], total: number): PaperboyError {
  const listed = errors.slice(0, MAX_LISTED).map((e) => `  - ${e}`);
  if (total > listed.length) listed.push(`  … and ${total - listed.length} more`);
  return new PaperboyError(
    'INPUT_INVALID',
    `${fileName}: ${total} invalid ${total === 1 ? 'row' : 'rows'}; nothing was imported. Fix ${total === 1 ? 'it' : 'them'} and run the import again:\n${listed.join('\n')}`,
    { file: fileName, errors: errors.slice(0, MAX_LISTED) },
  );
}
