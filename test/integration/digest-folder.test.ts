import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listDigestFiles } from '../../src/adapters/digest-folder.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'paperboy-digests-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('listDigestFiles', () => {
  it('lists digest files by name with their version, leaving out everything else', async () => {
    for (const name of ['2026-03-15.json', '2026-03-14.TXT', 'arxiv.atom', 'feed.xml', 'README.md', '.2026-03-16.json.part', 'notes.json~']) {
      await writeFile(join(dir, name), 'x'.repeat(name.length));
    }
    await mkdir(join(dir, 'old.json'));
    await utimes(join(dir, 'arxiv.atom'), new Date('2026-01-01T00:00:00Z'), new Date('2026-01-01T00:00:00Z'));
    const files = await listDigestFiles(dir);
    expect(files.map((f) => f.name)).toEqual(['2026-03-14.TXT', '2026-03-15.json', 'arxiv.atom', 'feed.xml']);
    expect(files[2]).toEqual({ name: 'arxiv.atom', path: join(dir, 'arxiv.atom'), mtimeMs: Date.parse('2026-01-01T00:00:00Z'), size: 10 });
  });

  it('lists a missing folder as empty', async () => {
    expect(await listDigestFiles(join(dir, 'nope'))).toEqual([]);
  });
});
