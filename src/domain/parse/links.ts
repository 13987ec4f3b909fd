// Links found in free text (abstracts): "Code is available at https://github.com/x/y." must give
// https://github.com/x/y, not a URL ending in a full stop.

const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"'`{}|\\^]+/gi;
const TRAILING = new Set(['.', ',', ';', ':', '!', '?', "'", '"', '”', '’', '»', '*']);
const CLOSERS: Record<string, string> = { ')': '(', ']': '[' };

function count(s: string, ch: string): number {
  let n = 0;
  for (const c of s) if (c === ch) n++;
  return n;
}

/** Strips sentence punctuation after a URL, and a closing bracket that has no opening one inside it. */
export function trimUrl(raw: string): string {
  let u = raw;
  for (;;) {
    const last = u.at(-1);
    if (last === undefined) return u;
    const opener = CLOSERS[last];
    if (TRAILING.has(last) || (opener !== undefined && count(u, opener) < count(u, last))) u = u.slice(0, -1);
    else return u;
  }
}

/** Hosts whose links are code (or model/data artefacts), as opposed to project pages. */
function isCodeHost(url: URL): boolean {
  const host = url.hostname.toLowerCase().replace(/^www\./, '');
  if (host === 'huggingface.co' || host === 'hf.co') return !url.pathname.startsWith('/papers');
  return (
    host === 'github.com' ||
    host === 'gitlab.com' ||
    host.startsWith('gitlab.') ||
    host === 'bitbucket.org' ||
    host === 'codeberg.org' ||
    host === 'git.sr.ht' ||
    host === 'sourceforge.net'
  );
}

/** Links to the paper itself are not project pages. */
function isPaperLink(url: URL): boolean {
  const host = url.hostname.toLowerCase().replace(/^www\./, '');
  return host === 'arxiv.org' || host === 'export.arxiv.org' || host === 'doi.org' || host === 'dx.doi.org';
}

/** All http(s) URLs in the text as written, trimmed of trailing punctuation, in order. */
export function urlsIn(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(URL_IN_TEXT)) {
    const raw = trimUrl(m[0]);
    if (URL.canParse(raw)) out.push(raw);
  }
  return out;
}

/** The first code link (github, gitlab, huggingface, ...) and the first other non-paper link. */
export function linksIn(text: string): { codeUrl?: string; projectUrl?: string } {
  let codeUrl: string | undefined;
  let projectUrl: string | undefined;
  for (const raw of urlsIn(text)) {
    const url = new URL(raw);
    if (isCodeHost(url)) codeUrl ??= raw;
    else if (!isPaperLink(url)) projectUrl ??= raw;
  }
  return { codeUrl, projectUrl };
}
