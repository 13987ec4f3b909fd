// MJML → HTML, once per variant. Strict validation: a template that MJML would "fix" silently is an error.
import type mjml2html from 'mjml';
import { PaperboyError } from '../../errors.js';

interface MjmlIssue {
  line?: number;
  message?: string;
  tagName?: string;
}

// Imported on first use, not with this module: mjml and its dependencies are ~55 MB of RSS, which
// commands that never render (status, subscribers, --help) should not pay.
let loaded: Promise<typeof mjml2html> | undefined;
function loadMjml(): Promise<typeof mjml2html> {
  // mjml ships CJS with `exports.default`; depending on the loader the default import is the
  // function or the module object. Accept both.
  loaded ??= import('mjml').then((m) => {
    const f = m.default as unknown as { default?: typeof mjml2html };
    return (f.default ?? f) as typeof mjml2html;
  });
  return loaded;
}

/**
 * Compiles generated MJML. `file` names the template in errors; line numbers in MJML's messages refer to
 * the generated MJML, so the offending line is quoted.
 */
export async function compileMjml(mjml: string, file: string): Promise<string> {
  const compile = await loadMjml();
  let result;
  try {
    // No minify: mjml 5.4's minifier wants cssnano (Node 22). No includes: templates are self-contained.
    result = await compile(mjml, { validationLevel: 'strict', keepComments: false, ignoreIncludes: true });
  } catch (e) {
    const issues = ((e as { errors?: MjmlIssue[] }).errors ?? []) as MjmlIssue[];
    const lines = mjml.split('\n');
    const described = issues.length
      ? issues.map((i) => {
          const src = i.line ? lines[i.line - 1]?.trim().slice(0, 120) : undefined;
          return `  - ${i.tagName ? `<${i.tagName}>: ` : ''}${i.message ?? 'invalid'}${src ? `\n      at generated line ${i.line}: ${src}` : ''}`;
        })
      : [`  - ${(e as Error).message}`];
    throw new PaperboyError('TEMPLATE_INVALID', `Template ${file} does not compile as MJML (strict):\n${described.join('\n')}`, {
      file,
      issues,
    });
  }
  if (result.errors.length > 0) {
    throw new PaperboyError('TEMPLATE_INVALID', `Template ${file} has MJML errors: ${result.errors.map((x) => x.formattedMessage).join('; ')}`, { file });
  }
  return collapseIndentation(result.html);
}

/**
 * MJML indents its output; on a 60-paper issue that is ~15% of the bytes, and Gmail clips at ~102 KB.
 * A whitespace run containing a newline renders exactly like a single newline in HTML (outside <pre> and
 * <textarea>, which these emails do not use; if one appears, the output is left alone).
 */
export function collapseIndentation(html: string): string {
  if (/<(pre|textarea)\b/i.test(html)) return html;
  return html.replace(/\n[ \t\r\n]+/g, '\n');
}
