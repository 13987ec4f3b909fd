// Seeded generators of awkward text for the MIME tests (not used at run time).

/** mulberry32: a small seeded PRNG so a failing case can be reproduced from its seed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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
