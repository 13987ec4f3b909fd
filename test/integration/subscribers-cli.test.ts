// `paperboy subscribers ...` through main() with captured output, in a temp folder with its own
// SQLite database.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { SubscriberSchema, type Subscriber } from '../../src/domain/subscriber.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'paperboy-cli-subs-'));
  const topic = (id: string) => ({ id, name: id, description: `About ${id}`, keywords: { [id.replace('-', ' ')]: 1 } });
  await writeFile(join(dir, 'topics.json'), JSON.stringify({ topics: ['language-models', 'vision', 'robotics'].map(topic) }));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const run = (...argv: string[]) => runCli(argv, { env: { PAPERBOY_STATE_DIR: 'state', PAPERBOY_TAXONOMY: 'topics.json' }, cwd: dir });

/** What the database holds, as `subscribers export` writes it. */
async function stored(): Promise<Subscriber[]> {
  const out = await run('subscribers', 'export');
  expect(out.code).toBe(0);
  return (JSON.parse(out.stdout) as { subscribers: unknown[] }).subscribers.map((s) => SubscriberSchema.parse(s));
}

describe('paperboy subscribers', () => {
  it('adds, lists, filters, updates and removes', async () => {
    expect(await run('subscribers', 'add', 'Ann@Example.org', '--name', 'Ann', '--topics', 'vision,robotics')).toMatchObject({
      code: 0,
      stdout: 'Added ann@example.org (active, topics: vision,robotics).\n',
    });
    expect((await run('subscribers', 'add', 'bob@example.org')).code).toBe(0);
    expect((await run('subscribers', 'add', 'ann@example.org', '--name', 'Ann', '--topics', 'robotics, vision')).stdout).toMatch(/nothing changed/);
    expect((await run('subscribers', 'add', 'bob@example.org', '--topics', 'vision')).stdout).toBe('Updated bob@example.org: topics all → vision.\n');

    const list = await run('subscribers', 'list');
    expect(list.stdout).toMatch(/^EMAIL +STATUS +TOPICS +SINCE +NAME\nann@example\.org +active +robotics,vision +\d{4}-\d\d-\d\d +Ann\n/);
    expect(list.stdout).toMatch(/2 subscribers \(2 active\)\n$/);

    expect(await run('subscribers', 'remove', 'BOB@example.org')).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Unsubscribed bob@example\.org/) });
    const bob = (await stored()).find((s) => s.email === 'bob@example.org');
    expect(bob).toMatchObject({ status: 'unsubscribed', consent: { method: 'admin' } });

    const json = JSON.parse((await run('subscribers', 'list', '--json', '--status', 'unsubscribed')).stdout);
    expect(json.map((s: Subscriber) => s.email)).toEqual(['bob@example.org']);

    expect((await run('subscribers', 'remove', 'bob@example.org', '--purge')).stdout).toMatch(/^Deleted bob@example\.org, its consent record and its delivery history/);
    expect((await stored()).map((s) => s.email)).toEqual(['ann@example.org']);
  });

  it('refuses bad input with a message and a non-zero exit', async () => {
    expect(await run('subscribers', 'add', 'not-an-address')).toMatchObject({ code: 2, stderr: 'paperboy: "not-an-address" is not a valid email address.\n' });
    const badTopic = await run('subscribers', 'add', 'ann@example.org', '--topics', 'vision,visoin');
    expect(badTopic.code).toBe(2);
    expect(badTopic.stderr).toMatch(/--topics: unknown topic "visoin"; known topics: language-models, vision, robotics, other/);
    const missing = await run('subscribers', 'remove', 'nobody@example.org');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('paperboy: No subscriber with address nobody@example.org.\n');
    expect((await run('subscribers', 'list', '--status', 'gone')).code).toBe(2);
  });

  it('exports JSON that an import into another database restores exactly, and CSV that never re-subscribes anyone', async () => {
    await run('subscribers', 'add', 'ann@example.org', '--name', 'Ann "the" Lee, PhD', '--topics', 'vision');
    await run('subscribers', 'add', 'gone@example.org');
    await run('subscribers', 'remove', 'gone@example.org');
    const json = await run('subscribers', 'export');
    await writeFile(join(dir, 'backup.json'), json.stdout);
    const csv = await run('subscribers', 'export', '--format', 'csv');
    expect(csv.stdout.split('\r\n')[0]).toBe('email,name,topics,status,created_at,confirmed_at,unsubscribed_at');
    expect(csv.stdout).toContain('ann@example.org,"Ann ""the"" Lee, PhD",vision,active,');
    await writeFile(join(dir, 'list.csv'), csv.stdout);

    const other = (...argv: string[]) => runCli(argv, { env: { PAPERBOY_STATE_DIR: 'state2', PAPERBOY_TAXONOMY: 'topics.json' }, cwd: dir });
    expect((await other('subscribers', 'import', 'backup.json')).stdout).toContain('0 added, 2 restored, 0 updated, 0 skipped');
    expect((await other('subscribers', 'export')).stdout).toBe(json.stdout);

    const third = (...argv: string[]) => runCli(argv, { env: { PAPERBOY_STATE_DIR: 'state3', PAPERBOY_TAXONOMY: 'topics.json' }, cwd: dir });
    const out = await third('subscribers', 'import', 'list.csv');
    expect(out.stdout).toContain('1 added, 0 updated, 1 skipped');
    expect(out.stdout).toContain('gone@example.org: status unsubscribed in the file');
  });

  it('imports CSV: added, updated and skipped with reasons', async () => {
    await run('subscribers', 'add', 'gone@example.org');
    await run('subscribers', 'remove', 'gone@example.org');
    await run('subscribers', 'add', 'ann@example.org', '--name', 'Ann');
    await writeFile(
      join(dir, 'people.csv'),
      'email,name,topics\nann@example.org,Ann Lee,\nnew@example.org,New,"vision;language-models"\ngone@example.org,Gone,\nNEW@example.org,Again,\n',
    );
    const out = await run('subscribers', 'import', 'people.csv');
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('1 added, 1 updated, 2 skipped');
    expect(out.stdout).toContain('updated  line 2  ann@example.org: name "Ann" → "Ann Lee"');
    expect(out.stdout).toMatch(/skipped {2}line 4 {2}gone@example\.org: unsubscribed on \d{4}-\d\d-\d\d; an import never re-subscribes/);
    expect(out.stdout).toContain('skipped  line 5  new@example.org: same address as line 3');
    const subs = await stored();
    expect(subs.find((s) => s.email === 'new@example.org')).toMatchObject({ status: 'active', topics: ['language-models', 'vision'], consent: { method: 'import' } });
    expect(subs.find((s) => s.email === 'gone@example.org')?.status).toBe('unsubscribed');

    // Running it again changes nothing.
    expect((await run('subscribers', 'import', 'people.csv')).stdout).toContain('0 added, 0 updated, 4 skipped');
  });

  it('imports JSON and refuses a file with bad rows without changing anything', async () => {
    await writeFile(join(dir, 'list.json'), JSON.stringify([{ email: 'a@example.org', topics: ['robotics'] }, 'b@example.org']));
    expect((await run('subscribers', 'import', 'list.json')).stdout).toContain('2 added, 0 updated, 0 skipped');
    const before = await stored();

    await writeFile(join(dir, 'bad.json'), JSON.stringify([{ email: 'c@example.org' }, { email: 'broken' }, { email: 'd@example.org', topics: ['cooking'] }]));
    const bad = await run('subscribers', 'import', 'bad.json');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('bad.json: 2 invalid rows; nothing was imported');
    expect(bad.stderr).toContain('entry [1]: "broken" is not a valid email address');
    expect(bad.stderr).toContain('entry [2]: topics: unknown topic "cooking"');
    expect(await stored()).toEqual(before);
  });
});
