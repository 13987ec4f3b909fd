import { describe, expect, it } from 'vitest';
import { checkImportRow, csvColumns, importRefused, jsonEntryRow } from './subscriber-import.js';

const TOPICS = ['language-models', 'vision', 'robotics'];

describe('checkImportRow', () => {
  it('normalises an address and reads name and topics in the forms people type', () => {
    expect(checkImportRow({ where: 'line 2', email: ' ANN@example.org ', name: ' Lee, Ann ', topics: 'vision; robotics' }, TOPICS)).toEqual({
      kind: 'add',
      row: { where: 'line 2', email: 'ann@example.org', name: 'Lee, Ann', topics: ['vision', 'robotics'] },
    });
    expect(checkImportRow({ where: 'entry [0]', email: 'bob@example.org', topics: ['vision'] }, TOPICS)).toEqual({ kind: 'add', row: { where: 'entry [0]', email: 'bob@example.org', topics: ['vision'] } });
    // An empty CSV cell keeps the current topics; an explicit empty JSON list means all topics.
    expect(checkImportRow({ where: 'line 3', email: 'c@example.org', topics: '' })).toEqual({ kind: 'add', row: { where: 'line 3', email: 'c@example.org' } });
    expect(checkImportRow({ where: 'entry [1]', email: 'c@example.org', topics: [] })).toEqual({ kind: 'add', row: { where: 'entry [1]', email: 'c@example.org', topics: [] } });
  });

  it('says what is wrong with a row, naming where it is', () => {
    expect(checkImportRow({ where: 'line 3', email: 'not-an-address' })).toEqual({ kind: 'error', message: 'line 3: "not-an-address" is not a valid email address' });
    expect(checkImportRow({ where: 'line 4', email: '' })).toEqual({ kind: 'error', message: 'line 4: email is missing' });
    expect(checkImportRow({ where: 'line 5', email: 'd@example.org', topics: 'visoin' }, TOPICS)).toMatchObject({ kind: 'error', message: expect.stringMatching(/^line 5: topics: unknown topic "visoin"/) });
    expect(checkImportRow({ where: 'entry [2]', email: 'e@example.org', topics: [1] })).toEqual({ kind: 'error', message: 'entry [2]: topics must be a list of topic ids' });
    expect(checkImportRow({ where: 'entry [3]', email: 'f@example.org', name: 'x'.repeat(201) })).toEqual({ kind: 'error', message: 'entry [3]: name is 201 characters long; names are limited to 200' });
    expect(checkImportRow(jsonEntryRow(42, 'entry [4]'))).toEqual({ kind: 'error', message: 'entry [4]: expected an object like {"email": "…"} or an address' });
  });

  it('skips rows a list exported with its status marks as not confirmed', () => {
    expect(checkImportRow({ where: 'line 2', email: 'g@example.org', status: 'unsubscribed' })).toEqual({ kind: 'skip', skip: { where: 'line 2', email: 'g@example.org', reason: 'status unsubscribed in the file' } });
    expect(checkImportRow({ where: 'line 3', email: 'h@example.org', status: 'pending' })).toMatchObject({ kind: 'skip', skip: { reason: 'never confirmed (status pending in the file)' } });
    expect(checkImportRow({ where: 'line 4', email: 'i@example.org', status: 'active' }).kind).toBe('add');
  });

  it('restores a whole record of our own format as it is, status and consent included', () => {
    const record = { email: 'Bob@Example.org', status: 'unsubscribed', topics: ['vision'], createdAt: '2026-01-01T00:00:00Z', unsubscribedAt: '2026-02-01T00:00:00Z', tokenVersion: 3, consent: { method: 'web', confirmedIp: '192.0.2.1' }, note: 'kept' };
    const c = checkImportRow(jsonEntryRow(record, 'subscribers[0]'));
    expect(c).toEqual({ kind: 'restore', where: 'subscribers[0]', sub: { ...record, email: 'bob@example.org', hardBounces: 0 } });
    expect(checkImportRow(jsonEntryRow({ ...record, status: 'gone' }, 'subscribers[1]'))).toMatchObject({ kind: 'error', message: expect.stringMatching(/^subscribers\[1\]: status: /) });
  });
});

describe('csvColumns', () => {
  it('finds the columns by header in any case and spelling, or reads a plain list', () => {
    expect(csvColumns(['Name', 'E-Mail', 'Topics'], 'x.csv')).toEqual({ email: 1, name: 0, topics: 2, status: -1, header: true });
    expect(csvColumns(['email', 'status'], 'x.csv')).toMatchObject({ email: 0, status: 1 });
    expect(csvColumns(['ann@example.org', 'Ann'], 'x.csv')).toEqual({ email: 0, name: 1, topics: 2, status: -1, header: false });
    expect(() => csvColumns(['address', 'name'], 'h.csv')).toThrow(/^h\.csv: line 1 must be a header with an "email" column/);
  });
});

describe('importRefused', () => {
  it('lists the first problems and counts the rest', () => {
    const e = importRefused('list.csv', Array.from({ length: 20 }, (_, i) => `line ${i + 2}: bad`), 25);
    expect(e.code).toBe('INPUT_INVALID');
    expect(e.message).toMatch(/^list\.csv: 25 invalid rows; nothing was imported\. Fix them and run the import again:\n  - line 2: bad/);
    expect(e.message).toMatch(/… and 5 more$/);
  });
});
