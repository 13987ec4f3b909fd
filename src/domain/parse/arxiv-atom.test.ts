import { describe, expect, it } from 'vitest';
import { parse, parseError } from '../../../test/helpers/parse-digest.js';

const entry = (over: { id?: string; title?: string | null; extra?: string } = {}) => `
  <entry>
    <id>${over.id ?? 'http://arxiv.org/abs/2510.14968v2'}</id>
    <updated>2025-10-16T17:59:37Z</updated>
    <published>2025-10-16T17:59:37Z</published>
    ${over.title === null ? '' : `<title>${over.title ?? 'RDD: Retrieval-Based Demonstration Decomposer for Planner Alignment in\n  Long-Horizon Tasks'}</title>`}
    <summary>  To tackle long-horizon tasks &amp; more, see
https://github.com/rdd/rdd. Caf&#233; $\\alpha$.
</summary>
    <author><name>Mingxuan Yan</name></author>
    <author><name>Yuping Wang</name></author>
    <arxiv:comment xmlns:arxiv="http://arxiv.org/schemas/atom">NeurIPS 2025</arxiv:comment>
    <link href="http://arxiv.org/abs/2510.14968v2" rel="alternate" type="text/html"/>
    <link title="pdf" href="http://arxiv.org/pdf/2510.14968v2" rel="related" type="application/pdf"/>
    <arxiv:primary_category xmlns:arxiv="http://arxiv.org/schemas/atom" term="cs.RO" scheme="http://arxiv.org/schemas/atom"/>
    <category term="cs.AI" scheme="http://arxiv.org/schemas/atom"/>
    <category term="cs.RO" scheme="http://arxiv.org/schemas/atom"/>
    <category term="53D10, 53D15" scheme="http://arxiv.org/schemas/atom"/>
    ${over.extra ?? ''}
  </entry>`;
const feed = (entries: string, updated = '<updated>2025-10-17T00:00:00-04:00</updated>') => `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="html">ArXiv Query: search_query=cat:cs.RO&amp;start=0</title>
  ${updated}
  <opensearch:totalResults xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">5619</opensearch:totalResults>
  ${entries}
</feed>`;

describe('arXiv Atom', () => {
  it('maps an entry: versionless id, links, primary category first, entities decoded', () => {
    const d = parse(feed(entry()), 'query.atom.xml');
    expect(d).toMatchObject({ date: '2025-10-17', source: 'arxiv-atom' });
    expect(d).not.toHaveProperty('title');
    expect(d.papers).toEqual([
      {
        id: '2510.14968',
        title: 'RDD: Retrieval-Based Demonstration Decomposer for Planner Alignment in Long-Horizon Tasks',
        abstract: 'To tackle long-horizon tasks & more, see https://github.com/rdd/rdd. Café $\\alpha$.',
        authors: ['Mingxuan Yan', 'Yuping Wang'],
        url: 'https://arxiv.org/abs/2510.14968',
        pdfUrl: 'https://arxiv.org/pdf/2510.14968v2',
        codeUrl: 'https://github.com/rdd/rdd',
        keywords: [],
        categories: ['cs.RO', 'cs.AI'],
        publishedAt: '2025-10-16T17:59:37Z',
      },
    ]);
  });

  it('keeps old-style ids and titles that look like numbers as strings', () => {
    const d = parse(feed(entry({ id: 'http://arxiv.org/abs/hep-th/9901001v1', title: '1234' })), 'q.xml');
    expect(d.papers[0]?.id).toBe('hep-th/9901001');
    expect(d.papers[0]?.title).toBe('1234');
    expect(d.papers[0]?.url).toBe('https://arxiv.org/abs/hep-th/9901001');
  });

  it('dates the digest by the newest entry when the feed has no <updated>', () => {
    const d = parse(feed(entry() + entry({ id: 'http://arxiv.org/abs/0802.2137v3' }).replace(/2025-10-16/g, '2008-02-15'), ''), 'q.xml');
    expect(d.date).toBe('2025-10-16');
    expect(d.papers.map((p) => p.id)).toEqual(['2510.14968', '0802.2137']);
  });

  it('names an entry without a title', () => {
    const e = parseError(feed(entry() + entry({ id: 'http://arxiv.org/abs/2510.00001v1', title: null })), 'q.xml');
    expect(e.message).toContain('q.xml (read as arXiv Atom feed): feed.entry[1].title: is missing');
  });

  it('reports malformed XML with its line', () => {
    const e = parseError(feed(entry()).replace('</summary>', ''), 'q.xml');
    expect(e.message).toMatch(/^q\.xml \(read as arXiv Atom feed\): line \d+: not well-formed XML: /);
    expect(e.details.line).toBeGreaterThan(1);
  });

  it('passes on an error the arXiv API answered with', () => {
    const err = `<entry><id>http://arxiv.org/api/errors#incorrect_id_format_for_1234.1234v4</id><title>Error</title>
      <summary>incorrect id format for 1234.1234v4</summary></entry>`;
    expect(parseError(feed(err), 'q.xml').message).toContain(
      'the arXiv API answered with an error: incorrect id format for 1234.1234v4',
    );
  });

  it('refuses a feed without entries', () => {
    expect(parseError(feed(''), 'q.xml').message).toContain('feed.entry: the feed has no entries (totalResults 5619)');
  });
});
