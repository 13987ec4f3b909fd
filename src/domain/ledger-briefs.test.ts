import { describe, expect, it } from 'vitest';
import { LedgerBriefs } from './ledger-briefs.js';
import { LedgerTransitionError, countStates, type LedgerEvent } from './ledger-state.js';

const ev = (email: string, event: LedgerEvent['event'], over: Partial<LedgerEvent> = {}): LedgerEvent => ({ at: '2026-03-14T07:00:00.000Z', email, event, ...over });

describe('LedgerBriefs', () => {
  it('keeps state and attempts per address through retries', () => {
    const b = new LedgerBriefs();
    b.apply('a@x.org', ev('a@x.org', 'sending'));
    b.apply('a@x.org', ev('a@x.org', 'deferred'));
    b.apply('a@x.org', ev('a@x.org', 'sending'));
    b.apply('a@x.org', ev('a@x.org', 'sent'));
    b.apply('b@x.org', ev('b@x.org', 'sending'));
    expect(b.get('a@x.org')).toEqual({ email: 'a@x.org', state: 'sent', attempts: 2 });
    expect(b.get('b@x.org')).toEqual({ email: 'b@x.org', state: 'sending', attempts: 1 });
    expect(b.get('c@x.org')).toBeUndefined();
    expect([...b.keys()]).toEqual(['a@x.org', 'b@x.org']);
    expect(countStates(b)).toEqual({ pending: 0, sending: 1, sent: 1, failed: 0 });
  });

  it('refuses a move the state model does not allow', () => {
    const b = new LedgerBriefs();
    b.apply('a@x.org', ev('a@x.org', 'sending'));
    b.apply('a@x.org', ev('a@x.org', 'failed'));
    expect(() => b.apply('a@x.org', ev('a@x.org', 'sending'))).toThrow(LedgerTransitionError);
    b.apply('b@x.org', ev('b@x.org', 'sending', { resend: false }));
    expect(() => b.apply('b@x.org', ev('b@x.org', 'sending'))).toThrow(/cannot go from sending to sending/);
    b.apply('b@x.org', ev('b@x.org', 'sending', { resend: true }));
    expect(b.get('b@x.org')).toMatchObject({ state: 'sending', attempts: 2 });
  });

  it('keeps the address when records are keyed by something else (test ledger)', () => {
    const b = new LedgerBriefs();
    b.apply('<m1@x>', ev('a@x.org', 'sending', { messageId: '<m1@x>' }));
    b.apply('<m2@x>', ev('a@x.org', 'sending', { messageId: '<m2@x>' }));
    expect(b.size).toBe(2);
    expect([...b.values()].map((r) => r.email)).toEqual(['a@x.org', 'a@x.org']);
  });
});
