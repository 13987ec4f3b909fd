import { describe, expect, it } from 'vitest';
import { detectFormat, sniff } from './sniff.js';

const atom = `<?xml version="1.0" encoding="UTF-8"?>
<!-- saved from the arXiv API -->
<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/abs/2501.01234v1</id></entry></feed>`;

describe('detectFormat', () => {
  it('recognises each format from its content', () => {
    expect(detectFormat('{"date": "2026-03-14", "papers": []}')).toBe('paperboy-json');
    expect(detectFormat('[{"paper": {"id": "2406.19389", "title": "T"}, "numComments": 0}]')).toBe('hf-daily');
    expect(detectFormat(atom)).toBe('arxiv-atom');
    expect(detectFormat('new\n\nSubscribe\n\nMar 14\n\nA Title\n\nAn abstract.')).toBe('hf-trending-text');
  });

  it('does not care about a byte-order mark or leading blank lines', () => {
    expect(detectFormat('\uFEFF\n\n  {"papers": []}')).toBe('paperboy-json');
  });

  it('detects paperboy JSON by its "papers" key even when the date is missing (so the error can name it)', () => {
    expect(detectFormat('{"papers": [{"id": "1"}]}')).toBe('paperboy-json');
  });

  it('returns null for shapes it does not know', () => {
    expect(detectFormat('')).toBeNull();
    expect(detectFormat('   \n')).toBeNull();
    expect(detectFormat('{"data": [{"paper": {}}]}')).toBeNull();
    expect(detectFormat('[]')).toBeNull();
    expect(detectFormat('[{"id": "1", "title": "T"}]')).toBeNull();
    expect(detectFormat("[{'paper': {'id': '2406.19389'}}]")).toBeNull();
    expect(detectFormat('<?xml version="1.0"?><rss version="2.0"><channel/></rss>')).toBeNull();
    expect(detectFormat('just some notes\n\nwith no date line')).toBeNull();
    expect(detectFormat('a\u0000b')).toBeNull();
  });

  it('still reads a trending page whose first line happens to start with a bracket', () => {
    expect(detectFormat('[Re] Reproducing things\n\nGet trending papers in your email inbox!\n\nMar 14\n\nT\n\nA.')).toBe(
      'hf-trending-text',
    );
  });
});

describe('sniff', () => {
  it('notices Python reprs and reports where JSON breaks', () => {
    const py = sniff("[{'paper': {'id': '2406.19389', 'hidden': True}}]");
    expect(py).toMatchObject({ kind: 'bad-json', python: true });
    const bad = sniff('{\n  "date": "2026-03-14",\n  "papers": [,]\n}');
    expect(bad).toMatchObject({ kind: 'bad-json', python: false, line: 3 });
  });

  it('names the root element of XML that is not a feed', () => {
    expect(sniff('<rss version="2.0"></rss>')).toEqual({ kind: 'xml', format: null, root: 'rss' });
    expect(sniff('<atom:feed xmlns:atom="http://www.w3.org/2005/Atom"/>')).toMatchObject({ format: 'arxiv-atom' });
  });
});
