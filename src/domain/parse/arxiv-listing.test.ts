import { describe, expect, it } from 'vitest';
import { parseArxivListing } from './arxiv-listing.js';

const entry = (id: string, type: string, extra = '') => `
  <entry>
    <id>oai:arXiv.org:${id}v1</id>
    <title>Title of ${id} &amp; Caf&#233;</title>
    <updated>2026-12-02T00:00:00-05:00</updated>
    <link href="https://arxiv.org/abs/${id}" rel="alternate" type="text/html"/>
    <summary>arXiv:${id}v1 Announce Type: ${type}
Abstract: We study
  things.</summary>
    <category term="cs.CL" scheme="http://arxiv.org/schemas/atom"/>
    <category term="cs.LG" scheme="http://arxiv.org/schemas/atom"/>
    <published>2026-12-02T00:00:00-05:00</published>
    <arxiv:announce_type>${type}</arxiv:announce_type>
    <dc:creator>Ada Lovelace, Alan Turing and Grace Hopper</dc:creator>${extra}
  </entry>`;
const feed = (entries: string) => `<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns="http://www.w3.org/2005/Atom">
  <id>http://rss.arxiv.org/atom/cs.CL+cs.LG</id>
  <title>cs.CL+cs.LG updates on arXiv.org</title>
  <updated>2026-12-02T05:00:00.000Z</updated>${entries}
</feed>`;
const URL = 'https://rss.arxiv.org/atom/cs.CL+cs.LG';

describe('parseArxivListing', () => {
  it('keeps new and cross-listed papers, skips replacements, and reads the announcement day', () => {
    const l = parseArxivListing(feed(entry('2612.00001', 'new') + entry('2612.00002', 'cross') + entry('2501.00003', 'replace') + entry('2501.00004', 'replace-cross')), URL);
    expect(l).toMatchObject({ announced: '2026-12-02', updated: '2026-12-02', replaced: 2 });
    expect(l.papers.map((p) => p.id)).toEqual(['2612.00001', '2612.00002']);
    expect(l.papers[0]).toMatchObject({
      title: 'Title of 2612.00001 & Café',
      abstract: 'We study things.',
      authors: ['Ada Lovelace', 'Alan Turing', 'Grace Hopper'],
      categories: ['cs.CL', 'cs.LG'],
      url: 'https://arxiv.org/abs/2612.00001',
      pdfUrl: 'https://arxiv.org/pdf/2612.00001',
    });
  });

  it('a feed without entries (weekend, holiday) is an empty listing, not an error', () => {
    expect(parseArxivListing(feed(''), URL)).toEqual({ updated: '2026-12-02', papers: [], replaced: 0 });
  });

  it('refuses a DOCTYPE (no entity can be declared, so none expands)', () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]><feed><title>&b;</title></feed>`;
    expect(() => parseArxivListing(bomb, URL)).toThrow(/https:\/\/rss\.arxiv\.org\/atom\/cs\.CL\+cs\.LG \(arXiv listing feed\): the document declares a DOCTYPE or entities/);
  });

  it('names the URL and what is wrong: an HTML page, cut-off XML, an unknown announce type', () => {
    expect(() => parseArxivListing('<!DOCTYPE html><html><body>Service Unavailable</body></html>', URL)).toThrow(/an HTML page came back instead of the Atom feed/);
    const full = feed(entry('2612.00001', 'new'));
    expect(() => parseArxivListing(full.slice(0, full.length - 40), URL)).toThrow(/\(arXiv listing feed\): line \d+: not well-formed XML/);
    expect(() => parseArxivListing(feed(entry('2612.00001', 'withdrawn')), URL)).toThrow(/feed\.entry\[0\]\.announce_type: unknown announce type "withdrawn"/);
  });
});
