// Reads email templates from <templatesDir>/emails/<name>/ and <templatesDir>/partials/, compiles them and
// renders them once with sample data through MJML strict, so a broken template fails at load naming its file.
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { SHIPPED_TEMPLATES } from '../config.js';
import { PaperboyError } from '../errors.js';
import {
  compileEmailTemplates,
  validateEmailTemplates,
  validateIssueTemplates,
  type EmailTemplates,
  type IssueTemplates,
  type PartialSource,
  type TemplateSource,
} from '../domain/render/index.js';
import { namesIn } from './list-dir.js';

const FILES = { subject: 'subject.hbs', html: 'html.mjml.hbs', text: 'text.hbs' } as const;

/** Paths in messages: relative to the working directory when inside it. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') ? rel : path;
}

async function readSource(path: string): Promise<TemplateSource> {
  try {
    return { path: shown(path), source: await readFile(path, 'utf8') };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new PaperboyError(
      'TEMPLATE_INVALID',
      `Template ${shown(path)} cannot be read (${code ?? (e as Error).message}): check templatesDir (PAPERBOY_TEMPLATES_DIR).`,
      { file: path },
    );
  }
}

/** templates/partials/*.hbs: `x.mjml.hbs` for HTML, `x.text.hbs` for text, `x.hbs` for both; the partial is `x`. */
export async function readPartials(templatesDir: string): Promise<PartialSource[]> {
  const dir = join(templatesDir, 'partials');
  const names = (await namesIn(dir)).filter((n) => n.endsWith('.hbs')).sort();
  const out: PartialSource[] = [];
  for (const file of names) {
    const m = /^(.+?)(?:\.(mjml|text))?\.hbs$/.exec(file);
    if (!m) continue;
    const src = await readSource(join(dir, file));
    out.push({ ...src, name: m[1]!, format: m[2] === 'mjml' ? 'html' : m[2] === 'text' ? 'text' : 'both' });
  }
  return out;
}

async function compileFrom(templatesDir: string, name: string, web?: TemplateSource): Promise<EmailTemplates> {
  const dir = join(templatesDir, 'emails', name);
  const [subject, html, text, partials] = await Promise.all([
    readSource(join(dir, FILES.subject)),
    readSource(join(dir, FILES.html)),
    readSource(join(dir, FILES.text)),
    readPartials(templatesDir),
  ]);
  return compileEmailTemplates({ name, subject, html, text, partials, ...(web ? { web } : {}) });
}

/** The issue's archive page: <templatesDir>/pages/archive-issue.hbs, else paperboy's own (as for every page). */
const WEB_TEMPLATE = join('pages', 'archive-issue.hbs');

export async function loadIssueTemplates(templatesDir: string): Promise<IssueTemplates> {
  const own = join(templatesDir, WEB_TEMPLATE);
  const web = await readSource(existsSync(own) ? own : join(SHIPPED_TEMPLATES, WEB_TEMPLATE));
  const t = await compileFrom(templatesDir, 'issue', web);
  await validateIssueTemplates(t);
  return t;
}

export async function loadEmailTemplates(templatesDir: string, name: string): Promise<EmailTemplates> {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw new PaperboyError('TEMPLATE_INVALID', `Email template name "${name}" is not a plain folder name.`);
  const t = await compileFrom(templatesDir, name);
  await validateEmailTemplates(t);
  return t;
}
