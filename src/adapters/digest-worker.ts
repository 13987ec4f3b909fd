// DigestWork in a worker thread, for the processes that also serve the web app (`paperboy start`,
// `paperboy serve`): parsing and grouping a digest is CPU work on input the digests folder decides,
// and in the web server's thread a large or hostile digest would hold up every sign-up and
// unsubscribe for as long as it takes. The worker also bounds what one digest may cost: past
// TIME_LIMIT_MS or MEMORY_LIMIT_MB it is stopped and the digest is reported invalid, where in the
// main thread it would stall or crash the whole service. One job runs at a time (digests are read
// one after another anyway); the worker exits when idle and a new one starts for the next job.
import { Worker } from 'node:worker_threads';
import type { Digest } from '../domain/digest.js';
import type { Issue } from '../domain/issue.js';
import { digestError } from '../domain/parse/parse-error.js';
import type { Taxonomy } from '../domain/taxonomy.js';
import { PaperboyError, type ErrorCode } from '../errors.js';
import type { DigestWork } from '../services/prepare-issue.js';

/** What one read or group may take before the worker is stopped (real digests take milliseconds). */
export const TIME_LIMIT_MS = 60_000;
/** Heap a worker may use (a 20 MB digest, the largest read, needs well under this). */
export const MEMORY_LIMIT_MB = 1024;
/** How long an idle worker lives (a check reads every digest in the folder in a row). */
const IDLE_MS = 5_000;

// Plain CommonJS evaluated in the worker: it imports the same modules the caller runs, compiled
// (dist/) or as TypeScript through tsx's loader, which it registers first.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
let modules;
async function load() {
  if (!modules) {
    if (workerData.tsxApi) (await import(workerData.tsxApi)).register();
    const [file, group] = await Promise.all([import(workerData.digestFile), import(workerData.groupByTopic)]);
    modules = { read: file.readDigestFile, group: group.groupByTopic };
  }
  return modules;
}
parentPort.on('message', async (job) => {
  try {
    const m = await load();
    const value = job.op === 'read' ? await m.read(job.path, new Date(job.now)) : m.group(job.digest, job.taxonomy);
    parentPort.postMessage({ id: job.id, value });
  } catch (e) {
    const known = e && e.name === 'PaperboyError';
    parentPort.postMessage({ id: job.id, error: known ? { code: e.code, message: e.message, details: e.details } : { message: String((e && e.stack) || e) } });
  }
});
`;

type Job = { op: 'read'; path: string; now: number } | { op: 'group'; digest: Digest; taxonomy: Taxonomy };
type Reply = { id: number; value: unknown } | { id: number; error: { code?: ErrorCode; message: string; details?: Record<string, unknown> } };

function workerOptions() {
  const here = import.meta.url;
  // Running from the TypeScript sources (tsx, vitest): the worker needs tsx's loader too.
  const ts = here.endsWith('.ts');
  const ext = ts ? '.ts' : '.js';
  return {
    workerData: {
      tsxApi: ts ? import.meta.resolve('tsx/esm/api') : undefined,
      digestFile: new URL(`./digest-file${ext}`, here).href,
      groupByTopic: new URL(`../domain/group-by-topic${ext}`, here).href,
    },
  };
}

/** Why a job that never answered failed, in the terms of the digest it was working on. */
function jobFailure(job: Job, why: string): PaperboyError {
  if (job.op === 'read') {
    return digestError(job.path, 'not read', {}, why, 'Check that this is the right file; a digest this costly is not one paperboy can send');
  }
  return new PaperboyError('DIGEST_INVALID', `Grouping the digest of ${job.digest.date} by topic failed: ${why}.`, { date: job.digest.date });
}

/** The work was thrown away because paperboy is stopping (not a fault of the digest). */
const stopped = () => new DOMException('paperboy is stopping: the digest was put aside', 'AbortError');

export function digestWorker(opts: { timeLimitMs?: number; memoryLimitMb?: number } = {}): DigestWork & { close(): Promise<void> } {
  const timeLimitMs = opts.timeLimitMs ?? TIME_LIMIT_MS;
  const memoryLimitMb = opts.memoryLimitMb ?? MEMORY_LIMIT_MB;
  let worker: Worker | undefined;
  let idleTimer: NodeJS.Timeout | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  let nextId = 0;
  let closed = false;

  const stop = async () => {
    clearTimeout(idleTimer);
    const w = worker;
    worker = undefined;
    await w?.terminate();
  };

  const run = (job: Job, signal: AbortSignal | undefined): Promise<unknown> =>
    new Promise((resolve, reject) => {
      if (closed || signal?.aborted) return reject(stopped());
      clearTimeout(idleTimer);
      const w = (worker ??= new Worker(WORKER_SOURCE, {
        eval: true,
        ...workerOptions(),
        resourceLimits: { maxOldGenerationSizeMb: memoryLimitMb },
        stdout: false,
        stderr: false,
      }));
      const id = nextId++;
      const settle = (fn: () => void) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        w.off('message', onMessage);
        w.off('error', onError);
        w.off('exit', onExit);
        fn();
      };
      const onMessage = (r: Reply) => {
        if (r.id !== id) return;
        settle(() => {
          idleTimer = setTimeout(() => void stop(), IDLE_MS).unref();
          if (!('error' in r)) return resolve(r.value);
          const { code, message, details } = r.error;
          reject(code ? new PaperboyError(code, message, details) : new Error(`digest worker: ${message}`));
        });
      };
      const onError = (e: Error & { code?: string }) => {
        if (worker === w) worker = undefined;
        const why = e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? `it needs more than ${memoryLimitMb} MB of memory` : e.message;
        settle(() => reject(jobFailure(job, why)));
      };
      const onExit = (code: number) => {
        if (worker === w) worker = undefined;
        settle(() => reject(closed ? stopped() : jobFailure(job, `the worker reading it exited (code ${code})`)));
      };
      const abandon = (error: Error) => {
        settle(() => reject(error));
        if (worker === w) worker = undefined;
        void w.terminate();
      };
      // A stop request (SIGTERM) does not wait for the digest: the work is thrown away.
      const onAbort = () => abandon(stopped());
      const timer = setTimeout(() => abandon(jobFailure(job, `it took more than ${timeLimitMs / 1000} s to ${job.op === 'read' ? 'read' : 'group'}`)), timeLimitMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      w.on('message', onMessage);
      w.on('error', onError);
      w.on('exit', onExit);
      w.postMessage({ id, ...job });
    });

  // One job at a time, in order: a second caller waits for the first.
  const enqueue = <T>(job: Job, signal: AbortSignal | undefined): Promise<T> => {
    const p = queue.then(() => run(job, signal));
    queue = p.catch(() => undefined);
    return p as Promise<T>;
  };

  return {
    read: (path, now, signal) => enqueue<Digest>({ op: 'read', path, now: now.getTime() }, signal),
    group: (digest, taxonomy, signal) => enqueue<Issue>({ op: 'group', digest, taxonomy }, signal),
    async close() {
      closed = true;
      await stop();
    },
  };
}
