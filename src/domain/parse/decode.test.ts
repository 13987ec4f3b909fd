import { describe, expect, it } from 'vitest';
import { isPaperboyError } from '../../errors.js';
import { decodeDigestBytes } from './decode.js';

const bytes = (...b: number[]) => new Uint8Array(b);

function message(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (isPaperboyError(e) && e.code === 'DIGEST_INVALID') return e.message;
    throw e;
  }
  throw new Error('expected an error');
}

describe('decodeDigestBytes', () => {
  it('decodes UTF-8 and drops a byte-order mark', () => {
    expect(decodeDigestBytes(new TextEncoder().encode('\uFEFF{"a": "Schrödinger"}'), 'f.json')).toBe('{"a": "Schrödinger"}');
    expect(decodeDigestBytes(bytes(0xef, 0xbb, 0xbf, 0x5b, 0x5d), 'f.json')).toBe('[]');
  });

  it('refuses UTF-16 and invalid UTF-8 with the file name', () => {
    expect(message(() => decodeDigestBytes(bytes(0xff, 0xfe, 0x5b, 0x00), 'u16.json'))).toBe(
      'u16.json (not UTF-8): the file is UTF-16 text. Save it as UTF-8 and try again',
    );
    expect(message(() => decodeDigestBytes(bytes(0x5b, 0xc3, 0x28, 0x5d), 'latin.json'))).toContain(
      'latin.json (not UTF-8): the file is not valid UTF-8 text',
    );
  });
});
