// Errors a person can act on. Every user-facing failure is a PaperboyError with a stable code;
// the CLI prints `message` (never a stack trace) and exits non-zero.

export type ErrorCode =
  | 'DIGEST_INVALID'
  | 'DIGEST_NOT_FOUND'
  | 'CONFIG_INVALID'
  | 'TAXONOMY_INVALID'
  | 'FIELD_MODEL_INVALID'
  | 'TEMPLATE_INVALID'
  | 'SUBSCRIBERS_INVALID'
  | 'SUBSCRIBER_NOT_FOUND'
  | 'STORE_UNAVAILABLE'
  | 'STORE_TOO_NEW'
  | 'SEND_IN_PROGRESS'
  | 'SMTP_UNREACHABLE'
  | 'SMTP_REJECTED'
  | 'INPUT_INVALID'
  | 'FOLDER_UNAVAILABLE'
  | 'TOKEN_INVALID'
  | 'FETCH_FAILED'
  | 'FETCH_LOG_INVALID';

export class PaperboyError extends Error {
  readonly code: ErrorCode;
  /** Extra context for logs and JSON output (file, field, line, ...). */
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'PaperboyError';
    this.code = code;
    this.details = details;
  }
}

export function isPaperboyError(e: unknown): e is PaperboyError {
  return e instanceof PaperboyError;
}

/** Formats a zod issue path as `papers[3].title`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out || '(root)';
}
