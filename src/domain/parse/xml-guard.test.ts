import { describe, expect, it } from 'vitest';
import { MAX_XML_DEPTH, xmlHazard } from './xml-guard.js';

const nested = (depth: number) => `${'<a>'.repeat(depth)}x${'</a>'.repeat(depth)}`;

describe('xmlHazard', () => {
  it('finds a DOCTYPE with its line and column, whatever it declares', () => {
    expect(xmlHazard('<?xml version="1.0"?>\n  <!DOCTYPE feed>\n<feed/>')).toMatchObject({ line: 2, column: 3, problem: expect.stringMatching(/DOCTYPE/) });
    expect(xmlHazard('<!doctype feed [<!ENTITY a "b">]><feed>&a;</feed>')).toMatchObject({ line: 1, column: 1 });
  });

  it('passes over DOCTYPE text inside comments and CDATA, and ">" inside attribute values', () => {
    expect(xmlHazard('<feed><!-- <!DOCTYPE x> --><t><![CDATA[<!DOCTYPE y>]]></t><link title="a>b" href=\'c>d\'/></feed>')).toBeUndefined();
  });

  it('counts nesting, not siblings or empty elements', () => {
    expect(xmlHazard(nested(MAX_XML_DEPTH))).toBeUndefined();
    expect(xmlHazard(`<feed>${'<entry><id>1</id><link href="x"/></entry>'.repeat(10_000)}</feed>`)).toBeUndefined();
    expect(xmlHazard(`<r>\n${nested(MAX_XML_DEPTH)}</r>`)).toMatchObject({ line: 2, column: 3 * (MAX_XML_DEPTH - 1) + 1, problem: expect.stringMatching(/nested more than 64 deep/) });
  });

  it('scans a hundred thousand levels in one pass', () => {
    expect(xmlHazard(nested(100_000))?.problem).toMatch(/nested/);
  });
});
