// Whole messages through nodemailer's MailComposer: for one-off mails (confirmation, test sends of
// the reference factory). Issue mail in bulk goes through the spliced MIME template instead.
import MailComposer from 'nodemailer/lib/mail-composer';
import { safeDisplayName } from '../domain/message-ids.js';

export interface ComposeInput {
  from: string;
  /** A bare address, or a name and address (the name is cleaned of CR/LF and other controls). */
  to: string | { name?: string; address: string };
  subject: string;
  html: string;
  text: string;
  headers?: Record<string, string>;
  /** Reply-To, as configured (replyTo). */
  replyTo?: string;
  messageId: string;
  date?: Date;
}

const stripControls = (v: string) => v.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();

/** The raw RFC 5322 message (CRLF line ends, quoted-printable UTF-8 bodies). */
export async function composeMessage(m: ComposeInput): Promise<string> {
  const to = typeof m.to === 'string' ? m.to : { name: safeDisplayName(m.to.name) ?? '', address: m.to.address };
  const headers: Record<string, string> = {};
  // Header values from outside (names, URLs) must not carry a line break that starts a new header.
  for (const [k, v] of Object.entries(m.headers ?? {})) headers[k] = stripControls(v);
  const composer = new MailComposer({
    from: m.from,
    to,
    subject: stripControls(m.subject),
    html: m.html,
    text: m.text,
    headers,
    ...(m.replyTo ? { replyTo: m.replyTo } : {}),
    messageId: m.messageId,
    date: m.date ?? new Date(),
    textEncoding: 'quoted-printable',
    newline: 'win',
  });
  const buf = await composer.compile().build();
  return buf.toString('utf8');
}
