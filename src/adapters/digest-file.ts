// Reads one digest file from disk and parses it. The only I/O around parsing; the rest is pure.
import { readFile, stat } from 'node:fs/promises';
import type { Digest } from '../domain/digest.js';
import { decodeDigestBytes } from '../domain/parse/decode.js';
import { parseDigest } from '../domain/parse/index.js';
import { digestError } from '../domain/parse/parse-error.js';
import { PaperboyError } from '../errors.js';

/** Real digests are well under 1 MB; anything this big is a wrong file or a runaway export. */
export const MAX_DIGEST_BYTES = 20 * 1024 * 1024;

function tooBig(path: string, bytes: number): PaperboyError {
  const mb = (bytes / 1024 / 1024).toFixed(1);
  return digestError(
    path,
    'not read',
    {},
    `the file is ${mb} MB; digests are limited to 20 MB`,
    'Check that this is the right file, or split it into one file per day',
  );
}

function ioError(path: string, e: unknown): PaperboyError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new PaperboyError('DIGEST_NOT_FOUND', `${path}: no such digest file. Check the path and try again.`, {
      file: path,
    });
  }
  if (code === 'EISDIR') {
    return digestError(path, 'not read', {}, 'this is a directory, not a digest file', 'Give the path of a file inside it');
  }
  return digestError(path, 'not read', {}, `cannot read the file (${code ?? (e as Error).message})`, 'Check its permissions');
}

/** Reads, decodes (UTF-8, BOM stripped) and parses a digest file. `now` resolves year-less dates. */
export async function readDigestFile(path: string, now: Date): Promise<Digest> {
  let bytes: Buffer;
  try {
    const st = await stat(path);
    if (st.isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
    if (st.size > MAX_DIGEST_BYTES) throw tooBig(path, st.size);
    bytes = await readFile(path);
  } catch (e) {
    throw e instanceof PaperboyError ? e : ioError(path, e);
  }
  // The file may have grown between stat and read.
  if (bytes.length > MAX_DIGEST_BYTES) throw tooBig(path, bytes.length);
  return parseDigest(decodeDigestBytes(bytes, path), { fileName: path, now });
}
