// Seeded generators of awkward text for the MIME tests (not used at run time).
import { seeded } from '../seeded-random.js';

export { seeded };

/** Pieces that stress quoted-printable and MIME: escapes, whitespace at line ends, multibyte, dots. */
const ATOMS = [
  'a', 'Z', '0', ' ', '  ', '\t', '=', '==', '=3D', '=\r\n', '.', '..', '\n.', '\n', '\r\n', '\n\n', ' \n', '\t\r\n',
  'ö', 'Schrödinger', '€', '🐱', '👩‍🔬', '中文', 'ﬁ', '\u00a0', '--', '--=_pb_', 'From ', '<p class="x">', '&amp;',
  'https://example.org/a?b=c&d=e', '_', '?=', '=?UTF-8?B?', '"', "'", '\\', '~', '`',
];

export function randomText(rand: () => number, maxAtoms: number): string {
  const n = Math.floor(rand() * maxAtoms);
  let s = '';
  for (let i = 0; i < n; i++) {
    const r = rand();
    if (r < 0.05) s += 'x'.repeat(Math.floor(rand() * 300));
    else if (r < 0.08) s += '🐱'.repeat(Math.floor(rand() * 60));
    else if (r < 0.1) s += ' '.repeat(Math.floor(rand() * 100));
    else s += ATOMS[Math.floor(rand() * ATOMS.length)]!;
  }
  return s;
}
