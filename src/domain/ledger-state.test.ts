import { describe, expect, it } from 'vitest';
import { LedgerTransitionError, applyEvent, countStates, replayEvents, uncertainRecords, type LedgerEvent } from './ledger-state.js';

const ev = (email: string, event: LedgerEvent['event'], extra: Partial<LedgerEvent> = {}, at = '2026-03-14T07:00:00.000Z'): LedgerEvent => ({
  at,
  email,
  event,
  ...extra,
});

describe('ledger states', () => {
  it('goes pending → sending → sent and counts attempts', () => {
    const s = replayEvents([
      ev('a@x.org', 'sending', { attempt: 1, messageId: '<m1@x>' }),
      ev('a@x.org', 'deferred', { response: '451 try later', responseCode: 451, kind: 'temporary' }),
      ev('a@x.org', 'sending', { attempt: 2 }),
      ev('a@x.org', 'sent', { response: '250 OK' }, '2026-03-14T07:00:05.000Z'),
    ]);
    const r = s.get('a@x.org')!;
    expect(r.state).toBe('sent');
    expect(r.attempts).toBe(2);
    expect(r.lastResponse).toBe('250 OK');
    expect(r.lastResponseCode).toBe(451);
    expect(r.sentAt).toBe('2026-03-14T07:00:05.000Z');
    expect(r.messageId).toBe('<m1@x>');
  });

  it('never leaves sent or failed', () => {
    const sent = applyEvent(applyEvent(undefined, ev('a@x.org', 'sending')), ev('a@x.org', 'sent'));
    expect(() => applyEvent(sent, ev('a@x.org', 'sending'))).toThrow(LedgerTransitionError);
    const failed = applyEvent(applyEvent(undefined, ev('b@x.org', 'sending')), ev('b@x.org', 'failed', { responseCode: 550 }));
    expect(failed.state).toBe('failed');
    expect(() => applyEvent(failed, ev('b@x.org', 'sending'))).toThrow(LedgerTransitionError);
  });

  it('does not resend a sending record unless the event says it is a deliberate resend', () => {
    const sending = applyEvent(undefined, ev('a@x.org', 'sending'));
    expect(() => applyEvent(sending, ev('a@x.org', 'sending'))).toThrow(LedgerTransitionError);
    expect(applyEvent(sending, ev('a@x.org', 'sending', { resend: true })).attempts).toBe(2);
  });

  it('cannot finish what was never started', () => {
    expect(() => applyEvent(undefined, ev('a@x.org', 'sent'))).toThrow(LedgerTransitionError);
  });

  it('reports records left in sending as uncertain, and counts states', () => {
    const s = replayEvents([ev('a@x.org', 'sending'), ev('b@x.org', 'sending'), ev('b@x.org', 'sent'), ev('c@x.org', 'sending'), ev('c@x.org', 'deferred')]);
    expect(uncertainRecords(s).map((r) => r.email)).toEqual(['a@x.org']);
    expect(countStates(s)).toEqual({ pending: 1, sending: 1, sent: 1, failed: 0 });
  });
});
