// Digest files built to hurt: each one is what an attacker (or a broken export) could drop into the
// digests folder. Used by the tests of every format and by scripts/bench-hostile.ts.

export interface HostileDigest {
  /** File name, with the extension the digests folder accepts. */
  name: string;
  text: string;
  /** Words the DIGEST_INVALID message must contain (what is wrong, in the user's terms). */
  says: RegExp;
}

const MB = 1024 * 1024;

const atomFeed = (doctype: string, title: string, summary = 'An abstract.') => `<?xml version="1.0" encoding="UTF-8"?>
${doctype}
<feed xmlns="http://www.w3.org/2005/Atom">
  <updated>2026-03-14T00:00:00Z</updated>
  <entry>
    <id>http://arxiv.org/abs/2603.00001v1</id>
    <published>2026-03-14T00:00:00Z</published>
    <title>${title}</title>
    <summary>${summary}</summary>
    <author><name>A. Author</name></author>
  </entry>
</feed>
`;

const paperboyJson = (paper: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    date: '2026-03-14',
    papers: [{ id: '2603.00002', title: 'A title', abstract: 'An abstract.', ...paper }],
    ...extra,
  });

/** The billion laughs: ten entities, each ten of the one before (10^9 "lol"s once expanded). */
function billionLaughs(): string {
  const defs = ['<!ENTITY lol0 "lol">'];
  for (let i = 1; i <= 9; i++) defs.push(`<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`);
  return atomFeed(`<!DOCTYPE feed [\n  ${defs.join('\n  ')}\n]>`, 'Laughs &lol9;');
}

export function hostileDigests(): HostileDigest[] {
  return [
    { name: 'word-1mb.json', text: paperboyJson({ title: 'a'.repeat(MB) }), says: /title.*characters/i },
    { name: 'abstract-10mb.json', text: paperboyJson({ abstract: `${'word '.repeat(2 * MB)}` }), says: /abstract.*characters/i },
    { name: 'billion-laughs.atom.xml', text: billionLaughs(), says: /DOCTYPE|entit/i },
    {
      name: 'xxe.atom.xml',
      text: atomFeed('<!DOCTYPE feed [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', 'Leak &xxe;'),
      says: /DOCTYPE|entit/i,
    },
    {
      name: 'parameter-entity.atom.xml',
      text: atomFeed('<!DOCTYPE feed [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>', 'Remote'),
      says: /DOCTYPE|entit/i,
    },
    {
      name: 'oversized-entity.atom.xml',
      text: atomFeed(`<!DOCTYPE feed [<!ENTITY big "${'x'.repeat(MB)}">]>`, 'Big &big;'),
      says: /DOCTYPE|entit/i,
    },
    {
      name: 'deep-nesting.atom.xml',
      text: atomFeed('', 'Deep', `${'<div>'.repeat(100_000)}x${'</div>'.repeat(100_000)}`),
      says: /nest/i,
    },
    // JSON.parse nests without recursion; what is left to check is that the shape is refused.
    {
      name: 'deep-nesting.json',
      text: paperboyJson({ title: '@' }).replace('"@"', `${'['.repeat(100_000)}${']'.repeat(100_000)}`),
      says: /must be a string, not a list/,
    },
  ];
}
