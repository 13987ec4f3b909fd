// `npm run bench -- --crash`: durability under kill -9. Sends to the node sink (which counts messages
// per recipient; postfix's smtp-sink cannot), SIGKILLs `paperboy send` once about half the
// recipients have a delivery record, runs the same command again, and compares what the sink received
// with the subscriber list: delivered once, twice or more (must be 0), missing, and the entries the
// second run reported as uncertain (a missing recipient must be one of those: never resent blindly).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { runMeasured, track } from './proc.js';

export interface CrashResult {
  killedAfterLines: number;
  once: number;
  twiceOrMore: number;
  missing: number;
  uncertain: number;
  missingNotUncertain: number;
  secondRun: string;
}

/** Delivery records so far (claimed or done), read from the run's SQLite database. */
function deliveriesSoFar(stateDir: string): number {
  const path = join(stateDir, 'paperboy.db');
  if (!existsSync(path)) return 0;
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('select count(*) as n from deliveries').get() as { n: number }).n;
  } catch {
    return 0; // not migrated yet
  } finally {
    db.close();
  }
}

export async function crashRun(o: {
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  stateDir: string;
  emails: readonly string[];
  /** Stops the sink and returns its per-recipient counts. */
  stopSink: () => Promise<Record<string, number>>;
}): Promise<CrashResult> {
  const killAt = Math.floor(o.emails.length / 2);
  const first = track(spawn(process.execPath, o.args, { cwd: o.cwd, env: o.env, stdio: 'ignore' }));
  const exited = new Promise<void>((resolve) => first.once('exit', () => resolve()));
  let lines = 0;
  for (;;) {
    if (first.exitCode !== null || first.signalCode !== null) throw new Error(`paperboy send ended (${first.exitCode ?? first.signalCode}) before it could be killed: lower the load or raise --subscribers`);
    lines = deliveriesSoFar(o.stateDir);
    if (lines >= killAt) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  first.kill('SIGKILL');
  await exited;
  console.error(`  killed (SIGKILL) with ${lines} delivery records written; running the same command again`);
  const second = await runMeasured(process.execPath, o.args, { cwd: o.cwd, env: o.env, timeoutMs: 30 * 60_000 });
  if (second.code !== 0) throw new Error(`the second paperboy send exited with ${second.code ?? second.signal}:\n${second.stdout.slice(-2000)}\n${second.stderr.slice(-2000)}`);
  const uncertainList = new Set(uncertainFrom(second.stdout));
  const counts = await o.stopSink();
  let once = 0;
  let twiceOrMore = 0;
  let missing = 0;
  let missingNotUncertain = 0;
  for (const e of o.emails) {
    const n = counts[e] ?? 0;
    if (n === 1) once++;
    else if (n > 1) twiceOrMore++;
    else {
      missing++;
      if (!uncertainList.has(e)) missingNotUncertain++;
    }
  }
  const summary = /sent \d+ · .*/.exec(second.stdout)?.[0] ?? '';
  return { killedAfterLines: lines, once, twiceOrMore, missing, uncertain: uncertainList.size, missingNotUncertain, secondRun: summary };
}

/** The addresses listed under "uncertain (...)" in `paperboy send`'s report. */
function uncertainFrom(stdout: string): string[] {
  const at = stdout.indexOf('  uncertain (');
  if (at < 0) return [];
  const out: string[] = [];
  for (const line of stdout.slice(at).split('\n').slice(1)) {
    const m = /^ {4}(\S+@\S+)$/.exec(line);
    if (!m) break;
    out.push(m[1]!);
  }
  return out;
}
