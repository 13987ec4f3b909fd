import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileArchiveStore, MemoryArchiveStore, type ArchiveEntry, type ArchiveStore } from '../../src/adapters/archive-store.js';

function entry(issueId: string, date: string, over: Partial<ArchiveEntry> = {}): ArchiveEntry {
  return { issueId, date, subject: `Papers ${date}`, paperCount: 3, sentAt: `${date}T07:00:00.000Z`, html: `<p>${issueId}</p>`, text: issueId, ...over };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pb-archive-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const kinds: [string, () => ArchiveStore][] = [
  ['FileArchiveStore', () => new FileArchiveStore(join(dir, 'archive'))],
  ['MemoryArchiveStore', () => new MemoryArchiveStore()],
];

describe.each(kinds)('%s', (_name, make) => {
  it('is empty before anything is saved (even without the folder)', async () => {
    const store = make();
    expect(await store.list()).toEqual([]);
    expect(await store.get('2026-03-14-aaaaaaaa')).toBeUndefined();
  });

  it('saves, lists newest first without bodies, and gets the full entry', async () => {
    const store = make();
    await store.save(entry('2026-03-13-aaaaaaaa', '2026-03-13'));
    await store.save(entry('2026-03-15-cccccccc', '2026-03-15'));
    await store.save(entry('2026-03-14-bbbbbbbb', '2026-03-14'));
    const list = await store.list();
    expect(list.map((e) => e.issueId)).toEqual(['2026-03-15-cccccccc', '2026-03-14-bbbbbbbb', '2026-03-13-aaaaaaaa']);
    expect(list[0]).not.toHaveProperty('html');
    expect(await store.get('2026-03-14-bbbbbbbb')).toEqual(entry('2026-03-14-bbbbbbbb', '2026-03-14'));
  });

  it('replaces an entry saved again under the same id', async () => {
    const store = make();
    await store.save(entry('2026-03-14-bbbbbbbb', '2026-03-14'));
    await store.save(entry('2026-03-14-bbbbbbbb', '2026-03-14', { subject: 'again', html: '<p>new</p>' }));
    expect(await store.list()).toHaveLength(1);
    expect((await store.get('2026-03-14-bbbbbbbb'))?.html).toBe('<p>new</p>');
  });

  it('refuses ids that could escape the folder and never finds them', async () => {
    const store = make();
    await expect(store.save(entry('../evil', '2026-03-14'))).rejects.toThrow(/invalid issue id/);
    expect(await store.get('../evil')).toBeUndefined();
    expect(await store.get('a/b')).toBeUndefined();
  });
});

describe('FileArchiveStore on disk', () => {
  it('keeps html, text and metadata as files that survive a new instance', async () => {
    const path = join(dir, 'archive');
    await new FileArchiveStore(path).save(entry('2026-03-14-bbbbbbbb', '2026-03-14'));
    expect((await readdir(path)).sort()).toEqual(['2026-03-14-bbbbbbbb.html', '2026-03-14-bbbbbbbb.json', '2026-03-14-bbbbbbbb.txt']);
    expect(await new FileArchiveStore(path).get('2026-03-14-bbbbbbbb')).toEqual(entry('2026-03-14-bbbbbbbb', '2026-03-14'));
  });

  it('skips a damaged metadata file instead of failing the whole list', async () => {
    const path = join(dir, 'archive');
    const store = new FileArchiveStore(path);
    await store.save(entry('2026-03-14-bbbbbbbb', '2026-03-14'));
    await writeFile(join(path, '2026-03-13-aaaaaaaa.json'), '{ not json');
    expect((await store.list()).map((e) => e.issueId)).toEqual(['2026-03-14-bbbbbbbb']);
    expect(await store.get('2026-03-13-aaaaaaaa')).toBeUndefined();
  });
});
