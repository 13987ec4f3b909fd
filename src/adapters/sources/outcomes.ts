// The HTTP facts of an answer, and a failed request, as the parts of a SourceOutcome both kinds of
// source report.
import type { SourceOutcome } from '../../domain/fetch/fetch-record.js';
import type { FetchFailed, HttpAnswer } from '../http-client.js';

/** URL, status, bytes and validators of the main answer (`bytes`: of the whole attempt). */
export function answerFacts(a: HttpAnswer, bytes = a.bytes) {
  return { url: a.url, httpStatus: a.status, bytes, ...(a.etag ? { etag: a.etag } : {}), ...(a.lastModified ? { lastModified: a.lastModified } : {}) };
}

/** A request that failed, with the bytes the attempt had received before it. */
export function failedOutcome(e: FetchFailed, bytesBefore: number): SourceOutcome {
  return {
    kind: 'failed',
    reason: e.message,
    url: e.url,
    bytes: bytesBefore + Number(e.details.bytes ?? 0),
    ...(e.httpStatus ? { httpStatus: e.httpStatus } : {}),
    ...(e.retryAt ? { retryAt: e.retryAt } : {}),
  };
}
