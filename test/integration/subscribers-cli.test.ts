// `paperboy subscribers ...` through main() with captured output, in a temp folder.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { SubscribersFileSchema, type Subscriber } from '../../src/domain/subscriber.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'paperboy-cli-subs-'));
  const topic = (id: string) => ({ id, name: id, description: `About ${id}`, keywords: { [id.replace('-', ' ')]: 1 } });
  await writeFile(join(dir, 'topics.json'), JSON.stringify({ topics: ['language-models', 'vision', 'robotics'].map(topic) }));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const run = (...argv: string[]) => runCli(argv, { env: { PAPERBOY_SUBSCRIBERS: 'data/subscribers.json', PAPERBOY_TAXONOMY: 'topics.json' }, cwd: dir });

async function stored(): Promise<Subscriber[]> {
  return SubscribersFileSchema.parse(JSON.parse(await readFile(join(dir, 'data/subscribers.json'), 'utf8'))).subscribers;
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
    expect(list.stdout).toMatch(/^EMAIL +STATUS +TOPICS +SINCE +NAME\nann@example\.org +active +vision,robotics +\d{4}-\d\d-\d\d +Ann\n/);
    expect(list.stdout).toMatch(/2 subscribers \(2 active\)\n$/);

    expect(await run('subscribers', 'remove', 'BOB@example.org')).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Unsubscribed bob@example\.org/) });
    const bob = (await stored()).find((s) => s.email === 'bob@example.org');
    expect(bob).toMatchObject({ status: 'unsubscribed', consent: { method: 'admin' } });

    const json = JSON.parse((await run('subscribers', 'list', '--json', '--status', 'unsubscribed')).stdout);
    expect(json.map((s: Subscriber) => s.email)).toEqual(['bob@example.org']);

    expect((await run('subscribers', 'remove', 'bob@example.org', '--purge')).stdout).toMatch(/^Deleted bob@example\.org/);
    expect((await stored()).map((s) => s.email)).toEqual(['ann@example.org']);
  });

  it('refuses bad input with a message and a non-zero exit', async () => {
    expect(await run('subscribers', 'add', 'not-an-address')).toMatchObject({ code: 2, stderr: 'paperboy: "not-an-address" is not a valid email address.\n' });
    const badTopic = await run('subscribers', 'add', 'ann@example.org', '--topics', 'vision,visoin');
    expect(badTopic.code).toBe(2);
    expect(badTopic.stderr).toMatch(/--topics: unknown topic "visoin"; known topics: language-models, vision, robotics, other/);
    const missing = await run('subscribers', 'remove', 'nobody@example.org');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`No subscriber with address nobody@example.org in ${join(dir, 'data/subscribers.json')}.`);
    expect((await run('subscribers', 'list', '--status', 'gone')).code).toBe(2);
  });

  it('refuses to touch a corrupt subscribers file', async () => {
    await run('subscribers', 'add', 'ann@example.org');
    const path = join(dir, 'data/subscribers.json');
    const broken = (await readFile(path, 'utf8')).replace('"active"', '"actve"');
    await writeFile(path, broken);
    const out = await run('subscribers', 'add', 'bob@example.org');
    expect(out.code).toBe(1);
    expect(out.stderr).toMatch(/subscribers\[0\] \(ann@example\.org\), field "status"/);
    expect(await readFile(path, 'utf8')).toBe(broken);
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
    expect(subs.find((s) => s.email === 'new@example.org')).toMatchObject({ status: 'active', topics: ['vision', 'language-models'], consent: { method: 'import' } });
    expect(subs.find((s) => s.email === 'gone@example.org')?.status).toBe('unsubscribed');

    // Running it again changes nothing.
    expect((await run('subscribers', 'import', 'people.csv')).stdout).toContain('0 added, 0 updated, 4 skipped');
  });

  it('imports JSON and refuses a file with bad rows without changing anything', async () => {
    await writeFile(join(dir, 'list.json'), JSON.stringify([{ email: 'a@example.org', topics: ['robotics'] }, 'b@example.org']));
    expect((await run('subscribers', 'import', 'list.json')).stdout).toContain('2 added, 0 updated, 0 skipped');
    const before = await readFile(join(dir, 'data/subscribers.json'), 'utf8');

    await writeFile(join(dir, 'bad.json'), JSON.stringify([{ email: 'c@example.org' }, { email: 'broken' }, { email: 'd@example.org', topics: ['cooking'] }]));
    const bad = await run('subscribers', 'import', 'bad.json');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('bad.json: 2 invalid rows; nothing was imported');
    expect(bad.stderr).toContain('entry [1]: "broken" is not a valid email address');
    expect(bad.stderr).toContain('entry [2]: topics: unknown topic "cooking"');
    expect(await readFile(join(dir, 'data/subscribers.json'), 'utf8')).toBe(before);
  });
});
