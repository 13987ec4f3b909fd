import { describe, expect, it } from 'vitest';
import { jsonErrorOffset } from './json-error-offset.js';

describe('jsonErrorOffset', () => {
  it('finds the first syntax error', () => {
    expect(jsonErrorOffset('{"a": [,]}')).toBe(7);
    expect(jsonErrorOffset('{"a": 1,}')).toBe(8);
    expect(jsonErrorOffset('{"a": 1 "b": 2}')).toBe(8);
    expect(jsonErrorOffset("{'a': 1}")).toBe(1);
    expect(jsonErrorOffset('{"a": True}')).toBe(6);
    expect(jsonErrorOffset('{"a": "unterminated')).toBe(19);
    expect(jsonErrorOffset('{"a": "bad \\x escape"}')).toBe(12);
    expect(jsonErrorOffset('[1, 2] trailing')).toBe(7);
    expect(jsonErrorOffset('[01]')).toBe(2);
  });

  it('agrees with JSON.parse on valid input', () => {
    for (const ok of ['{}', '[]', '{"a": [1, -2.5e3, true, false, null, "x\\u00e9"]}', ' "s" ']) {
      expect(() => JSON.parse(ok)).not.toThrow();
      expect(jsonErrorOffset(ok)).toBeUndefined();
    }
  });
});

describe('jsonErrorOffset on hostile input', () => {
  it('finds the position in JSON nested a million deep (no recursion)', () => {
    const deep = '['.repeat(1_000_000);
    expect(jsonErrorOffset(deep)).toBe(deep.length);
    expect(jsonErrorOffset(`${'{"a":'.repeat(200_000)}1,}`)).toBe(200_000 * 5 + 2);
    expect(jsonErrorOffset(`${'['.repeat(500_000)}${']'.repeat(500_000)}`)).toBeUndefined();
  });
});
