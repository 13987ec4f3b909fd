// Reads an import file row by row (csv-parse's stream; stream-json for JSON), so its size is not
// held in memory. The format is detected from the name or the first bytes; structural errors (bad
// CSV or JSON, a missing header) are INPUT_INVALID naming the file and, for CSV, the line.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { parse as csvParse } from 'csv-parse';
import chain from 'stream-chain';
import { parser as jsonParser } from 'stream-json';
import { pick } from 'stream-json/filters/pick.js';
import { streamArray } from 'stream-json/streamers/stream-array.js';
import { csvColumns, detectImportFormat, jsonEntryRow, type RawRow } from '../domain/subscriber-import.js';
import { PaperboyError } from '../errors.js';

async function firstBytes(path: string, fileName: string): Promise<string> {
  try {
    const fh = await open(path, 'r');
    try {
      const buf = Buffer.alloc(256);
      const { bytesRead } = await fh.read(buf, 0, 256, 0);
      return buf.toString('utf8', 0, bytesRead);
    } finally {
      await fh.close();
    }
  } catch {
    throw new PaperboyError('INPUT_INVALID', `Cannot read ${fileName}: check the path.`, { file: fileName });
  }
}

async function* csvRows(path: string, fileName: string): AsyncGenerator<RawRow> {
  const parser = createReadStream(path).pipe(csvParse({ bom: true, info: true, skip_empty_lines: true, trim: true, relax_column_count: true }));
  let cols: ReturnType<typeof csvColumns> | undefined;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (!cols) {
        cols = csvColumns(record, fileName);
        if (cols.header) continue;
      }
      yield {
        where: `line ${info.lines}`,
        email: record[cols.email] ?? '',
        name: cols.name >= 0 ? record[cols.name] : undefined,
        topics: cols.topics >= 0 ? record[cols.topics] : undefined,
        status: cols.status >= 0 ? record[cols.status] : undefined,
      };
    }
  } catch (e) {
    if (e instanceof PaperboyError) throw e;
    const err = e as Error & { lines?: number };
    throw new PaperboyError('INPUT_INVALID', `${fileName}: not valid CSV${err.lines ? ` at line ${err.lines}` : ''}: ${err.message}`, { file: fileName });
  }
}

async function* jsonRows(path: string, fileName: string, wrapped: boolean): AsyncGenerator<RawRow> {
  // {"subscribers": [...]} (our own format) or a bare array.
  const pipeline = chain([createReadStream(path, { highWaterMark: 1 << 20 }), jsonParser({ streamValues: false }), ...(wrapped ? [pick({ filter: 'subscribers' })] : []), streamArray()]);
  const prefix = wrapped ? 'subscribers' : 'entry ';
  let seen = false;
  try {
    for await (const { key, value } of pipeline as AsyncIterable<{ key: number; value: unknown }>) {
      seen = true;
      yield jsonEntryRow(value, `${prefix}[${key}]`);
    }
  } catch (e) {
    throw new PaperboyError('INPUT_INVALID', `${fileName}: not valid JSON: ${(e as Error).message}`, { file: fileName });
  }
  if (!seen && wrapped) {
    // An object without a "subscribers" array yields nothing; say what was expected.
    const head = (await firstBytes(path, fileName)).replace(/\s+/g, '');
    if (!/"subscribers":\[/.test(head) && head.length < 256) {
      throw new PaperboyError('INPUT_INVALID', `${fileName}: expected an array of {email, name?, topics?} objects or {"subscribers": [...]}.`, { file: fileName });
    }
  }
}

/** The rows of an import file, read as they are needed. Call again to read the file again. */
export async function* readImportFile(path: string, fileName: string): AsyncGenerator<RawRow> {
  const head = await firstBytes(path, fileName);
  if (detectImportFormat(fileName, head) === 'csv') {
    yield* csvRows(path, fileName);
    return;
  }
  const start = head.replace(/^\uFEFF/, '').trimStart()[0];
  if (start !== '[' && start !== '{') {
    throw new PaperboyError('INPUT_INVALID', `${fileName}: not valid JSON: it must start with [ or {.`, { file: fileName });
  }
  yield* jsonRows(path, fileName, start === '{');
}
