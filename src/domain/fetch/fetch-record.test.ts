import { describe, expect, it } from 'vitest';
import { describeRecord, isDue, recordAttempt, type SourceOutcome } from './fetch-record.js';

const policy = { retryMinutes: 30, maxAttempts: 3 };
const at = (iso: string) => new Date(iso);
const key = { source: 'hf-daily' as const, date: '2026-12-02' };

describe('recordAttempt', () => {
  it('papers: ok with the count and the HTTP facts', () => {
    const out: SourceOutcome = { kind: 'papers', papers: [], url: 'http://x', httpStatus: 200, bytes: 10, etag: '"e"' };
    const r = recordAttempt(undefined, key, { ...out, papers: [{ id: '1', title: 't', abstract: '', authors: [], keywords: [], categories: [] }] }, at('2026-12-02T07:00:00Z'), policy);
    expect(r).toMatchObject({ status: 'ok', papers: 1, attempts: 1, httpStatus: 200, bytes: 10, etag: '"e"', firstAttemptAt: '2026-12-02T07:00:00.000Z' });
    expect(r.nextAttemptAt).toBeUndefined();
    expect(isDue(r, at('2026-12-03T00:00:00Z'))).toBe(false);
  });

  it('not yet published: waiting with the next try, then none after the last try', () => {
    const o: SourceOutcome = { kind: 'not-yet', reason: '0 papers for 2026-12-02 yet' };
    let r = recordAttempt(undefined, key, o, at('2026-12-02T07:00:00Z'), policy);
    expect(r).toMatchObject({ status: 'waiting', nextAttemptAt: '2026-12-02T07:30:00.000Z' });
    expect(describeRecord(r, 'UTC')).toBe('Hugging Face: 0 papers for 2026-12-02 yet, next try 07:30');
    expect(describeRecord(r, 'Europe/Berlin')).toBe('Hugging Face: 0 papers for 2026-12-02 yet, next try 08:30');
    expect(isDue(r, at('2026-12-02T07:29:59Z'))).toBe(false);
    expect(isDue(r, at('2026-12-02T07:30:00Z'))).toBe(true);
    r = recordAttempt(r, key, o, at('2026-12-02T07:30:00Z'), policy);
    r = recordAttempt(r, key, o, at('2026-12-02T08:00:00Z'), policy);
    expect(r).toMatchObject({ status: 'none', attempts: 3, firstAttemptAt: '2026-12-02T07:00:00.000Z' });
    expect(describeRecord(r, 'UTC')).toBe('Hugging Face: 0 papers for 2026-12-02 after 3 tries');
    expect(isDue(r, at('2026-12-02T23:00:00Z'))).toBe(false);
  });

  it('a failure the server gave a time for is tried again then ("HTTP 429, retrying at 07:41")', () => {
    const r = recordAttempt(undefined, key, { kind: 'failed', reason: 'HTTP 429', httpStatus: 429, retryAt: at('2026-12-02T07:41:00Z') }, at('2026-12-02T07:00:00Z'), policy);
    expect(describeRecord(r, 'UTC')).toBe('Hugging Face: HTTP 429, retrying at 07:41');
    const gaveUp = recordAttempt({ ...r, attempts: 2 }, key, { kind: 'failed', reason: 'HTTP 503' }, at('2026-12-02T07:41:00Z'), policy);
    expect(gaveUp).toMatchObject({ status: 'failed', reason: 'HTTP 503; gave up after 3 tries' });
    expect(gaveUp.nextAttemptAt).toBeUndefined();
    expect(isDue(gaveUp, at('2026-12-03T00:00:00Z'))).toBe(false);
  });

  it('keeps the validators and late papers of the last good answer through an error page', () => {
    const late = [{ id: '1', title: 't', abstract: '', authors: [], keywords: [], categories: [] }];
    const r = recordAttempt(
      { ...recordAttempt(undefined, key, { kind: 'papers', papers: late, etag: '"a"', lastModified: 'Wed, 02 Dec 2026 06:00:00 GMT' }, at('2026-12-02T07:00:00Z'), policy), late },
      key,
      { kind: 'failed', reason: 'HTML' },
      at('2026-12-02T08:00:00Z'),
      policy,
    );
    expect(r).toMatchObject({ etag: '"a"', lastModified: 'Wed, 02 Dec 2026 06:00:00 GMT', late });
  });

  it('describes a record of another day with its date in the next try', () => {
    const r = recordAttempt(undefined, key, { kind: 'not-yet', reason: 'x yet' }, at('2026-12-02T23:50:00Z'), policy);
    expect(describeRecord(r, 'UTC', '2026-12-02')).toBe('Hugging Face: x yet, next try 2026-12-03 00:20');
  });
});
