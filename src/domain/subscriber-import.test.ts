import { describe, expect, it } from 'vitest';
import { PaperboyError } from '../errors.js';
import { parseSubscriberImport } from './subscriber-import.js';

const TOPICS = ['language-models', 'vision', 'robotics'];

function importError(text: string, file: string, topics?: string[]): PaperboyError {
  try {
    parseSubscriberImport(text, file, topics);
  } catch (e) {
    if (e instanceof PaperboyError) return e;
    throw e;
  }
  throw new Error('expected the import to be refused');
}

describe('CSV import', () => {
  it('reads a header in any case and order, quoted cells, a BOM and blank lines', () => {
    const csv = '\uFEFFName,E-Mail,Topics\r\n"Lee, Ann",ANN@example.org,"vision; robotics"\r\n\r\nBob,bob@example.org,\r\n';
    expect(parseSubscriberImport(csv, 'list.csv', TOPICS)).toEqual({
      rows: [
        { where: 'line 2', email: 'ann@example.org', name: 'Lee, Ann', topics: ['vision', 'robotics'] },
        { where: 'line 4', email: 'bob@example.org', name: 'Bob' },
      ],
      skipped: [],
    });
  });

  it('reads a plain list of addresses without a header', () => {
    const out = parseSubscriberImport('ann@example.org\nbob@example.org\n', 'people.csv');
    expect(out.rows.map((r) => [r.where, r.email])).toEqual([
      ['line 1', 'ann@example.org'],
      ['line 2', 'bob@example.org'],
    ]);
  });

  it('skips a repeated address, naming the first line', () => {
    const out = parseSubscriberImport('email\nann@example.org\nAnn@Example.org\n', 'a.csv');
    expect(out.rows).toHaveLength(1);
    expect(out.skipped).toEqual([{ where: 'line 3', email: 'ann@example.org', reason: 'same address as line 2' }]);
  });

  it('refuses the whole file, listing every bad row by line', () => {
    const csv = 'email,name,topics\nann@example.org,Ann,vision\nnot-an-address,Bob,\n,Carol,\ndan@example.org,Dan,visoin\n';
    const err = importError(csv, 'list.csv', TOPICS);
    expect(err.code).toBe('INPUT_INVALID');
    expect(err.message).toMatch(/^list\.csv: 3 invalid rows; nothing was imported/);
    expect(err.message).toContain('line 3: "not-an-address" is not a valid email address');
    expect(err.message).toContain('line 4: email is missing');
    expect(err.message).toContain('line 5: topics: unknown topic "visoin"');
  });

  it('names the line of broken CSV and a missing email column', () => {
    expect(importError('email,name\nann@example.org,"Ann\n', 'q.csv').message).toMatch(/^q\.csv: not valid CSV at line 2/);
    expect(importError('address,name\nann@example.org,Ann\n', 'h.csv').message).toMatch(/line 1 must be a header with an "email" column/);
  });
});

describe('JSON import', () => {
  it('reads an array of objects or plain addresses', () => {
    const json = JSON.stringify([{ email: 'ann@example.org', name: 'Ann', topics: ['vision'] }, 'bob@example.org', { email: 'cy@example.org', topics: 'robotics,vision' }]);
    expect(parseSubscriberImport(json, 'list.json', TOPICS).rows).toEqual([
      { where: 'entry [0]', email: 'ann@example.org', name: 'Ann', topics: ['vision'] },
      { where: 'entry [1]', email: 'bob@example.org' },
      { where: 'entry [2]', email: 'cy@example.org', topics: ['robotics', 'vision'] },
    ]);
  });

  it('reads our own file format and brings in only confirmed addresses', () => {
    const file = {
      subscribers: [
        { email: 'ann@example.org', status: 'active', topics: [], createdAt: '2026-01-01T00:00:00Z' },
        { email: 'bob@example.org', status: 'unsubscribed', createdAt: '2026-01-01T00:00:00Z' },
        { email: 'cy@example.org', status: 'pending', createdAt: '2026-01-01T00:00:00Z' },
      ],
    };
    const out = parseSubscriberImport(JSON.stringify(file), 'backup.json');
    // An explicit empty list in JSON means all topics (unlike an empty CSV cell, which keeps the current ones).
    expect(out.rows).toEqual([{ where: 'subscribers[0]', email: 'ann@example.org', topics: [] }]);
    expect(out.skipped.map((s) => [s.where, s.reason])).toEqual([
      ['subscribers[1]', 'status unsubscribed in the file'],
      ['subscribers[2]', 'never confirmed (status pending in the file)'],
    ]);
  });

  it('refuses bad JSON, a wrong shape and bad entries by index', () => {
    expect(importError('[{"email": "a@example.org",}]', 'x.json').message).toMatch(/^x\.json: not valid JSON/);
    expect(importError('{"people": []}', 'x.json').message).toMatch(/expected an array/);
    const err = importError(JSON.stringify([{ email: 'ok@example.org' }, 42, { email: 'ann@example.org', topics: [1] }, { name: 'no address' }]), 'x.json');
    expect(err.message).toMatch(/3 invalid rows/);
    expect(err.message).toContain('entry [1]: expected an object');
    expect(err.message).toContain('entry [2]: topics must be a list of topic ids');
    expect(err.message).toContain('entry [3]: email is missing');
  });
});
