// Compiled email templates. Compiling is pure (sources in, functions out); reading the files is the
// adapter's job (src/adapters/template-files.ts).
import { PaperboyError } from '../../errors.js';
import { compileOptions, createHandlebars, type Format, type Hbs } from './handlebars-env.js';
import { cutSlots, type Template } from './slots.js';
import { wrapText } from './wrap-text.js';

export interface TemplateSource {
  /** Path shown in error messages. */
  path: string;
  source: string;
}

export interface PartialSource extends TemplateSource {
  name: string;
  /** Which instance gets it: `x.mjml.hbs` → html, `x.text.hbs` → text, `x.hbs` → both. */
  format: Format | 'both';
}

export interface EmailTemplateSources {
  name: string;
  subject: TemplateSource;
  html: TemplateSource;
  text: TemplateSource;
  partials: PartialSource[];
  /** The issue's archive page (a Handlebars page fragment, not MJML): issue templates only. */
  web?: TemplateSource;
}

type Delegate = (data: unknown) => string;

export interface EmailTemplates {
  name: string;
  files: { subject: string; html: string; text: string };
  /** Plain text (no escaping), one line. */
  subject: Delegate;
  /** Produces MJML with HTML-escaped data. */
  html: Delegate;
  /** Plain text part (no escaping), wrapped at 72 columns (wrap-text.ts). */
  text: Delegate;
  /** The archive page fragment (HTML-escaped data, no slots), for issue templates. */
  web?: Delegate;
  webFile?: string;
  /** The HTML source and partials, so the MJML can be compiled once for all variants (precompile.ts). */
  sources?: { html: TemplateSource; partials: PartialSource[] };
}

/** The issue email: same shape, data is an IssueView. */
export type IssueTemplates = EmailTemplates;

function invalid(path: string, message: string): PaperboyError {
  return new PaperboyError('TEMPLATE_INVALID', `Template ${path} is invalid: ${message}`, { file: path });
}

function checkSyntax(hbs: Hbs, t: TemplateSource, format: Format): void {
  // Every value in the HTML templates is digest text or a link: raw output ({{{x}}}, {{&x}}) would let a
  // digest inject markup or MJML tags.
  if (format === 'html' && /\{\{\{|\{\{~?\s*&/.test(t.source)) {
    throw invalid(t.path, 'raw output ({{{...}}} or {{&...}}) is not allowed in HTML templates; values must be escaped');
  }
  try {
    hbs.parse(t.source);
  } catch (e) {
    throw invalid(t.path, (e as Error).message);
  }
}

/** Wraps a compiled template so any error at render time names the file. */
function wrap(hbs: Hbs, t: TemplateSource, format: Format): Delegate {
  const fn = hbs.compile(t.source, compileOptions(format));
  return (data) => {
    try {
      return fn(data);
    } catch (e) {
      throw invalid(t.path, (e as Error).message);
    }
  };
}

export function compileEmailTemplates(src: EmailTemplateSources): EmailTemplates {
  const html = createHandlebars('html');
  const text = createHandlebars('text');
  for (const p of src.partials) {
    if (p.format === 'html' || p.format === 'both') {
      checkSyntax(html, p, 'html');
      html.registerPartial(p.name, html.compile(p.source, compileOptions('html')));
    }
    if (p.format === 'text' || p.format === 'both') {
      checkSyntax(text, p, 'text');
      text.registerPartial(p.name, text.compile(p.source, compileOptions('text')));
    }
  }
  checkSyntax(text, src.subject, 'text');
  checkSyntax(html, src.html, 'html');
  checkSyntax(text, src.text, 'text');
  if (src.web) checkSyntax(html, src.web, 'html');
  const textPart = wrap(text, src.text, 'text');
  return {
    name: src.name,
    files: { subject: src.subject.path, html: src.html.path, text: src.text.path },
    subject: wrap(text, src.subject, 'text'),
    html: wrap(html, src.html, 'html'),
    text: (data) => wrapText(textPart(data)),
    ...(src.web ? { web: wrap(html, src.web, 'html'), webFile: src.web.path } : {}),
    sources: { html: src.html, partials: src.partials },
  };
}

/** Cuts slots out of a template's output; a mangled or unknown slot is a template error naming the file. */
export function cutTemplateOutput(output: string, file: string): Template {
  try {
    return cutSlots(output);
  } catch (e) {
    throw invalid(file, (e as Error).message);
  }
}
