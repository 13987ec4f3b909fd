// Bytes → text for digest files: UTF-8 only, with a leading byte-order mark dropped. Other
// encodings are refused with a message, since guessing them garbles names like "Schrödinger".
import { digestError } from './parse-error.js';

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

export function decodeDigestBytes(bytes: Uint8Array, fileName: string): string {
  const b0 = bytes[0];
  const b1 = bytes[1];
  if ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff)) {
    throw digestError(fileName, 'not UTF-8', {}, 'the file is UTF-16 text', 'Save it as UTF-8 and try again');
  }
  let text: string;
  try {
    // With ignoreBOM false the decoder drops a UTF-8 byte-order mark itself.
    text = decoder.decode(bytes);
  } catch {
    throw digestError(fileName, 'not UTF-8', {}, 'the file is not valid UTF-8 text', 'Save it as UTF-8 and try again');
  }
  return text.replace(/^\uFEFF/, '');
}
