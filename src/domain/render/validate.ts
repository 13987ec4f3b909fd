// Load-time checks: render every template with sample data through MJML strict, so a broken template
// stops the program at start with its file name instead of failing mid-send.
import { PaperboyError } from '../../errors.js';
import { renderEmail } from './render-email.js';
import { personalise, renderVariant, renderWebEdition } from './render-variant.js';
import { SAMPLE_EMAIL_DATA, SAMPLE_ISSUE, SAMPLE_SUBSCRIBER } from './sample-data.js';
import type { EmailTemplates, IssueTemplates } from './templates.js';

// The Gmail app drops a <style> block over 16 KB.
export const MAX_HEAD_CSS_BYTES = 16 * 1024;

export function headCssBytes(html: string): number {
  let n = 0;
  for (const m of html.matchAll(/<style[^>]*>([\s\S]*?)<\/style>/gi)) n += Buffer.byteLength(m[1] ?? '', 'utf8');
  return n;
}

function checkHtml(html: string, file: string): void {
  const css = headCssBytes(html);
  if (css > MAX_HEAD_CSS_BYTES) {
    throw new PaperboyError('TEMPLATE_INVALID', `Template ${file}: head CSS is ${css} bytes; keep it under ${MAX_HEAD_CSS_BYTES} (the Gmail app drops larger <style> blocks).`, { file });
  }
}

export async function validateIssueTemplates(t: IssueTemplates): Promise<void> {
  // Short abstracts so trimmed ones render too; then a budget nothing fits, so brief papers, titles
  // alone and the "more" line render as well.
  const limits = { maxAbstractChars: 80, maxHtmlBytes: 1_000_000 };
  const base = { baseUrl: 'https://example.org', publication: { name: 'Sample papers', contact: 'Sample Street 1' } };
  const v = await renderVariant(SAMPLE_ISSUE, t, { topics: null, limits, ...base });
  if (!v) throw new Error('sample issue rendered empty');
  if (!v.subject) throw new PaperboyError('TEMPLATE_INVALID', `Template ${t.files.subject} renders an empty subject.`, { file: t.files.subject });
  for (const name of ['Ada', '']) {
    const out = personalise(v, { ...SAMPLE_SUBSCRIBER, name });
    checkHtml(out.html, t.files.html);
  }
  await renderVariant(SAMPLE_ISSUE, t, { topics: null, limits: { ...limits, maxHtmlBytes: 1 }, ...base });
  await renderVariant(SAMPLE_ISSUE, t, { topics: ['sample-b'], limits, ...base });
  if (t.web) {
    try {
      renderWebEdition(SAMPLE_ISSUE, t, { limits, ...base });
    } catch (e) {
      if (e instanceof PaperboyError) throw e;
      throw new PaperboyError('TEMPLATE_INVALID', `Template ${t.webFile}: ${(e as Error).message}`, { file: t.webFile });
    }
  }
}

export async function validateEmailTemplates(t: EmailTemplates): Promise<void> {
  const out = await renderEmail(t, SAMPLE_EMAIL_DATA);
  if (!out.subject) throw new PaperboyError('TEMPLATE_INVALID', `Template ${t.files.subject} renders an empty subject.`, { file: t.files.subject });
  checkHtml(out.html, t.files.html);
}
