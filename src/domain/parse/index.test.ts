// Inputs that fit no format: each error names the file, what it was read as, and what to do.
import { describe, expect, it } from 'vitest';
import { parseError } from '../../../test/helpers/parse-digest.js';

describe('parseDigest on unknown shapes', () => {
  it('refuses an empty file', () => {
    expect(parseError('', 'empty.json').message).toMatch(/^empty\.json \(no content\): the file is empty\. /);
    expect(parseError(' \n\t\n', 'blank.txt').message).toContain('the file is empty');
  });

  it('recognises a Python repr and says how to write JSON instead', () => {
    const e = parseError("[{'paper': {'id': '2406.19389', 'title': 'T', 'hidden': True, 'x': None}}]", 'hf.json');
    expect(e.message).toBe(
      'hf.json (read as JSON): line 1: this looks like a Python repr (single quotes, True/False/None), not JSON. ' +
        'Write the file with json.dump(data, f) instead of str(data) or print(data)',
    );
  });

  it('points at the line of a JSON syntax error', () => {
    const e = parseError('{\n  "date": "2026-03-14",\n  "papers": [\n    {"id": "1",}\n  ]\n}', 'd.json');
    expect(e.message).toMatch(/^d\.json \(read as JSON\): line 4: not valid JSON: .*\(column 16\)\. Fix the syntax at that spot$/);
  });

  it('explains a wrapper object around the list', () => {
    const e = parseError(JSON.stringify({ data: [{ paper: { id: '1', title: 'T' } }] }), 'wrapped.json');
    expect(e.message).toContain('wrapped.json (JSON of no known digest shape): data: an object wrapping a list in "data"');
    expect(e.message).toContain('save the bare array the API returns');
    expect(e.details.field).toBe('data');
  });

  it('explains a bare list of papers, an empty list and a lone value', () => {
    expect(parseError(JSON.stringify([{ id: '1', title: 'T' }])).message).toContain(
      '[0]: a bare list of papers, without the day it is for. Wrap it as paperboy JSON',
    );
    expect(parseError('[]').message).toContain('an empty JSON array: no papers');
    expect(parseError('[1, 2]').message).toContain('[0]: a JSON array whose items are not Hugging Face daily papers items');
    expect(parseError('{"name": "x"}').message).toContain('an object without "papers" (keys: name)');
  });

  it('refuses XML that is not a feed, text of no known shape, and binary data', () => {
    expect(parseError('<?xml version="1.0"?><rss version="2.0"></rss>', 'feed.xml').message).toContain(
      'feed.xml (XML that is not an Atom feed): the root element is <rss>, not <feed>',
    );
    expect(parseError('meeting notes\n\nnothing to see', 'notes.txt').message).toContain(
      'notes.txt (plain text of no known shape): line 1: no date line',
    );
    expect(parseError('PK\u0003\u0004\u0000\u0000', 'x.zip').message).toContain('the file holds NUL bytes');
  });

  it('detects by content, not by file name', () => {
    // Atom content in a .json file is still read as Atom (and fails as Atom, not as JSON).
    const e = parseError('<feed xmlns="http://www.w3.org/2005/Atom"></feed>', 'looks-like.json');
    expect(e.message).toContain('looks-like.json (read as arXiv Atom feed): feed.entry: the feed has no entries');
  });
});
