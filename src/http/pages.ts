// Server-rendered pages: Handlebars templates in <templatesDir>/pages/ (a layout plus one file per
// page), falling back per file to the ones shipped with paperboy, so a customised folder may
// override only some pages. Compiled once at start; no JavaScript in any page.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { PaperboyError } from '../errors.js';

export const PAGE_NAMES = [
  'signup',
  'check-inbox',
  'confirm',
  'confirmed',
  'link-invalid',
  'unsubscribe',
  'unsubscribed',
  'preferences',
  'stop-topic',
  'topic-stopped',
  'archive',
  'message',
] as const;
export type PageName = (typeof PAGE_NAMES)[number];

export interface Pages {
  /** `data.title` names the page; `base` (path prefix of baseUrl) and `siteName` are added for every page. */
  render(name: PageName, data: Record<string, unknown>): string;
  /** The layout around HTML made elsewhere (an issue's archive page, rendered when it was sent). */
  wrap(title: string, body: string): string;
  css: string;
}

const BUILTIN_DIR = fileURLToPath(new URL('../../templates/pages/', import.meta.url));

function readPageFile(templatesDir: string, file: string): string {
  for (const dir of [join(templatesDir, 'pages'), BUILTIN_DIR]) {
    const path = join(dir, file);
    if (existsSync(path)) return readFileSync(path, 'utf8');
  }
  throw new PaperboyError('TEMPLATE_INVALID', `Page template ${file} is missing from ${join(templatesDir, 'pages')} and from paperboy's own templates.`);
}

export function loadPages(templatesDir: string, site: { base: string; siteName: string }): Pages {
  const hbs = Handlebars.create();
  const compile = (file: string) => {
    const source = readPageFile(templatesDir, file);
    try {
      hbs.precompile(source); // compile() is lazy: surface syntax errors at start, not on first visit
      return hbs.compile(source);
    } catch (e) {
      throw new PaperboyError('TEMPLATE_INVALID', `Page template ${file}: ${(e as Error).message}`);
    }
  };
  const layout = compile('layout.hbs');
  const pages = new Map(PAGE_NAMES.map((name) => [name, compile(`${name}.hbs`)] as const));
  const css = readPageFile(templatesDir, 'style.css');
  return {
    css,
    render(name, data) {
      const ctx = { ...site, ...data };
      const body = pages.get(name)!(ctx);
      return layout({ ...ctx, body });
    },
    wrap(title, body) {
      return layout({ ...site, title, body });
    },
  };
}
