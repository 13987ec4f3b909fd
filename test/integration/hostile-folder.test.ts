// The hostile digests (a 1 MB word, the billion laughs, XXE, parameter and oversized entities, deep
// nesting, a 10 MB abstract) in the digests folder beside a good one, met the three ways a folder is
// sent: `paperboy start` (its start-up check, then cron ticks), `POST /admin/send` and `paperboy send`
// without a file. Each way the good digest goes out and each bad file is reported once, by name.
import { copyFile, mkdir, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostileDigests } from '../helpers/hostile-digests.js';
import { REPO_ROOT, startPaperboy, type LogEvent, type PaperboyProcess } from '../helpers/paperboy-process.js';
import { runCli } from '../helpers/run-cli.js';

const SAMPLE = resolve(REPO_ROOT, 'docs/examples/sample-digest.json');
const SECOND = resolve(REPO_ROOT, '../shared/data/digests/hf-daily-2024-06-28.json');
const ADMIN_TOKEN = 'hostile-folder-admin-token-0123456789';
const HOSTILE = hostileDigests();

let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'paperboy-hostile-folder-'));
  env = {
    PAPERBOY_DIGESTS_DIR: join(dir, 'digests'),
    PAPERBOY_MAX_DIGEST_AGE_DAYS: '0',
    PAPERBOY_SUBSCRIBERS: join(dir, 'subscribers.json'),
    PAPERBOY_STATE_DIR: join(dir, 'state'),
    PAPERBOY_TEMPLATES_DIR: resolve(REPO_ROOT, 'templates'),
    PAPERBOY_SECRET: 'hostile-folder-secret-0123456789',
    PAPERBOY_BASE_URL: 'https://papers.example.org',
    PAPERBOY_ADMIN_TOKEN: ADMIN_TOKEN,
    PAPERBOY_PORT: '0',
    PAPERBOY_LOG_FORMAT: 'json',
  };
  await mkdir(join(dir, 'digests'));
  for (const h of HOSTILE) await writeFile(join(dir, 'digests', h.name), h.text);
  for (const email of ['ann@example.org', 'bob@example.org']) {
    expect((await runCli(['subscribers', 'add', email], { env, cwd: dir })).code).toBe(0);
  }
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const outbox = async () => (await readdir(join(dir, 'state/outbox')).catch(() => [] as string[])).filter((f) => f.endsWith('.eml'));

describe('a digests folder with hostile files beside good ones', () => {
  it('paperboy start sends the good digest and reports each bad file once; POST /admin/send says the same', { timeout: 120_000 }, async () => {
    await copyFile(SAMPLE, join(dir, 'digests', '2026-03-14.json'));
    const pb: PaperboyProcess = startPaperboy(['start', '--schedule', '* * * * * *'], env, dir);
    try {
      const web = await pb.waitFor((e) => e.event === 'web.started', 'the web app');
      const sent = await pb.waitFor((e) => e.event === 'digest.send' && basename(String(e.file)) === '2026-03-14.json', 'the good digest was sent');
      expect(sent).toMatchObject({ reason: 'startup', outcome: 'completed', sent: 2, failed: 0 });

      // Later ticks pass over the bad files (a second good digest still goes out on one).
      await copyFile(SECOND, join(dir, 'digests', '.second.part'));
      await rename(join(dir, 'digests', '.second.part'), join(dir, 'digests', 'hf-daily-2024-06-28.json'));
      const second = await pb.waitFor((e) => e.event === 'digest.send' && basename(String(e.file)) === 'hf-daily-2024-06-28.json', 'the second digest was sent');
      expect(second).toMatchObject({ reason: 'schedule', outcome: 'completed', failed: 0 });

      const invalid = (name: string) => pb.events.filter((e: LogEvent) => e.event === 'digest.invalid' && basename(String(e.file)) === name);
      for (const h of HOSTILE) {
        expect(invalid(h.name), h.name).toHaveLength(1);
        expect(String(invalid(h.name)[0]!.error), h.name).toMatch(h.says);
        expect(String(invalid(h.name)[0]!.error), h.name).toContain(join(dir, 'digests', h.name));
      }
      expect(pb.events.filter((e) => e.event === 'pending.failed')).toEqual([]);

      // The admin API runs the same check: the bad files, named with their reasons; nothing resent.
      const r = await fetch(`${String(web.url)}/admin/send`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      expect(r.status).toBe(200);
      const body = (await r.json()) as { result: { results: { file: string; outcome: string; message?: string }[] } };
      const byName = new Map(body.result.results.map((x) => [basename(x.file), x]));
      expect(byName.get('2026-03-14.json')?.outcome).toBe('done');
      for (const h of HOSTILE) {
        expect(byName.get(h.name)?.outcome, h.name).toBe('invalid');
        expect(byName.get(h.name)?.message, h.name).toMatch(h.says);
      }

      expect(await pb.stop('SIGTERM')).toBe(0);
      expect(pb.otherOutput()).toBe('');
    } finally {
      await pb.stop('SIGKILL');
    }
  });

  it('paperboy send without a file sends a new good digest and names each bad file once', { timeout: 60_000 }, async () => {
    const before = (await outbox()).length;
    await writeFile(join(dir, 'digests', '2026-03-16.json'), JSON.stringify({ date: '2026-03-16', papers: [{ id: '2603.16001', title: 'Robot grasping with tactile sensing', abstract: 'A new gripper.' }] }));
    const r = await runCli(['send'], { env: { ...env, PAPERBOY_LOG_FORMAT: 'pretty' }, cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/2026-03-16\.json\)\n[\s\S]*sent 2 · failed 0/);
    for (const h of HOSTILE) {
      const lines = r.stdout.split('\n').filter((l) => l.includes(`${h.name}: invalid`));
      expect(lines, h.name).toHaveLength(1);
      expect(lines[0], h.name).toMatch(h.says);
    }
    expect(r.stdout + r.stderr).not.toMatch(/\n\s+at /);
    expect((await outbox()).length).toBe(before + 2);
  });
});
