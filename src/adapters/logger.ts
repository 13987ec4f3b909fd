// Structured logs: one line per event. JSON lines for machines (not a terminal, or logFormat "json"),
// `HH:MM:SS level event key=value` for people at a terminal. Events are dotted names
// ("digest.sent"); details go in fields, never interpolated into the event.
import { isPaperboyError } from '../errors.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

export interface LoggerOptions {
  format: 'json' | 'pretty';
  write: (line: string) => void;
  /** Lowest level written; default info. */
  level?: LogLevel;
  clock?: () => Date;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Errors become {code, message}: user errors have no useful stack, bugs keep theirs. */
function plain(value: unknown): unknown {
  if (isPaperboyError(value)) return { code: value.code, message: value.message };
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  return value;
}

function prettyValue(value: unknown): string {
  const v = plain(value);
  if (typeof v === 'string') return /^[^\s"=]+$/.test(v) ? v : JSON.stringify(v);
  if (v && typeof v === 'object' && 'message' in v && !Array.isArray(v)) {
    const { code, message } = v as { code?: string; message: string };
    return JSON.stringify(code ? `${code}: ${message}` : message);
  }
  return JSON.stringify(v) ?? String(v);
}

const pad2 = (n: number) => String(n).padStart(2, '0');

export function createLogger(opts: LoggerOptions): Logger {
  const min = RANK[opts.level ?? 'info'];
  const clock = opts.clock ?? (() => new Date());
  const log = (level: LogLevel, event: string, fields: LogFields = {}) => {
    if (RANK[level] < min) return;
    const now = clock();
    if (opts.format === 'json') {
      const record: LogFields = { time: now.toISOString(), level, event };
      for (const [k, v] of Object.entries(fields)) if (v !== undefined) record[k] = plain(v);
      opts.write(`${JSON.stringify(record)}\n`);
      return;
    }
    const time = `${pad2(now.getHours())}:${pad2(now.getMinutes())}:${pad2(now.getSeconds())}`;
    const kv = Object.entries(fields)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}=${prettyValue(v)}`);
    opts.write(`${[time, level.padEnd(5), event, ...kv].join(' ')}\n`);
  };
  return {
    debug: (e, f) => log('debug', e, f),
    info: (e, f) => log('info', e, f),
    warn: (e, f) => log('warn', e, f),
    error: (e, f) => log('error', e, f),
  };
}

/** "auto" means pretty on a terminal, JSON lines otherwise (files, journald, docker). */
export function logFormatFor(setting: 'auto' | 'json' | 'pretty', isTTY: boolean): 'json' | 'pretty' {
  return setting === 'auto' ? (isTTY ? 'pretty' : 'json') : setting;
}

/** For tests: keeps every event. */
export class MemoryLogger implements Logger {
  readonly entries: { level: LogLevel; event: string; fields: LogFields }[] = [];
  debug(event: string, fields: LogFields = {}) {
    this.entries.push({ level: 'debug', event, fields });
  }
  info(event: string, fields: LogFields = {}) {
    this.entries.push({ level: 'info', event, fields });
  }
  warn(event: string, fields: LogFields = {}) {
    this.entries.push({ level: 'warn', event, fields });
  }
  error(event: string, fields: LogFields = {}) {
    this.entries.push({ level: 'error', event, fields });
  }
  events(level?: LogLevel): string[] {
    return this.entries.filter((e) => !level || e.level === level).map((e) => e.event);
  }
}
