// `paperboy group` through main() with captured output.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import type { Explanation } from '../../src/domain/explain-placement.js';

const REPO = resolve('.');
const HF_DAILY = resolve('../shared/data/digests/hf-daily-2024-06-28.json');
const TRENDING = resolve('../shared/data/digests/hf-trending-page-mar-14.txt');

interface GroupOutput {
  date: string;
  topics: { id: string; name: string; papers: { id: string; title: string; also: string[]; why?: Explanation }[] }[];
}
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
  it('--json prints exactly date and topics with ids, names and papers (id, title, also)', async () => {
    const r = await run(['group', 'digest.json', '--json', '--taxonomy', 'topics.json']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(r.stdout)).toEqual({
      date: '2026-03-14',
      topics: [
        { id: 'robots', name: 'Name of robots', papers: [{ id: 'p3', title: 'Robot arms', also: [] }, { id: 'p1', title: 'Robots that grasp', also: [] }] },
        { id: 'other', name: 'Other', papers: [{ id: 'p2', title: 'On the weather', also: [] }] },
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
    const out = JSON.parse(r.stdout) as GroupOutput;
    expect(Object.keys(out)).toEqual(['date', 'topics']);
    expect(out.date).toBe('2024-06-28');
    for (const t of out.topics) {
      expect(Object.keys(t)).toEqual(['id', 'name', 'papers']);
      for (const p of t.papers) {
        expect(Object.keys(p)).toEqual(['id', 'title', 'also']);
        expect(p.also).not.toContain(t.id);
      }
    }
    expect(out.topics.flatMap((t) => t.papers).length).toBe(17);
    // The text listing shows the same secondary topics.
    const text = await run(['group', HF_DAILY], {}, REPO);
    for (const p of out.topics.flatMap((t) => t.papers).filter((x) => x.also.length)) {
      expect(text.stdout).toContain(`${p.title.replace(/\s+/g, ' ').trim()}  [also: ${p.also.join(', ')}]`);
    }
  });

  it('--explain prints under every paper the model\'s fields, the rule that decided and the keyword hits', async () => {
    const r = await run(['group', TRENDING, '--explain'], {}, REPO);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const lines = r.stdout.split('\n');
    const titles = lines.filter((l) => l.startsWith('  - '));
    expect(titles.length).toBe(62);
    expect(lines.filter((l) => /^ {6}model: [a-z-]+ [01]\.\d\d, /.test(l)).length).toBe(62);
    expect(lines.filter((l) => l.startsWith('      why: ')).length).toBe(62);
    // Keyword hits name the phrase and its points.
    expect(r.stdout).toMatch(/^ {8}[A-Z][^:]+: combined \d\.\d\d, keywords \d+\.\d \([^)]+ \d+\.\d/m);
    expect(r.stdout).toMatch(/why: the model gives [a-z-]+ \d\.\d\d \(≥ 0\.3\); the keywords chose among its topics/);
    expect(r.stdout).toMatch(/why: the model's best guess is broad ML \(\d\.\d\d\), so the keywords decided/);
  });

  it('--json --explain adds a "why" per paper with the fields, the decision and the keyword evidence', async () => {
    const r = await run(['group', TRENDING, '--json', '--explain'], {}, REPO);
    expect(r.code).toBe(0);
    const papers = (JSON.parse(r.stdout) as GroupOutput).topics.flatMap((t) => t.papers.map((p) => ({ ...p, section: t.id })));
    expect(papers).toHaveLength(62);
    for (const p of papers) {
      const why = p.why!;
      expect(['category', 'model', 'keywords', 'other']).toContain(why.decision);
      expect(why.fields.length).toBe(3);
      expect(why.fields[0]!.probability).toBeGreaterThanOrEqual(why.fields[1]!.probability);
      if (why.decision === 'model') expect(why.field).toBeDefined();
      if (p.section !== 'other' && !why.movedFrom) expect(why.topics[0]!.topic).toBe(p.section);
    }
    expect(papers.some((p) => p.why!.topics.some((t) => t.hits.length > 0))).toBe(true);
  });

  it('--explain with a taxonomy whose topics name no field says the keywords decided', async () => {
    const r = await run(['group', 'digest.json', '--explain', '--taxonomy', 'topics.json']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Name of robots (2)\n  - Robot arms\n      why: the keywords (no field model, or no topic names a field)\n        Name of robots: keywords 9.0 (robot 9.0)\n');
    expect(r.stdout).toContain("Other (1)\n  - On the weather\n      why: no topic's keywords reach 2\n");
    expect(r.stdout).not.toContain('model:');
  });

  it('names a missing or broken field model file, without a stack trace', async () => {
    await writeFile(join(dir, 'with-model.json'), JSON.stringify({ model: 'nope.json.gz', topics: [{ id: 'a', name: 'A', description: 'About a', keywords: { robot: 1 } }] }));
    const missing = await run(['group', 'digest.json', '--taxonomy', 'with-model.json']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^paperboy: Field model .*nope\.json\.gz does not exist: rebuild it with `npm run train:topics`/);
    await writeFile(join(dir, 'nope.json.gz'), '{"format": "paperboy-field-model/2", "classes": []}');
    const broken = await run(['group', 'digest.json', '--taxonomy', 'with-model.json']);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/Field model .*nope\.json\.gz is not a paperboy field model \(classes: /);
    expect(broken.stderr).not.toMatch(/\n\s+at /);
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
