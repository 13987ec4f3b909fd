// Parses an import file (CSV with a header, a plain list of addresses, or JSON) into rows to add.
// All-or-nothing: any invalid row refuses the whole file with every problem listed by line/entry,
// so a fixed file can simply be imported again.
import { createRequire } from 'node:module';
import type { parse as ParseCsv } from 'csv-parse/sync';
import { PaperboyError } from '../errors.js';
import { nameProblem } from './names.js';
import { checkTopics, isValidEmail, parseTopicList } from './subscriber-ops.js';
import { normaliseEmail } from './subscriber.js';

// csv-parse is loaded by an import of a CSV file only (CommonJS as well: a synchronous require).
let csv: typeof ParseCsv | undefined;
const parseCsv: typeof ParseCsv = ((...args: Parameters<typeof ParseCsv>) => {
  csv ??= (createRequire(import.meta.url)('csv-parse/sync') as { parse: typeof ParseCsv }).parse;
  return csv(...args);
}) as typeof ParseCsv;

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
export interface ParsedImport {
  rows: ImportRow[];
  skipped: ImportSkip[];
}

export type RawRow = { where: string; email: unknown; name?: unknown; topics?: unknown; status?: unknown; error?: string };

const MAX_LISTED = 20;

export function detectImportFormat(fileName: string, text: string): 'csv' | 'json' {
  if (/\.json$/i.test(fileName)) return 'json';
  if (/\.(csv|txt)$/i.test(fileName)) return 'csv';
  return /^\s*[[{]/.test(text.replace(/^\uFEFF/, '')) ? 'json' : 'csv';
}

/** `knownTopicIds` given: topic ids are checked against it. */
export function parseSubscriberImport(text: string, fileName: string, knownTopicIds?: readonly string[]): ParsedImport {
  return checkImportRows(readImportRows(text, fileName), fileName, knownTopicIds);
}

/** First step: the file's structure (CSV/JSON syntax, header) into raw rows; throws INPUT_INVALID. */
export function readImportRows(text: string, fileName: string): RawRow[] {
  return detectImportFormat(fileName, text) === 'json' ? jsonRows(text, fileName) : csvRows(text, fileName);
}

/** Do any rows name topics (so the taxonomy is needed to check them)? */
export function rowsNameTopics(raw: readonly RawRow[]): boolean {
  return raw.some((r) => (typeof r.topics === 'string' && r.topics.trim() !== '') || (Array.isArray(r.topics) && r.topics.length > 0));
}

/** Second step: every row checked; any invalid row refuses the whole file, listing all of them. */
export function checkImportRows(raw: readonly RawRow[], fileName: string, knownTopicIds?: readonly string[]): ParsedImport {
  const errors: string[] = [];
  const result: ParsedImport = { rows: [], skipped: [] };
  const seen = new Map<string, string>();

  for (const r of raw) {
    if (r.error) {
      errors.push(`${r.where}: ${r.error}`);
      continue;
    }
    const rowErrors: string[] = [];
    const email = typeof r.email === 'string' ? normaliseEmail(r.email) : '';
    if (!email) rowErrors.push('email is missing');
    else if (!isValidEmail(email)) rowErrors.push(`"${String(r.email).trim()}" is not a valid email address`);

    let name: string | undefined;
    if (typeof r.name === 'string') name = r.name.trim() || undefined;
    else if (r.name != null) rowErrors.push('name must be text');
    const nameIssue = name === undefined ? undefined : nameProblem(name);
    if (nameIssue) rowErrors.push(`name ${nameIssue}`);

    let topics: string[] | undefined;
    if (typeof r.topics === 'string') topics = r.topics.trim() ? parseTopicList(r.topics) : undefined;
    else if (Array.isArray(r.topics) && r.topics.every((t) => typeof t === 'string')) topics = parseTopicList(r.topics.join(','));
    else if (r.topics != null) rowErrors.push('topics must be a list of topic ids');
    if (topics && knownTopicIds) {
      try {
        checkTopics(topics, knownTopicIds);
      } catch (e) {
        rowErrors.push((e as Error).message);
      }
    }

    if (rowErrors.length > 0) {
      errors.push(`${r.where}: ${rowErrors.join('; ')}`);
      continue;
    }
    // Our own file format carries a status: only confirmed addresses may come in as active.
    if (r.status === 'unsubscribed' || r.status === 'bounced' || r.status === 'pending') {
      const why = r.status === 'pending' ? 'never confirmed (status pending in the file)' : `status ${r.status} in the file`;
      result.skipped.push({ where: r.where, email, reason: why });
      continue;
    }
    const first = seen.get(email);
    if (first) {
      result.skipped.push({ where: r.where, email, reason: `same address as ${first}` });
      continue;
    }
    seen.set(email, r.where);
    result.rows.push({ where: r.where, email, ...(name ? { name } : {}), ...(topics ? { topics } : {}) });
  }

  if (errors.length > 0) {
    const listed = errors.slice(0, MAX_LISTED).map((e) => `  - ${e}`);
    if (errors.length > MAX_LISTED) listed.push(`  … and ${errors.length - MAX_LISTED} more`);
    throw new PaperboyError(
      'INPUT_INVALID',
      `${fileName}: ${errors.length} invalid ${errors.length === 1 ? 'row' : 'rows'}; nothing was imported. Fix ${errors.length === 1 ? 'it' : 'them'} and run the import again:\n${listed.join('\n')}`,
      { file: fileName, errors },
    );
  }
  return result;
}

function csvRows(text: string, fileName: string): RawRow[] {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parseCsv(text, { bom: true, info: true, skip_empty_lines: true, trim: true, relax_column_count: true }) as never;
  } catch (e) {
    const err = e as Error & { lines?: number };
    throw new PaperboyError('INPUT_INVALID', `${fileName}: not valid CSV${err.lines ? ` at line ${err.lines}` : ''}: ${err.message}`, {
      file: fileName,
    });
  }
  const first = records[0];
  if (!first) return [];
  const header = first.record.map((h) => h.toLowerCase().replace(/[\s_-]+/g, ''));
  let col = { email: header.findIndex((h) => h === 'email' || h === 'emailaddress'), name: header.indexOf('name'), topics: header.indexOf('topics') };
  let body = records.slice(1);
  if (col.email < 0) {
    // A plain list of addresses (optionally "email,name,topics") has no header.
    if (!first.record[0]?.includes('@')) {
      throw new PaperboyError(
        'INPUT_INVALID',
        `${fileName}: line 1 must be a header with an "email" column (optional "name" and "topics"), found: ${first.record.join(', ')}.`,
        { file: fileName },
      );
    }
    col = { email: 0, name: 1, topics: 2 };
    body = records;
  }
  return body.map(({ record, info }) => ({
    where: `line ${info.lines}`,
    email: record[col.email] ?? '',
    name: col.name >= 0 ? record[col.name] : undefined,
    topics: col.topics >= 0 ? record[col.topics] : undefined,
  }));
}

function jsonRows(text: string, fileName: string): RawRow[] {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new PaperboyError('INPUT_INVALID', `${fileName}: not valid JSON: ${(e as Error).message}`, { file: fileName });
  }
  const wrapped = data !== null && typeof data === 'object' && !Array.isArray(data) && Array.isArray((data as { subscribers?: unknown }).subscribers);
  const list = wrapped ? (data as { subscribers: unknown[] }).subscribers : data;
  if (!Array.isArray(list)) {
    throw new PaperboyError('INPUT_INVALID', `${fileName}: expected an array of {email, name?, topics?} objects or {"subscribers": [...]}.`, {
      file: fileName,
    });
  }
  const prefix = wrapped ? 'subscribers' : 'entry ';
  return list.map((item, i) => {
    const where = `${prefix}[${i}]`;
    if (typeof item === 'string') return { where, email: item };
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      return { where, email: undefined, error: 'expected an object like {"email": "…"} or an address' };
    }
    const { email, name, topics, status } = item as Record<string, unknown>;
    return { where, email, name, topics, status };
  });
}
