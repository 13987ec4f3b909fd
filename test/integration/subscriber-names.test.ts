// One rule for names wherever they come in — `subscribers add --name`, CSV and JSON import, the
// stored list, the sign-up and preferences forms — and `subscribers list` escaping whatever
// control characters the stored list holds elsewhere (a hand-edited topic, a date).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { subscriberLinks } from '../../src/domain/links.js';
import { BASE_URL, SECRET, postForm, subscriber, webFixture } from '../helpers/web-fixture.js';
import { runCli } from '../helpers/run-cli.js';

/** Terminal attacks: retitle the window and ring, clear the screen, forge a line, reverse text (C1 CSI too). */
const HOSTILE_NAMES = ['Eve\u001b]0;pwned\u0007', 'Eve\u001b[2J', 'Eve\r\nok   mallory@example.org', 'Eve\u009b2J', 'Eve\u202etxt.exe'];

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'paperboy-names-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const run = (...argv: string[]) => runCli(argv, { env: { PAPERBOY_SUBSCRIBERS: 'subscribers.json' }, cwd: dir });
/** The database's records, as `subscribers export` writes them. */
const storedText = async () => (await run('subscribers', 'export')).stdout;

describe('names from the CLI and imports', () => {
  it('subscribers add --name refuses control characters, naming the flag and the character; nothing is stored', async () => {
    for (const name of HOSTILE_NAMES) {
      const r = await run('subscribers', 'add', 'eve@example.org', '--name', name);
      expect(r.code, JSON.stringify(name)).toBe(2);
      expect(r.stderr, JSON.stringify(name)).toMatch(/^paperboy: --name contains .+ \(U\+[0-9A-F]{4}\) at character 4; names cannot hold control characters\.\n$/);
    }
    expect(await storedText()).not.toContain('eve@');
    expect((await run('subscribers', 'add', 'eve@example.org', '--name', 'Eve Zoë')).code).toBe(0);
  });

  it('CSV and JSON imports refuse such names row by row, and import nothing', async () => {
    await writeFile(join(dir, 'people.csv'), `email,name\nann@example.org,Ann\nbob@example.org,"Bob\nSmith"\ncat@example.org,Cat\u0007\n`);
    const csv = await run('subscribers', 'import', 'people.csv');
    expect(csv.code).toBe(2);
    expect(csv.stderr).toContain('people.csv: 2 invalid rows; nothing was imported.');
    // csv-parse counts a quoted record by the line it ends on.
    expect(csv.stderr).toMatch(/line 4: name contains a line break \(U\+000A\) at character 4/);
    expect(csv.stderr).toMatch(/line 5: name contains BEL \(U\+0007\) at character 4/);
    await writeFile(join(dir, 'people.json'), JSON.stringify([{ email: 'dan@example.org', name: 'Dan\u001b[2J' }]));
    const json = await run('subscribers', 'import', 'people.json');
    expect(json.code).toBe(2);
    expect(json.stderr).toMatch(/entry \[0\]: name contains ESC \(U\+001B\) at character 4/);
    expect(await storedText()).toBe('{\n  "subscribers": []\n}\n');
  });

  it('a subscribers file from before the database with such a name is refused at its import, naming the entry', async () => {
    await writeFile(join(dir, 'subscribers.json'), JSON.stringify({ subscribers: [{ email: 'eve@example.org', name: 'Eve\u001b]0;x\u0007', status: 'active', createdAt: '2026-01-01T00:00:00.000Z' }] }));
    const r = await run('subscribers', 'list');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/Cannot import the subscribers file into the database: \S+subscribers\.json: 1 invalid row; nothing was imported\.[^]*subscribers\[0\]: name: contains ESC \(U\+001B\) at character 4/);
    expect(r.stdout).toBe('');
  });

  it('subscribers list prints control characters from any stored field escaped, in the table and in --json', async () => {
    const topic = 'vision\u001b]0;pwned\u0007\u009b2J';
    await writeFile(join(dir, 'subscribers.json'), JSON.stringify({ subscribers: [{ email: 'eve@example.org', topics: [topic], status: 'active', createdAt: '2026\u001b[2J-01-01' }] }));
    const table = await run('subscribers', 'list');
    expect(table.code).toBe(0);
    expect(table.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(table.stdout).toContain('vision\\x1b]0;pwned\\x07\\x9b2J');
    expect(table.stdout).toContain('2026\\x1b[2J');
    const json = await run('subscribers', 'list', '--json');
    expect(json.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect((JSON.parse(json.stdout) as { topics: string[] }[])[0]?.topics).toEqual([topic]);
  });
});

describe('names from the web forms', () => {
  it('the sign-up and preferences forms refuse control characters in names and store nothing', async () => {
    const f = await webFixture({ subscribers: [subscriber({ email: 'ada@example.org', status: 'active', name: 'Ada' })] });
    for (const name of HOSTILE_NAMES) {
      const r = await f.request('/subscribe', postForm({ email: 'eve@example.org', name }));
      expect(r.status, JSON.stringify(name)).toBe(400);
      expect(await r.text()).toContain('The name contains characters that cannot be used');
    }
    const prefs = new URL(subscriberLinks(BASE_URL, SECRET, (await f.list())[0]!).preferencesUrl).pathname;
    const p = await f.request(prefs, postForm({ name: 'Ada\u001b[2J' }));
    expect(p.status).toBe(400);
    expect((await f.list()).map((s) => [s.email, s.name])).toEqual([['ada@example.org', 'Ada']]);
    expect(await f.mails()).toEqual([]);
  });
});
