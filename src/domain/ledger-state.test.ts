import { describe, expect, it } from 'vitest';
import { decideFailure, type FailureContext } from './ledger-state.js';

const NOW = Date.parse('2026-03-14T07:00:00.000Z');
const ctx = (over: Partial<FailureContext> = {}): FailureContext => ({
  nowMs: NOW,
  attempts: 1,
  failuresInARow: 1,
  retryBaseMs: 1000,
  lifetimeMs: 24 * 3_600_000,
  maxFailuresInARow: 5,
  random: 0.5,
  ...over,
});

describe('decideFailure', () => {
  it('fails a permanent reply for this recipient and counts a bounce', () => {
    expect(decideFailure({ kind: 'permanent', command: 'RCPT TO' }, ctx())).toEqual({ record: 'failed', bounce: true });
  });

  it('defers a temporary reply, a timeout or a lost connection with a growing delay', () => {
    expect(decideFailure({ kind: 'temporary', command: 'DATA' }, ctx())).toEqual({ record: 'deferred', nextAttemptMs: NOW + 1000 });
    expect(decideFailure({ kind: 'connection' }, ctx({ attempts: 3 }))).toEqual({ record: 'deferred', nextAttemptMs: NOW + 4000 });
    expect(decideFailure({ kind: 'temporary' }, ctx({ attempts: 30 }))).toEqual({ record: 'deferred', nextAttemptMs: NOW + 3_600_000 });
  });

  it('fails a recipient deferred for longer than the lifetime, without a bounce', () => {
    const since = NOW - 24 * 3_600_000;
    expect(decideFailure({ kind: 'temporary' }, ctx({ deferredSinceMs: since }))).toEqual({ record: 'failed', bounce: false, gaveUp: true });
    expect(decideFailure({ kind: 'temporary' }, ctx({ deferredSinceMs: since + 1 })).record).toBe('deferred');
  });

  it('stops the run when failures come in a row: the server, not the recipients', () => {
    expect(decideFailure({ kind: 'temporary' }, ctx({ failuresInARow: 5 }))).toEqual({ record: 'deferred', nextAttemptMs: NOW + 1000, stop: 'unreachable' });
    expect(decideFailure({ kind: 'temporary' }, ctx({ failuresInARow: 4 })).record).toBe('deferred');
  });

  it('stops without blaming the recipient for a refused sender or login, and for our own failures', () => {
    expect(decideFailure({ kind: 'permanent', command: 'MAIL FROM' }, ctx())).toMatchObject({ record: 'deferred', stop: 'rejected' });
    expect(decideFailure({ kind: 'connection', command: 'AUTH PLAIN' }, ctx())).toMatchObject({ record: 'deferred', stop: 'rejected' });
    expect(decideFailure({ kind: 'temporary', local: true }, ctx())).toMatchObject({ record: 'deferred', stop: 'local' });
  });
});
