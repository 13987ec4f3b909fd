// Shared by the digest parse tests: run a parse and return the DIGEST_INVALID error it throws.
import { expect } from 'vitest';
import { isPaperboyError, type PaperboyError } from '../../src/errors.js';
import type { Digest } from '../../src/domain/digest.js';
import { parseDigest } from '../../src/domain/parse/index.js';

export const NOW = new Date('2026-11-26T12:00:00Z');

export function parse(text: string, fileName = 'digest.json', now = NOW): Digest {
  return parseDigest(text, { fileName, now });
}

export function parseError(text: string, fileName = 'digest.json', now = NOW): PaperboyError {
  try {
    parseDigest(text, { fileName, now });
  } catch (e) {
    if (isPaperboyError(e)) {
      expect(e.code).toBe('DIGEST_INVALID');
      return e;
    }
    throw e;
  }
  throw new Error('expected parseDigest to throw');
}
