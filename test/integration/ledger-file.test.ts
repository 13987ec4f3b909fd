// The file ledger: replay, torn lines after a crash, group commit, and the per-issue send lock.
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, open, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FileLedger } from '../../src/adapters/ledger.js';
import type { LedgerEvent } from '../../src/domain/ledger-state.js';
import { PaperboyError } from '../../src/errors.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'paperboy-ledger-'));
});
afterEach(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

const ID = '2026-03-14-abcdef12';
const ev = (email: string, event: LedgerEvent['event']): LedgerEvent => ({ at: '2026-03-14T07:00:00.000Z', email, event });
const line = (e: LedgerEvent) => JSON.stringify(e) + '\n';

describe('FileLedger', () => {
  it('replays its file and cuts a torn last line so later entries stay readable', async () => {
    const path = join(dir, `${ID}.jsonl`);
    await writeFile(path, line(ev('a@x.org', 'sending')) + line(ev('a@x.org', 'sent')) + line(ev('b@x.org', 'sending')).slice(0, 25));
    const ledger = new FileLedger(dir);
    const open1 = await ledger.open(ID);
    expect([...open1.state().keys()]).toEqual(['a@x.org']);
    await open1.append(ev('b@x.org', 'sending'));
    await open1.append(ev('b@x.org', 'sent'));
    await open1.close();
    const text = await readFile(path, 'utf8');
    expect(text.split('\n').filter(Boolean)).toHaveLength(4);
    const state = await ledger.read(ID);
    expect(state.get('b@x.org')?.state).toBe('sent');
  });

  it('refuses a damaged line in the middle, naming file and line', async () => {
    await writeFile(join(dir, `${ID}.jsonl`), line(ev('a@x.org', 'sending')) + 'garbage\n' + line(ev('a@x.org', 'sent')));
    const err = await new FileLedger(dir).read(ID).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PaperboyError);
    expect((err as PaperboyError).code).toBe('LEDGER_INVALID');
    expect((err as PaperboyError).message).toContain(`${ID}.jsonl line 2`);
  });

  it('refuses an impossible transition in the file (sent → sending)', async () => {
    await writeFile(join(dir, `${ID}.jsonl`), line(ev('a@x.org', 'sending')) + line(ev('a@x.org', 'sent')) + line(ev('a@x.org', 'sending')));
    await expect(new FileLedger(dir).read(ID)).rejects.toThrow(/line 3: a@x\.org: cannot go from sent to sending/);
  });

  it('groups concurrent appends into few fsyncs, and every append is on disk when it resolves', async () => {
    const ledger = new FileLedger(dir);
    const l = await ledger.open(ID);
    const probe = await open(join(dir, 'probe'), 'w');
    const proto = Object.getPrototypeOf(probe) as { datasync: () => Promise<void> };
    await probe.close();
    const spy = vi.spyOn(proto, 'datasync');
    await Promise.all(Array.from({ length: 200 }, (_, i) => l.append(ev(`u${i}@x.org`, 'sending'))));
    expect(spy.mock.calls.length).toBeGreaterThan(0);
    expect(spy.mock.calls.length).toBeLessThan(20);
    expect((await ledger.read(ID)).size).toBe(200);
    await l.close();
  });

  it('lets one process at a time open an issue and says who holds it', async () => {
    const a = new FileLedger(dir);
    const held = await a.open(ID);
    const err = await new FileLedger(dir).open(ID).catch((e: unknown) => e);
    expect((err as PaperboyError).code).toBe('SEND_IN_PROGRESS');
    expect((err as PaperboyError).message).toMatch(new RegExp(`^A send of issue ${ID} is in progress \\(pid ${process.pid}, since `));
    expect(await a.inProgress(ID)).toBe(true);
    await held.close();
    expect(await a.inProgress(ID)).toBe(false);
    const again = await new FileLedger(dir).open(ID);
    await again.close();
  });

  it('takes over at once a lock left by a process that died', async () => {
    const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(child.stdout);
    const path = join(dir, `${ID}.jsonl`);
    await writeFile(path, '');
    await mkdir(`${path}.lock`);
    const old = new Date(Date.now() - 3000);
    await utimes(`${path}.lock`, old, old);
    await writeFile(`${path}.owner`, JSON.stringify({ pid: deadPid, host: hostname(), since: old.toISOString() }));
    const ledger = new FileLedger(dir);
    expect(await ledger.inProgress(ID)).toBe(false);
    const l = await ledger.open(ID);
    await l.close();
  });

  it('keeps test sends in their own file, one record per test message', async () => {
    const ledger = new FileLedger(dir);
    const t = await ledger.open(ID, { test: true });
    for (const id of ['<t1@x>', '<t2@x>']) {
      await t.append({ ...ev('me@x.org', 'sending'), messageId: id });
      await t.append({ ...ev('me@x.org', 'sent'), messageId: id });
    }
    await t.close();
    expect((await ledger.read(ID, { test: true })).size).toBe(2);
    expect((await ledger.read(ID)).size).toBe(0);
  });

  it('stores and lists issue metadata', async () => {
    const ledger = new FileLedger(dir);
    await ledger.writeMeta({ issueId: ID, date: '2026-03-14', paperIds: ['1', '2'], runs: 1, startedAt: '2026-03-14T07:00:00.000Z' });
    expect(await ledger.readMeta(ID)).toMatchObject({ paperIds: ['1', '2'], runs: 1 });
    expect((await ledger.listMeta()).map((m) => m.issueId)).toEqual([ID]);
  });
});
