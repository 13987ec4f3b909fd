import { describe, expect, it } from 'vitest';
import type { Issue } from './issue.js';
import { replayEvents, type LedgerEvent } from './ledger-state.js';
import { countSkips, effectiveTopics, planSends } from './plan-sends.js';
import { variantKey } from './render/index.js';
import type { Subscriber } from './subscriber.js';

function paper(id: string, primary: string, secondary: string[] = []) {
  return { id, title: `Paper ${id}`, abstract: '', authors: [], keywords: [], categories: [], primaryTopic: primary, topics: [primary, ...secondary] };
}
const topic = (id: string) => ({ id, name: id, description: id });

const issue: Issue = {
  id: '2026-03-14-abcdef12',
  date: '2026-03-14',
  source: 'paperboy-json',
  sections: [
    { topic: topic('nlp'), papers: [paper('1', 'nlp', ['vision'])] },
    { topic: topic('robotics'), papers: [paper('2', 'robotics')] },
  ],
};

const sub = (email: string, topics: string[] = [], status: Subscriber['status'] = 'active'): Subscriber => ({
  email,
  topics,
  status,
  createdAt: '2026-01-01T00:00:00.000Z',
  hardBounces: 0,
  consent: {},
  tokenVersion: 0,
});

const at = '2026-03-14T07:00:00.000Z';
const ledgerOf = (events: Omit<LedgerEvent, 'at'>[]) => replayEvents(events.map((e) => ({ at, ...e })));

describe('planSends', () => {
  it('gives each active subscriber the variant of the topics they chose that occur in the issue', () => {
    const plan = planSends(issue, [sub('all@x.org'), sub('nlp@x.org', ['nlp', 'astro']), sub('nlp2@x.org', ['nlp']), sub('vis@x.org', ['vision'])], new Map());
    const byEmail = Object.fromEntries(plan.sends.map((s) => [s.subscriber.email, s.variantKey]));
    expect(byEmail['all@x.org']).toBe(variantKey(null));
    // "astro" is in no paper of this issue, so both nlp readers share one rendering.
    expect(byEmail['nlp@x.org']).toBe(variantKey(['nlp']));
    expect(byEmail['nlp2@x.org']).toBe(byEmail['nlp@x.org']);
    // A secondary topic counts: paper 1 is also tagged vision.
    expect(byEmail['vis@x.org']).toBe(variantKey(['vision']));
    expect(plan.variants.map((v) => [v.key, v.recipients]).sort()).toEqual(
      [
        [variantKey(null), 1],
        [variantKey(['nlp']), 2],
        [variantKey(['vision']), 1],
      ].sort(),
    );
  });

  it('skips inactive subscribers, those with no papers, and everything the ledger settled', () => {
    const ledger = ledgerOf([
      { email: 'sent@x.org', event: 'sending' },
      { email: 'sent@x.org', event: 'sent' },
      { email: 'failed@x.org', event: 'sending' },
      { email: 'failed@x.org', event: 'failed', responseCode: 550 },
      { email: 'crash@x.org', event: 'sending' },
      { email: 'retry@x.org', event: 'sending' },
      { email: 'retry@x.org', event: 'deferred', responseCode: 451 },
    ]);
    const subs = [
      sub('sent@x.org'),
      sub('failed@x.org'),
      sub('crash@x.org'),
      sub('retry@x.org'),
      sub('pending@x.org', [], 'pending'),
      sub('gone@x.org', [], 'unsubscribed'),
      sub('bounced@x.org', [], 'bounced'),
      sub('astro@x.org', ['astro']),
    ];
    const plan = planSends(issue, subs, ledger);
    expect(plan.sends.map((s) => s.subscriber.email)).toEqual(['retry@x.org']);
    expect(Object.fromEntries(plan.skipped.map((s) => [s.email, s.reason]))).toEqual({
      'sent@x.org': 'already-sent',
      'failed@x.org': 'failed-before',
      'crash@x.org': 'uncertain',
      'pending@x.org': 'inactive',
      'gone@x.org': 'inactive',
      'bounced@x.org': 'inactive',
      'astro@x.org': 'no-papers',
    });
    expect(countSkips(plan.skipped)).toEqual({ 'already-sent': 1, 'failed-before': 1, uncertain: 1, inactive: 3, 'no-papers': 1 });
  });

  it('resends uncertain entries only when asked, and marks them as resends', () => {
    const ledger = ledgerOf([{ email: 'crash@x.org', event: 'sending' }]);
    const plan = planSends(issue, [sub('crash@x.org')], ledger, { resendUncertain: true });
    expect(plan.sends).toHaveLength(1);
    expect(plan.sends[0]!.resend).toBe(true);
  });

  it('sends one copy to an address listed twice (any case)', () => {
    const plan = planSends(issue, [sub('a@x.org'), sub('A@X.org')], new Map());
    expect(plan.sends).toHaveLength(1);
  });

  it('effectiveTopics: null for everything, sorted and de-duplicated otherwise', () => {
    const present = new Set(['a', 'b', 'c']);
    expect(effectiveTopics({ topics: [] }, present)).toBeNull();
    expect(effectiveTopics({ topics: ['c', 'a', 'c', 'z'] }, present)).toEqual(['a', 'c']);
    expect(effectiveTopics({ topics: ['z'] }, present)).toEqual([]);
  });
});
