// MJML → HTML, once per variant. Strict validation: a template that MJML would "fix" silently is an error.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { PaperboyError } from '../../errors.js';

interface MjmlIssue {
  line?: number;
  message?: string;
  tagName?: string;
  formattedMessage?: string;
}

type Reply = { id: number; html: string; errors: MjmlIssue[] } | { id: number; thrown: { message: string; errors: MjmlIssue[] } };

// MJML runs in a worker thread of its own, never in the calling thread. mjml and its dependencies
// are ~55 MB of RSS, and a send needs them only for a handful of compiles at the start (the template
// is compiled once and checked, precompile.ts; variants are Handlebars renders). The worker exits
// when idle, giving that memory back before the subscriber list is read (decision 006). The code is
// plain CommonJS evaluated in the worker, so it runs the same from dist/ and under tsx.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
let compile;
const issue = (i) => ({ line: i.line, message: i.message, tagName: i.tagName, formattedMessage: i.formattedMessage });
parentPort.on('message', async ({ id, mjml, options }) => {
  try {
    if (!compile) {
      // mjml ships CJS with exports.default; accept the function or the module object.
      const m = require(workerData.mjmlPath);
      compile = m.default || m;
    }
    const r = await compile(mjml, options);
    parentPort.postMessage({ id, html: r.html, errors: (r.errors || []).map(issue) });
  } catch (e) {
    parentPort.postMessage({ id, thrown: { message: String((e && e.message) || e), errors: ((e && e.errors) || []).map(issue) } });
  }
});
`;

/** How long an idle MJML worker lives before it exits (a preview server compiles in bursts). */
const IDLE_MS = 2_000;

let worker: Worker | undefined;
let idleTimer: NodeJS.Timeout | undefined;
let nextId = 0;
const pending = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>();

function mjmlWorker(): Worker {
  if (worker) return worker;
  const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { mjmlPath: createRequire(import.meta.url).resolve('mjml') } });
  const failAll = (e: Error) => {
    if (worker === w) worker = undefined;
    for (const p of pending.values()) p.reject(e);
    pending.clear();
  };
  w.on('message', (r: Reply) => {
    const p = pending.get(r.id);
    pending.delete(r.id);
    if (pending.size === 0) idle(w);
    p?.resolve(r);
  });
  w.on('error', failAll);
  w.on('exit', (code) => failAll(new Error(`The MJML worker exited (code ${code})`)));
  worker = w;
  return w;
}

/** With nothing in flight the worker must not keep the process alive, and exits after IDLE_MS. */
function idle(w: Worker): void {
  w.unref();
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => void releaseMjml(), IDLE_MS).unref();
}

/** Whether a worker is running (started and not released). */
export const mjmlWorkerRunning = (): boolean => worker !== undefined;

/** Stops the MJML worker now if it has nothing in flight (a later compile starts a new one). */
export async function releaseMjml(): Promise<void> {
  const w = worker;
  if (!w || pending.size > 0) return;
  clearTimeout(idleTimer);
  worker = undefined;
  await w.terminate();
}

function compileInWorker(mjml: string, options: object): Promise<Reply> {
  const w = mjmlWorker();
  clearTimeout(idleTimer);
  w.ref();
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    w.postMessage({ id, mjml, options });
  });
}

/**
 * Compiled MJML kept between runs, by a hash of the mjml version, the options and the input. The
 * checks of a template (precompile.ts) compile the same few inputs on every run until the template
 * changes; served from here, a send does not load mjml at all (~0.5 s and ~55 MB; decision 006,
 * section 10). Only compiles marked cacheable use it: one-off emails and per-variant fallbacks
 * would fill it with entries never asked for again.
 */
export interface MjmlCache {
  get(key: string): string | undefined;
  set(key: string, html: string): void;
}

let cache: MjmlCache | undefined;

/** Sets (or, with undefined, removes) the cache cacheable compiles use. */
export function useMjmlCache(c: MjmlCache | undefined): void {
  cache = c;
}

// No minify: mjml 5.4's minifier wants cssnano (Node 22). No includes: templates are self-contained.
const OPTIONS = { validationLevel: 'strict', keepComments: false, ignoreIncludes: true } as const;

// What else decides a cached value: mjml's version, and ours. A stored entry is the compiled HTML
// after collapseIndentation, so a paperboy release that changes what happens after MJML must not
// find entries an older one wrote: a mismatch would not be wrong mail (the checks would distrust the
// precompiled template) but every send after an upgrade would go back to MJML per variant.
let versions: string | undefined;
function cacheKey(mjml: string): string {
  if (versions === undefined) {
    // Read, not required: requiring anything of mjml's would count it as loaded in this thread.
    const read = (path: string) => (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
    const mjmlVersion = read(createRequire(import.meta.url).resolve('mjml/package.json'));
    const ours = read(fileURLToPath(new URL('../../../package.json', import.meta.url)));
    versions = `mjml ${mjmlVersion}\0paperboy ${ours}`;
  }
  return createHash('sha256').update(`${versions}\0${JSON.stringify(OPTIONS)}\0${mjml}`).digest('hex');
}

/**
 * Compiles generated MJML. `file` names the template in errors; line numbers in MJML's messages refer to
 * the generated MJML, so the offending line is quoted. With `cacheable`, a result compiled before (in
 * this run or an earlier one) comes from the cache set by useMjmlCache; errors are never cached.
 */
export async function compileMjml(mjml: string, file: string, opts: { cacheable?: boolean } = {}): Promise<string> {
  const key = opts.cacheable && cache ? cacheKey(mjml) : undefined;
  const hit = key === undefined ? undefined : cache?.get(key);
  if (hit !== undefined) return hit;
  const html = await compileUncached(mjml, file);
  if (key !== undefined) cache?.set(key, html);
  return html;
}

async function compileUncached(mjml: string, file: string): Promise<string> {
  const result = await compileInWorker(mjml, OPTIONS);
  if ('thrown' in result) {
    const issues = result.thrown.errors;
    const lines = mjml.split('\n');
    const described = issues.length
      ? issues.map((i) => {
          const src = i.line ? lines[i.line - 1]?.trim().slice(0, 120) : undefined;
          return `  - ${i.tagName ? `<${i.tagName}>: ` : ''}${i.message ?? 'invalid'}${src ? `\n      at generated line ${i.line}: ${src}` : ''}`;
        })
      : [`  - ${result.thrown.message}`];
    throw new PaperboyError('TEMPLATE_INVALID', `Template ${file} does not compile as MJML (strict):\n${described.join('\n')}`, {
      file,
      issues,
    });
  }
  if (result.errors.length > 0) {
    throw new PaperboyError('TEMPLATE_INVALID', `Template ${file} has MJML errors: ${result.errors.map((x) => x.formattedMessage).join('; ')}`, { file });
  }
  return collapseIndentation(result.html);
}

/**
 * MJML indents its output; on a 60-paper issue that is ~15% of the bytes, and Gmail clips at ~102 KB.
 * A whitespace run containing a newline renders exactly like a single newline in HTML (outside <pre> and
 * <textarea>, which these emails do not use; if one appears, the output is left alone).
 */
export function collapseIndentation(html: string): string {
  if (/<(pre|textarea)\b/i.test(html)) return html;
  return collapseWhitespaceRuns(html);
}

/** collapseIndentation without its check, for HTML known to hold no <pre> or <textarea>. */
export function collapseWhitespaceRuns(html: string): string {
  return html.replace(/\n[ \t\r\n]+/g, '\n');
}
