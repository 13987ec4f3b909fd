// `paperboy fetch`, `paperboy sources` and the sources part of `paperboy status`, through the CLI
// entry (in process), against the replaying source server: output, exit codes, and the messages
// that say why a day has no issue.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { startSourceServer, type SourceServer } from '../helpers/source-server.js';

let dir: string;
let server: SourceServer;
let env: Record<string, string>;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'paperboy-fetch-cli-'));
  await writeFile(join(dir, 'subscribers.json'), JSON.stringify({ subscribers: [] }));
  server = await startSourceServer();
  env = {
    PAPERBOY_DIGESTS_DIR: 'digests',
    PAPERBOY_STATE_DIR: 'state',
    PAPERBOY_SUBSCRIBERS: 'subscribers.json',
    PAPERBOY_SECRET: 'fetch-cli-secret-0123456789',
    PAPERBOY_TZ: 'UTC',
    PAPERBOY_SOURCES: 'hf-daily',
    PAPERBOY_HF_URL: server.url,
    PAPERBOY_ARXIV_FEED_URL: `${server.url}/atom`,
    PAPERBOY_ARXIV_API_URL: `${server.url}/api/query`,
  };
});
afterEach(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

const cli = (args: string[], extra: Record<string, string> = {}) => runCli(args, { env: { ...env, ...extra }, cwd: dir });

describe('paperboy fetch', () => {
  it('writes the day digest and says so; again, it asks nobody', async () => {
    const r = await cli(['fetch', '--date', '2026-08-20']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`Hugging Face: 15 papers for 2026-08-20\nwrote ${join(dir, 'digests', '2026-08-20.json')} (15 papers)\n`);
    expect(JSON.parse(await readFile(join(dir, 'digests', '2026-08-20.json'), 'utf8')).papers).toHaveLength(15);
    const again = await cli(['fetch', '--date', '2026-08-20']);
    expect(again.stdout).toBe('Hugging Face: 15 papers for 2026-08-20 (fetched before; --force fetches again)\n');
    expect(server.requests).toHaveLength(1);
    // The digest is a digest like any other.
    expect((await cli(['validate', 'digests/2026-08-20.json'])).stdout).toMatch(/^ok {3}.*2026-08-20\.json {2}paperboy-json, 2026-08-20, 15 papers/);
  });

  it('exit 1 when a source failed, with the URL and what was wrong; nothing written', async () => {
    server.fail('/api/daily_papers', 'html');
    const r = await cli(['fetch', '--date', '2026-08-20']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^Hugging Face: http:\/\/127\.0\.0\.1:\d+\/api\/daily_papers\?date=2026-08-20&limit=100&p=0: an HTML page came back instead of JSON \(HTTP 200, \d+ bytes\), retrying at \d\d:\d\d\n$/);
    await expect(readFile(join(dir, 'digests', '2026-08-20.json'))).rejects.toThrow(/ENOENT/);
  });

  it('refuses an unknown source, a bad date, and arxiv without categories, saying what to do', async () => {
    expect(await cli(['fetch', 'hugging'])).toMatchObject({ code: 2, stderr: 'paperboy: "hugging" is not a source: use hf-daily, hf-trending, arxiv.\n' });
    expect(await cli(['fetch', '--date', '2026-02-30'])).toMatchObject({ code: 2, stderr: 'paperboy: --date "2026-02-30" is not a date: write it YYYY-MM-DD, like 2026-12-02.\n' });
    expect((await cli(['fetch', 'arxiv'])).stderr).toMatch(/The arxiv source needs its arXiv categories: set PAPERBOY_ARXIV_CATEGORIES/);
    expect((await cli(['fetch'], { PAPERBOY_SOURCES: 'arxiv' })).stderr).toMatch(/fetch\.arxivCategories \(PAPERBOY_ARXIV_CATEGORIES\): is needed for the arxiv source/);
  });
});

describe('paperboy sources / status: why a day has no issue', () => {
  it('shows per day and source the last try, what came back, the next try and the one-line reason', async () => {
    // Today has no Hugging Face list in the recordings: an empty list, "0 papers yet".
    const today = new Date().toISOString().slice(0, 10);
    await cli(['fetch']);
    await cli(['fetch', '--date', '2026-08-20']);
    const s = await cli(['sources', '--days', '400']);
    expect(s.code).toBe(0);
    expect(s.stdout).toContain(`sources: hf-daily\n${today} (today): no issue\n  Hugging Face: 0 papers for ${today} yet, next try `);
    expect(s.stdout).toMatch(/ {4}hf-daily: last try \d\d:\d\d · 1 try · HTTP 200 · 0 papers · 2 bytes · next try \d\d:\d\d · http:\/\/127\.0\.0\.1:\d+\/api\/daily_papers\?date=/);
    expect(s.stdout).toMatch(/2026-08-20: digest .*2026-08-20\.json, not sent yet\n {2}Hugging Face: 15 papers for 2026-08-20\n/);
    expect(s.stdout).toMatch(/next automatic try: \d\d:\d\d\n$/);
    const j = JSON.parse((await cli(['sources', '--json'])).stdout) as { today: string; days: { date: string; lines: string[] }[] };
    expect(j.days[0]).toMatchObject({ date: today, lines: [expect.stringMatching(/^Hugging Face: 0 papers for .* yet, next try/)] });

    const st = await cli(['status']);
    expect(st.stdout).toContain(`No issues sent yet.\n\nsources: hf-daily\n${today} (today): no issue\n  Hugging Face: 0 papers for ${today} yet, next try `);
  });
});
