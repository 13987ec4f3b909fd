// What an XML digest must not contain, checked before the XML parser sees it. An arXiv Atom feed has
// no DOCTYPE, and a DOCTYPE is the door to every entity attack (billion laughs, external and
// parameter entities reading files or URLs), so any DOCTYPE is refused rather than "safely" read.
// Elements nest four deep in a feed; a document nested thousands deep is an attack on the parser.
// The scan is one linear pass of a regular expression with no nested quantifiers.

/** Deepest element nesting accepted (an Atom feed needs 4; XHTML content a few more). */
export const MAX_XML_DEPTH = 64;

export interface XmlHazard {
  line: number;
  column: number;
  problem: string;
  fix: string;
}

// One match per markup item: comment, CDATA, processing instruction, DOCTYPE, other declaration,
// closing tag, opening or empty tag (attribute values may hold ">", so they are matched whole).
const MARKUP =
  /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>|(<!DOCTYPE)|<![^>]*>|<\/[^>]*>|<[^\s/>!?][^\s/>]*(?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*\s*(\/?)>/gi;

function position(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** The first DOCTYPE or over-deep element in well-formed XML, or undefined when there is none. */
export function xmlHazard(text: string): XmlHazard | undefined {
  let depth = 0;
  for (const m of text.matchAll(MARKUP)) {
    const tag = m[0];
    if (m[1] !== undefined) {
      return {
        ...position(text, m.index),
        problem: 'the file declares a DOCTYPE; paperboy reads no DTDs or entity declarations (they can expand to gigabytes or read local files and URLs), and arXiv feeds have none',
        fix: 'Remove the <!DOCTYPE …> declaration, or download the feed from the arXiv API again',
      };
    }
    if (tag.startsWith('</')) depth--;
    else if (tag.startsWith('<!') || tag.startsWith('<?')) continue;
    else if (m[2] !== '/' && ++depth > MAX_XML_DEPTH) {
      return {
        ...position(text, m.index),
        problem: `elements are nested more than ${MAX_XML_DEPTH} deep (an Atom feed needs 4)`,
        fix: 'This is not an arXiv feed; download the feed from the arXiv API again',
      };
    }
  }
  return undefined;
}
