import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIG_FILE_BYTES, FileSubscriberStore } from '../../src/adapters/subscriber-store.js';
import { SubscribersFileSchema, type Subscriber } from '../../src/domain/subscriber.js';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'paperboy-store-'));
  file = join(dir, 'subscribers.json');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const sub = (email: string, extra: Partial<Subscriber> = {}): Subscriber => ({
  email,
  topics: [],
  status: 'active',
  createdAt: '2026-01-01T00:00:00.000Z',
  hardBounces: 0,
  consent: {},
  tokenVersion: 0,
  ...extra,
});

/** A list well over BIG_FILE_BYTES, with names V8 cannot keep as one-byte strings. */
const bigList = (n: number) => Array.from({ length: n }, (_, i) => sub(`r${i}@example.org`, { name: `Seán "${i}" Ó'Brien, [📬]`, topics: ['vision', 'audio'] }));

describe('FileSubscriberStore', () => {
  it('reads a large list (parsed entry by entry) exactly as JSON.parse and the schema would', async () => {
    const subscribers = bigList(3_000);
    const text = JSON.stringify({ version: 1, subscribers }, null, 2);
    expect(Buffer.byteLength(text)).toBeGreaterThan(BIG_FILE_BYTES);
    await writeFile(file, text);
    expect(await new FileSubscriberStore(file).list()).toEqual(SubscribersFileSchema.parse(JSON.parse(text)).subscribers);
  });

  it('reads a missing file as empty and creates it (and its folder) on the first change', async () => {
    const store = new FileSubscriberStore(join(dir, 'nested', 'subs.json'));
    expect(await store.list()).toEqual([]);
    await store.update((subs) => void subs.push(sub('ann@example.org')));
    const text = await readFile(join(dir, 'nested', 'subs.json'), 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    expect(text).toContain('\n  "subscribers": [\n    {\n      "email": "ann@example.org",');
    expect(SubscribersFileSchema.parse(JSON.parse(text)).subscribers).toEqual([sub('ann@example.org')]);
  });

  const corrupt: [string, string, RegExp][] = [
    ['bad JSON', '{\n  "subscribers": [\n    { "email": "ann@example.org", }\n  ]\n}\n', /is not valid JSON \(line 3, column \d+\)/],
    [
      'a schema error',
      JSON.stringify({ subscribers: [sub('ann@example.org'), { ...sub('bob@example.org'), status: 'subscribed' }] }, null, 2),
      /subscribers\[1\] \(bob@example\.org\), field "status"/,
    ],
    [
      'a duplicate address',
      JSON.stringify({ subscribers: [sub('ann@example.org'), sub('Ann@Example.org')] }, null, 2),
      /subscribers\[1\] \(ann@example\.org\), field "email": same address as subscribers\[0\]/,
    ],
    // Large files are parsed entry by entry (json-big-array.ts); their errors must read the same.
    [
      'a trailing comma in a large file',
      JSON.stringify({ subscribers: bigList(2_000) }, null, 2).replace(/\}\n  \]\n\}$/, '},\n  ]\n}\n'),
      /is not valid JSON \(line 26003, column 3\), in subscribers\[2000\]: an empty entry \(a comma too many\?\)/,
    ],
    [
      'a missing comma in a large file',
      JSON.stringify({ subscribers: bigList(2_000) }, null, 2).replace('"email": "r1500@example.org",', '"email": "r1500@example.org" "x": 1,'),
      /is not valid JSON \(line 19504, column 36\), in subscribers\[1500\]: Expected ',' or '}' after property value\./,
    ],
    [
      'a schema error in a large file',
      JSON.stringify({ subscribers: bigList(2_000).map((s, i) => (i === 1_500 ? { ...s, topics: 'vision' } : s)) }),
      /subscribers\[1500\] \(r1500@example\.org\), field "topics"/,
    ],
  ];
  for (const [what, content, message] of corrupt) {
    it(`refuses a file with ${what}, names the problem and leaves the file byte-for-byte untouched`, async () => {
      await writeFile(file, content);
      const before = await readFile(file);
      const store = new FileSubscriberStore(file);
      await expect(store.list()).rejects.toMatchObject({ code: 'SUBSCRIBERS_INVALID' });
      const err = await store.update((subs) => void subs.push(sub('new@example.org'))).catch((e: Error) => e);
      expect(err).toMatchObject({ code: 'SUBSCRIBERS_INVALID' });
      expect((err as Error).message).toContain(file);
      expect((err as Error).message).toMatch(message);
      expect((await readFile(file)).equals(before)).toBe(true);
      // The lock was released and no temp file was left beside it.
      expect(await readdir(dir)).toEqual(['subscribers.json']);
    });
  }

  it('refuses an update that would write an invalid list, leaving the file as it was', async () => {
    const store = new FileSubscriberStore(file);
    await store.update((subs) => void subs.push(sub('ann@example.org')));
    const before = await readFile(file);
    await expect(store.update((subs) => void subs.push(sub('ann@example.org')))).rejects.toMatchObject({ code: 'SUBSCRIBERS_INVALID' });
    expect((await readFile(file)).equals(before)).toBe(true);
  });

  it('keeps a hand edit made between two updates, including unknown keys', async () => {
    const store = new FileSubscriberStore(file);
    await store.update((subs) => void subs.push(sub('ann@example.org')));
    const edited = JSON.parse(await readFile(file, 'utf8'));
    edited.subscribers[0].name = 'Ann (edited by hand)';
    edited.subscribers.push({ email: 'Hand@Example.org', status: 'active', createdAt: '2026-02-01T00:00:00Z', note: 'met at a conference' });
    await writeFile(file, JSON.stringify(edited));
    await store.update((subs) => void subs.push(sub('bob@example.org')));
    const after = JSON.parse(await readFile(file, 'utf8')).subscribers;
    expect(after.map((s: Subscriber) => s.email)).toEqual(['ann@example.org', 'hand@example.org', 'bob@example.org']);
    expect(after[0].name).toBe('Ann (edited by hand)');
    expect(after[1].note).toBe('met at a conference');
  });

  it('does not rewrite the file when an update changes nothing', async () => {
    await writeFile(file, JSON.stringify({ subscribers: [sub('ann@example.org')] }));
    const before = await readFile(file);
    const store = new FileSubscriberStore(file);
    expect(await store.update((subs) => subs.length)).toBe(1);
    expect((await readFile(file)).equals(before)).toBe(true);
  });

  it('lands 40 concurrent updates from 4 processes, and the file stays valid JSON', async () => {
    await writeFile(file, JSON.stringify({ subscribers: [sub('counter@example.org')] }, null, 2));
    const workers = [1, 2, 3, 4].map(
      (w) =>
        new Promise<{ code: number | null; stderr: string }>((done) => {
          const child = spawn(process.execPath, ['bin/run-ts.js', 'test/helpers/subscriber-store-worker.ts', file, String(w), '10'], { cwd: ROOT });
          let stderr = '';
          child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
          child.on('close', (code) => done({ code, stderr }));
        }),
    );
    const results = await Promise.all(workers);
    expect(results).toEqual(results.map(() => ({ code: 0, stderr: '' })));

    const subs = SubscribersFileSchema.parse(JSON.parse(await readFile(file, 'utf8'))).subscribers;
    expect(subs).toHaveLength(41);
    const expected = [1, 2, 3, 4].flatMap((w) => Array.from({ length: 10 }, (_, i) => `w${w}-${i}@example.org`));
    expect(subs.map((s) => s.email).slice(1).sort()).toEqual(expected.sort());
    expect(subs[0]!.tokenVersion).toBe(40);
    expect(existsSync(`${file}.lock`)).toBe(false);
  });
});
