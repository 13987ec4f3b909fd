// Simple one-off emails (the double opt-in confirmation): rendered per message, which is fine at the
// rate sign-ups arrive. Data is escaped by Handlebars; links go through the httpUrl helper.
import { cleanText } from './clean.js';
import { compileMjml } from './mjml.js';
import { fillTemplate, type SubscriberFields } from './slots.js';
import { cutTemplateOutput, type EmailTemplates } from './templates.js';

const str = (v: unknown) => (typeof v === 'string' ? v : '');

export async function renderEmail(tpl: EmailTemplates, data: object): Promise<{ subject: string; html: string; text: string }> {
  const subject = cleanText(tpl.subject(data));
  const d = data as Record<string, unknown>;
  const view = { preheader: subject, ...data, subject };
  // A one-off template may still use slot helpers; fill them from the data.
  const values: SubscriberFields = {
    name: str(d.name),
    email: str(d.email),
    unsubscribeUrl: str(d.unsubscribeUrl),
    preferencesUrl: str(d.preferencesUrl),
    webUrl: str(d.webUrl),
    stopTopicUrl: str(d.stopTopicUrl),
  };
  const html = fillTemplate(cutTemplateOutput(await compileMjml(tpl.html(view), tpl.files.html), tpl.files.html), values, 'html');
  const text = fillTemplate(cutTemplateOutput(tpl.text(view), tpl.files.text), values, 'text');
  return { subject, html, text };
}
