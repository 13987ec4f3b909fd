// `paperboy group` through main() with captured output.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

const REPO = resolve('.');
const HF_DAILY = resolve('../shared/data/digests/hf-daily-2024-06-28.json');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'paperboy-group-'));
  await writeFile(
    join(dir, 'digest.json'),
    JSON.stringify({
      date: '2026-03-14',
      papers: [
        { id: 'p1', title: 'Robots that grasp', abstract: 'A robot.', upvotes: 1 },
        { id: 'p2', title: 'On the weather', abstract: 'Nothing matches.' },
        { id: 'p3', title: 'Robot arms', abstract: 'Robots.', upvotes: 5 },
      ],
    }),
  );
  const topic = (id: string, kw: string) => ({ id, name: `Name of ${id}`, description: `About ${id}`, keywords: { [kw]: 3 } });
  await writeFile(join(dir, 'topics.json'), JSON.stringify({ topics: [topic('robots', 'robot'), topic('vision', 'image')] }));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const run = (argv: string[], env: Record<string, string> = {}, cwd = dir) => runCli(argv, { env, cwd });

describe('paperboy group', () => {
  it('--json prints exactly date and topics with ids, names and papers (id, title)', async () => {
    const r = await run(['group', 'digest.json', '--json', '--taxonomy', 'topics.json']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(r.stdout)).toEqual({
      date: '2026-03-14',
      topics: [
        { id: 'robots', name: 'Name of robots', papers: [{ id: 'p3', title: 'Robot arms' }, { id: 'p1', title: 'Robots that grasp' }] },
        { id: 'other', name: 'Other', papers: [{ id: 'p2', title: 'On the weather' }] },
      ],
    });
  });

  it('prints a readable listing without --json, taxonomy from PAPERBOY_TAXONOMY', async () => {
    const r = await run(['group', 'digest.json'], { PAPERBOY_TAXONOMY: 'topics.json' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('2026-03-14: 3 papers in 2 topics');
    expect(r.stdout).toContain('Name of robots (2)\n  - Robot arms\n  - Robots that grasp\n');
    expect(r.stdout).toContain('Other (1)\n  - On the weather\n');
  });

  it('uses <templatesDir>/topics.json by default (the shipped taxonomy) on a real digest', async () => {
    const r = await run(['group', HF_DAILY, '--json'], {}, REPO);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { date: string; topics: { id: string; name: string; papers: { id: string; title: string }[] }[] };
    expect(Object.keys(out)).toEqual(['date', 'topics']);
    expect(out.date).toBe('2024-06-28');
    for (const t of out.topics) {
      expect(Object.keys(t)).toEqual(['id', 'name', 'papers']);
      for (const p of t.papers) expect(Object.keys(p)).toEqual(['id', 'title']);
    }
    expect(out.topics.flatMap((t) => t.papers).length).toBe(17);
  });

  it('reports a missing digest or a bad taxonomy without a stack trace', async () => {
    const missing = await run(['group', 'nope.json', '--taxonomy', 'topics.json']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^paperboy: .*nope\.json: no such digest file/);
    const bad = await run(['group', 'digest.json', '--taxonomy', 'digest.json']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/Taxonomy file .*digest\.json is invalid/);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });
});
