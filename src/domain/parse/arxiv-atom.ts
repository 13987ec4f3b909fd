// arXiv API responses (export.arxiv.org/api/query): an Atom <feed> of <entry>s. Parsed with
// fast-xml-parser with every value kept as text (an id like 1801.05530 must never become a number).
import { createRequire } from 'node:module';
import { z } from 'zod';
import type { Digest, Paper } from '../digest.js';
import { cleanList, cleanOptional, cleanText } from '../clean-text.js';
import { arxivIdOf } from '../paper-id.js';
import { datePart, latest } from './dates.js';
import { finishDigest, type Located } from './finish.js';
import { linksIn } from './links.js';
import { digestError, FORMATS_DOC, zodError } from './parse-error.js';
import { MAX_XML_DEPTH, xmlHazard } from './xml-guard.js';

const FORMAT = 'arxiv-atom';

const ARRAYS = new Set(['feed.entry', 'feed.entry.author', 'feed.entry.link', 'feed.entry.category']);

// fast-xml-parser is loaded with the first Atom feed (most digests are JSON or text); it is CommonJS
// too, so a synchronous require keeps parsing synchronous.
type FastXmlParser = typeof import('fast-xml-parser');
let xml: { parser: InstanceType<FastXmlParser['XMLParser']>; validator: FastXmlParser['XMLValidator'] } | undefined;
function xmlTools() {
  if (xml) return xml;
  const { XMLParser, XMLValidator } = createRequire(import.meta.url)('fast-xml-parser') as FastXmlParser;
  xml = { parser: new XMLParser(PARSER_OPTIONS), validator: XMLValidator };
  return xml;
}

const PARSER_OPTIONS = {
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  // arxiv:primary_category → primary_category, whatever prefix the feed binds.
  removeNSPrefix: true,
  // Numeric character references (&#233;) are only decoded with this on.
  htmlEntities: true,
  // xmlHazard() refuses any DOCTYPE first, so no declared entity ever reaches the parser; these
  // limits and the nesting cap are a second fence, not the first.
  processEntities: { enabled: true, maxEntitySize: 1_000, maxEntityCount: 100, maxTotalExpansions: 1000, maxExpandedLength: 100_000 },
  maxNestedTags: MAX_XML_DEPTH + 1,
  isArray: (_name: string, jpath: unknown) => ARRAYS.has(String(jpath)),
};

/** An element's text, whether or not it has attributes (<title type="html">…</title>). */
const xmlText = z.union([z.string(), z.looseObject({ '#text': z.string() }).transform((o) => o['#text'])]);
const attrs = <T extends z.ZodRawShape>(shape: T) => z.looseObject(shape);

/** An empty element (<entry/>, <feed></feed>) parses as ""; treat it as an element with no children. */
const element = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? {} : v), schema);

const Entry = element(z.looseObject({
  id: xmlText,
  title: xmlText,
  summary: xmlText.optional(),
  published: xmlText.optional(),
  updated: xmlText.optional(),
  comment: xmlText.optional(),
  author: z.array(z.looseObject({ name: xmlText.optional() })).optional(),
  link: z.array(attrs({ '@_href': z.string(), '@_rel': z.string().optional(), '@_title': z.string().optional() })).optional(),
  primary_category: attrs({ '@_term': z.string() }).optional(),
  category: z.array(attrs({ '@_term': z.string() })).optional(),
}));
type EntryIn = z.infer<typeof Entry>;

const Feed = z.looseObject({
  feed: element(
    z.looseObject({
      title: xmlText.optional(),
      updated: xmlText.optional(),
      totalResults: xmlText.optional(),
      entry: z.array(Entry).optional(),
    }),
  ),
});

/** arXiv subject classes (cs.RO, math-ph, physics.hist-ph); MSC/ACM codes such as "53D10, 53D15" are dropped. */
const ARXIV_CATEGORY = /^[a-z]+(?:-[a-z]+)*(?:\.[A-Za-z]+(?:-[A-Za-z]+)*)?$/;

function https(u: string | undefined): string | undefined {
  const t = u?.trim();
  if (!t || !URL.canParse(t) || !/^https?:\/\//i.test(t)) return undefined;
  return t.replace(/^http:\/\/(?:export\.)?arxiv\.org\//i, 'https://arxiv.org/');
}

function toPaper(e: EntryIn): Paper {
  const arxiv = arxivIdOf(e.id);
  const id = arxiv ?? e.id.trim();
  const abstract = cleanText(e.summary ?? '');
  const links = e.link ?? [];
  const pdf = links.find((l) => l['@_title'] === 'pdf' || l['@_type'] === 'application/pdf');
  const alternate = links.find((l) => l['@_rel'] === 'alternate');
  const found = linksIn(`${abstract} ${cleanText(e.comment ?? '')}`);
  const categories = cleanList([e.primary_category?.['@_term'] ?? '', ...(e.category ?? []).map((c) => c['@_term'])]);
  return {
    id,
    title: cleanText(e.title),
    abstract,
    authors: cleanList((e.author ?? []).map((a) => a.name ?? '')),
    url: arxiv ? `https://arxiv.org/abs/${arxiv}` : https(alternate?.['@_href']),
    pdfUrl: https(pdf?.['@_href']) ?? (arxiv ? `https://arxiv.org/pdf/${arxiv}` : undefined),
    codeUrl: found.codeUrl,
    projectUrl: found.projectUrl,
    keywords: [],
    categories: categories.filter((c) => ARXIV_CATEGORY.test(c)),
    publishedAt: cleanOptional(e.published),
  };
}

export function parseArxivAtom(text: string, fileName: string): Digest {
  const valid = xmlTools().validator.validate(text);
  if (valid !== true) {
    throw digestError(
      fileName,
      FORMAT,
      { line: valid.err.line },
      `not well-formed XML: ${valid.err.msg} (column ${valid.err.col})`,
      'Download the feed again; a cut-off download often ends like this',
    );
  }
  const hazard = xmlHazard(text);
  if (hazard) throw digestError(fileName, FORMAT, { line: hazard.line }, `${hazard.problem} (column ${hazard.column})`, hazard.fix);
  let parsed: unknown;
  try {
    parsed = xmlTools().parser.parse(text);
  } catch (e) {
    // The checks above leave the parser nothing to refuse; should it still, say so as a digest error.
    throw digestError(
      fileName,
      FORMAT,
      {},
      `the XML parser refused the file: ${(e as Error).message}`,
      'Download the feed from the arXiv API again; if it still fails, please report it with the file',
    );
  }
  const r = Feed.safeParse(parsed, { reportInput: true });
  if (!r.success) {
    throw zodError(fileName, FORMAT, r.error, `Fix that element; the arXiv Atom format is described in ${FORMATS_DOC}`);
  }
  const feed = r.data.feed;
  const entries = feed.entry ?? [];
  // The arXiv API reports a bad query as a feed with one entry titled "Error".
  const apiError = entries.find((e) => e.id.includes('arxiv.org/api/errors'));
  if (apiError) {
    throw digestError(
      fileName,
      FORMAT,
      { field: 'feed.entry[0]' },
      `the arXiv API answered with an error: ${cleanText(apiError.summary ?? apiError.title)}`,
      'Fix the query and download the feed again',
    );
  }
  if (entries.length === 0) {
    throw digestError(
      fileName,
      FORMAT,
      { field: 'feed.entry' },
      `the feed has no entries (totalResults ${feed.totalResults ?? '?'})`,
      'Widen the query or pick another day; a digest needs at least one paper',
    );
  }
  const items: Located[] = entries.map((e, i) => {
    const paper = toPaper(e);
    if (paper.title === '') {
      throw digestError(fileName, FORMAT, { field: `feed.entry[${i}].title` }, 'is blank', 'Give the entry its title or remove it');
    }
    return { paper, where: { field: `feed.entry[${i}]` } };
  });
  // The feed's own <updated> is the day of the query; else the newest entry.
  const date =
    datePart(feed.updated) ?? latest(entries.map((e) => datePart(e.published) ?? datePart(e.updated)));
  if (date === undefined) {
    throw digestError(
      fileName,
      FORMAT,
      { field: 'feed.updated' },
      'no date in the feed or its entries',
      'Add <updated>YYYY-MM-DDT00:00:00Z</updated> to the feed',
    );
  }
  return finishDigest({ date, source: FORMAT, items }, fileName);
}
