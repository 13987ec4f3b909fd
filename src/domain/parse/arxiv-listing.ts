// arXiv's listing feed (rss.arxiv.org/atom/cs.CL+cs.LG): one Atom <feed> with an <entry> per paper
// announced in the last mailing, each marked <arxiv:announce_type> new, cross, replace or
// replace-cross. New and cross-listed papers are the day's news; replacements are new versions of
// old papers and are skipped. Weekends and holidays give a feed without entries.
//
// fast-xml-parser is configured for untrusted input: a document with a DOCTYPE (the only way to
// declare entities) is refused before parsing, so nothing expands beyond the fixed character
// references (&amp;, &#233;); every value stays text (an id like 2501.10000 never becomes a number).
import { createRequire } from 'node:module';
import { z } from 'zod';
import type { Paper } from '../digest.js';
import { cleanList, cleanOptional, cleanText } from '../clean-text.js';
import { arxivIdOf } from '../paper-id.js';
import { datePart, latest } from './dates.js';
import { digestError } from './parse-error.js';

const FORMAT = 'arXiv listing feed';
const KEEP = new Set(['new', 'cross']);
const ARRAYS = new Set(['feed.entry', 'feed.entry.category', 'feed.entry.author', 'feed.entry.creator', 'feed.entry.link']);

type FastXmlParser = typeof import('fast-xml-parser');
let xml: { parser: InstanceType<FastXmlParser['XMLParser']>; validator: FastXmlParser['XMLValidator'] } | undefined;
function xmlTools() {
  if (xml) return xml;
  const { XMLParser, XMLValidator } = createRequire(import.meta.url)('fast-xml-parser') as FastXmlParser;
  xml = {
    parser: new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '@_',
      parseTagValue: false,
      parseAttributeValue: false,
      removeNSPrefix: true,
      htmlEntities: true,
      // Declared entities are refused before parsing; these limits are a second fence should one slip through.
      processEntities: { enabled: true, maxEntityCount: 1, maxEntitySize: 1 },
      isArray: (_name: string, jpath: unknown) => ARRAYS.has(String(jpath)),
    }),
    validator: XMLValidator,
  };
  return xml;
}

const text = z.union([z.string(), z.looseObject({ '#text': z.string() }).transform((o) => o['#text'])]);
const element = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? {} : v), schema);

const Entry = element(
  z.looseObject({
    id: text,
    title: text,
    summary: text.optional(),
    published: text.optional(),
    updated: text.optional(),
    announce_type: text.optional(),
    creator: z.array(text).optional(),
    author: z.array(z.looseObject({ name: text.optional() })).optional(),
    category: z.array(z.looseObject({ '@_term': z.string() })).optional(),
    link: z.array(z.looseObject({ '@_href': z.string(), '@_rel': z.string().optional() })).optional(),
  }),
);
type EntryIn = z.infer<typeof Entry>;

const Feed = z.looseObject({
  feed: element(z.looseObject({ title: text.optional(), updated: text.optional(), entry: z.array(Entry).optional() })),
});

export interface ArxivListing {
  /** The announcement day the entries carry (their <published> date, New York time), if any entry has one. */
  announced?: string;
  /** The date of the feed's own <updated>, as written. */
  updated?: string;
  /** New and cross-listed papers, with the metadata the feed has (the arXiv API has more). */
  papers: Paper[];
  /** Entries skipped because they announce a new version of an old paper. */
  replaced: number;
}

/** "arXiv:2404.08700v1 Announce Type: new \nAbstract: We …" → "We …". */
function abstractOf(summary: string | undefined): string {
  const s = summary ?? '';
  const at = s.search(/\bAbstract:\s*/);
  return cleanText(at >= 0 ? s.slice(at).replace(/^Abstract:\s*/, '') : s);
}

/** dc:creator holds "A, B and C" in one element (or one element per author). */
function authorsOf(e: EntryIn): string[] {
  const names = (e.creator ?? []).flatMap((c) => c.split(/,\s*|\s+and\s+/));
  return cleanList(names.length ? names : (e.author ?? []).map((a) => a.name ?? ''));
}

function toPaper(e: EntryIn, id: string): Paper {
  return {
    id,
    title: cleanText(e.title),
    abstract: abstractOf(e.summary),
    authors: authorsOf(e),
    url: `https://arxiv.org/abs/${id}`,
    pdfUrl: `https://arxiv.org/pdf/${id}`,
    keywords: [],
    categories: cleanList((e.category ?? []).map((c) => c['@_term'])),
    ...(cleanOptional(e.published) ? { publishedAt: cleanOptional(e.published) } : {}),
  };
}

/** Parses a listing feed; throws DIGEST_INVALID naming `url`, the line or element, and what was wrong. */
export function parseArxivListing(body: string, url: string): ArxivListing {
  const start = body.replace(/^\uFEFF/, '').trimStart();
  if (/^<!doctype html|^<html/i.test(start)) {
    throw digestError(url, FORMAT, {}, 'an HTML page came back instead of the Atom feed', 'Check PAPERBOY_ARXIV_FEED_URL; arXiv may be down, try again later');
  }
  if (/<!DOCTYPE|<!ENTITY/i.test(body)) {
    throw digestError(url, FORMAT, {}, 'the document declares a DOCTYPE or entities, which a listing feed never has', 'Check PAPERBOY_ARXIV_FEED_URL points at rss.arxiv.org/atom/<categories>');
  }
  const valid = xmlTools().validator.validate(body);
  if (valid !== true) {
    throw digestError(url, FORMAT, { line: valid.err.line }, `not well-formed XML: ${valid.err.msg} (column ${valid.err.col})`, 'A cut-off answer often ends like this; it is fetched again later');
  }
  const r = Feed.safeParse(xmlTools().parser.parse(body));
  if (!r.success) {
    const first = r.error.issues[0];
    const field = first ? first.path.join('.') : 'feed';
    throw digestError(url, FORMAT, { field }, `not a listing feed: ${first?.message ?? 'unexpected shape'}`, 'Check PAPERBOY_ARXIV_FEED_URL points at rss.arxiv.org/atom/<categories>');
  }
  const entries = r.data.feed.entry ?? [];
  const papers: Paper[] = [];
  let replaced = 0;
  const seen = new Set<string>();
  entries.forEach((e, i) => {
    const type = cleanText(e.announce_type ?? '').toLowerCase();
    if (!KEEP.has(type)) {
      if (type.startsWith('replace')) return void replaced++;
      throw digestError(url, FORMAT, { field: `feed.entry[${i}].announce_type` }, `unknown announce type "${type || '(none)'}"`, 'arXiv may have changed the feed; please report it');
    }
    const id = arxivIdOf(e.id.replace(/^oai:arXiv\.org:/i, '')) ?? arxivIdOf(e.link?.find((l) => l['@_rel'] !== 'related')?.['@_href'] ?? '');
    if (!id) throw digestError(url, FORMAT, { field: `feed.entry[${i}].id` }, `no arXiv id in "${e.id}"`, 'arXiv may have changed the feed; please report it');
    if (seen.has(id)) return;
    seen.add(id);
    const paper = toPaper(e, id);
    if (paper.title === '') throw digestError(url, FORMAT, { field: `feed.entry[${i}].title` }, 'is blank', 'arXiv may have changed the feed; please report it');
    papers.push(paper);
  });
  const announced = latest(entries.map((e) => datePart(e.published) ?? datePart(e.updated)));
  const updated = datePart(r.data.feed.updated);
  return { ...(announced ? { announced } : {}), ...(updated ? { updated } : {}), papers, replaced };
}
