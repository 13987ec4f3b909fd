// Runs `paperboy <args>` as a child process (bin/paperboy.js) and follows its JSON log lines, so a
// test can wait for an event instead of sleeping.
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

export interface LogEvent {
  time: string;
  level: string;
  event: string;
  [field: string]: unknown;
}

export interface PaperboyProcess {
  child: ChildProcess;
  events: LogEvent[];
  /** stdout lines that are not JSON, and all of stderr. */
  otherOutput(): string;
  /** Resolves with the first event (already seen or future) matching; rejects if the process exits first. */
  waitFor(match: (e: LogEvent) => boolean, what: string): Promise<LogEvent>;
  /** Sends `signal` and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  exited: Promise<number | null>;
}

export function startPaperboy(args: string[], env: Record<string, string>, cwd: string): PaperboyProcess {
  const child = spawn(process.execPath, [resolve(REPO_ROOT, 'bin/paperboy.js'), ...args], {
    cwd,
    // A clean environment: nothing from the developer's shell (an SMTP URL!) leaks into the test.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const events: LogEvent[] = [];
  let other = '';
  let buffered = '';
  const waiters: { match: (e: LogEvent) => boolean; resolve: (e: LogEvent) => void }[] = [];

  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      let e: LogEvent;
      try {
        e = JSON.parse(line) as LogEvent;
      } catch {
        other += `${line}\n`;
        continue;
      }
      events.push(e);
      for (const w of [...waiters]) {
        if (w.match(e)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(e);
        }
      }
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => (other += chunk.toString('utf8')));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));

  return {
    child,
    events,
    exited,
    otherOutput: () => other,
    waitFor(match, what) {
      const seen = events.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolveWait, reject) => {
        waiters.push({ match, resolve: resolveWait });
        void exited.then((code) =>
          reject(new Error(`paperboy exited (code ${code}) before ${what}.\nEvents: ${events.map((e) => e.event).join(', ')}\nOther output:\n${other}`)),
        );
      });
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
