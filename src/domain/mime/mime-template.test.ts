import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { describe, expect, it } from 'vitest';
import { compileMimeTemplate, escapeHtmlLikeHandlebars, type SlotTemplate } from './mime-template.js';
import { markedPassesUnchanged, passesUnchanged } from './smtp-data.js';
import { randomText, seeded } from './test-strings.js';

type Key = 'name' | 'email' | 'unsubscribeUrl' | 'preferencesUrl' | 'webUrl';
const KEYS: Key[] = ['name', 'email', 'unsubscribeUrl', 'preferencesUrl', 'webUrl'];

/** What the renderer's fillTemplate does: plain joins, values HTML-escaped in the HTML part. */
function fill(t: SlotTemplate<Key>, values: Record<Key, string>, html: boolean): string {
  let out = t.chunks[0]!;
  t.keys.forEach((k, i) => (out += (html ? escapeHtmlLikeHandlebars(values[k]) : values[k]) + t.chunks[i + 1]!));
  return out;
}

const lf = (s: string) => s.replace(/\r\n/g, '\n');
const address = (a: AddressObject | AddressObject[] | undefined) => (Array.isArray(a) ? a[0] : a)?.value[0];

interface Case {
  from: string;
  subject: string;
  text: SlotTemplate<Key>;
  html: SlotTemplate<Key>;
  toName?: string;
  values: Record<Key, string>;
  messageId: string;
  unsubscribeUrl: string;
}

function checkLines(raw: string): void {
  expect(raw.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  const lines = raw.split('\r\n');
  for (const line of lines) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(998);
  expect(raw).toMatch(/^[\x00-\x7f]*$/);
  // Body lines (after the first blank line) are quoted-printable or MIME structure: at most 76.
  const body = lines.slice(lines.indexOf('') + 1);
  for (const line of body) expect(line.length).toBeLessThanOrEqual(76);
}

async function checkCase(c: Case, label: string): Promise<ParsedMail> {
  const tpl = compileMimeTemplate({
    from: c.from,
    subject: c.subject,
    date: new Date('2026-03-14T07:00:00Z'),
    text: c.text,
    html: c.html,
    headers: { 'List-Id': 'Trending papers <papers.example.org>' },
  });
  const recipient = {
    ...(c.toName === undefined ? {} : { name: c.toName }),
    email: c.values.email,
    messageId: c.messageId,
    unsubscribeUrl: c.unsubscribeUrl,
    fields: c.values,
  };
  const buf = tpl.fill(recipient);
  // Into a larger reused buffer: the same bytes, as a view of its start.
  const reused = Buffer.alloc(buf.length + 100, '.');
  const viaAlloc = tpl.fill(recipient, () => reused);
  expect(viaAlloc.equals(buf), label).toBe(true);
  expect(viaAlloc.buffer).toBe(reused.buffer);
  // Proven fit for SMTP DATA as it is, and marked so for the pool.
  expect(passesUnchanged(buf, false), label).toBe(true);
  expect(markedPassesUnchanged(buf) && markedPassesUnchanged(viaAlloc), label).toBe(true);
  const raw = buf.toString('utf8');
  checkLines(raw);
  const parsed = await simpleParser(raw);
  const text = fill(c.text, c.values, false);
  const html = fill(c.html, c.values, true);
  // mailparser reports an empty part as missing (undefined / false).
  expect(parsed.text || '', `${label}: text`).toBe(lf(text));
  expect(parsed.html || '', `${label}: html`).toBe(lf(html));
  expect(address(parsed.to)?.address, label).toBe(c.values.email);
  expect(address(parsed.to)?.name, label).toBe((c.toName ?? '').replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim());
  expect(parsed.messageId, label).toBe(`<${c.messageId}>`);
  const list = parsed.headers.get('list') as Record<string, { url?: string; name?: string; id?: string }>;
  // RFC 2369: whitespace folded into a long URL inside <…> is ignored.
  expect(list.unsubscribe?.url?.replace(/\s+/g, ''), label).toBe(c.unsubscribeUrl);
  expect(list['unsubscribe-post']?.name, label).toBe('List-Unsubscribe=One-Click');
  expect(list.id, label).toEqual({ name: 'Trending papers', id: 'papers.example.org' });
  expect(parsed.headers.get('mime-version')).toBe('1.0');
  expect(parsed.date?.toISOString()).toBe('2026-03-14T07:00:00.000Z');

  // From as written in config: `Name <addr>` or a bare address.
  const fromMatch = /^(.*?)\s*<(.+)>$/.exec(c.from);
  expect(address(parsed.from), `${label}: from`).toEqual(
    fromMatch ? { name: fromMatch[1], address: fromMatch[2] } : { name: '', address: c.from },
  );

  // nodemailer encodes the same subject to the same decoded text.
  const reference = await new Promise<Buffer>((resolve, reject) =>
    new MailComposer({ from: 'x@example.org', to: c.values.email, subject: c.subject, text: 'x' })
      .compile()
      .build((err, buf) => (err ? reject(err) : resolve(buf))),
  );
  expect(parsed.subject, `${label}: subject`).toBe((await simpleParser(reference)).subject);
  expect(parsed.subject, `${label}: subject`).toBe(c.subject);
  return parsed;
}

function template(rand: () => number): SlotTemplate<Key> {
  const keys = Array.from({ length: Math.floor(rand() * 6) }, () => KEYS[Math.floor(rand() * KEYS.length)]!);
  const chunks = Array.from({ length: keys.length + 1 }, () => randomText(rand, 60));
  // A template never cuts a CRLF in two.
  for (let i = 0; i < chunks.length - 1; i++) if (chunks[i]!.endsWith('\r')) chunks[i] += '.';
  return { chunks, keys };
}

describe('compileMimeTemplate', () => {
  it('produces a message that parses back to exactly the personalised content (tricky inputs)', async () => {
    const longUrl = `https://papers.example.org/unsubscribe/${'A1b2_-'.repeat(400)}`;
    const parsed = await checkCase(
      {
        from: 'Schrödinger’s Papers 🐱 <papers@example.org>',
        subject: 'Trending papers — 14 März 2026 🎉: Schrödinger, = signs, and "quotes"',
        toName: 'Zoë "Z" Ångström\r\nBcc: victim@example.org',
        values: {
          name: 'Zoë <b>Ångström</b> = 🐱  ',
          email: 'zoe@example.org',
          unsubscribeUrl: longUrl,
          preferencesUrl: 'https://papers.example.org/preferences/tok?x=1&y=2',
          webUrl: 'https://papers.example.org/archive/2026-03-14-3f9a1c2b',
        },
        messageId: '2026-03-14-3f9a1c2b.zoe@papers.example.org',
        unsubscribeUrl: longUrl,
        text: {
          chunks: ['Hi ', ',  \r\n\r\n.Paper one = great  \n' + 'x'.repeat(500) + '\nUnsubscribe: ', '\nWeb: ', ''],
          keys: ['name', 'unsubscribeUrl', 'webUrl'],
        },
        html: {
          chunks: ['<p style="a:b">Hi ', '</p>\r\n<a href="', '">unsub</a> <a href="', '">prefs</a>\n'],
          keys: ['name', 'unsubscribeUrl', 'preferencesUrl'],
        },
      },
      'tricky',
    );
    expect(parsed.headers.get('bcc')).toBeUndefined();
  });

  it('handles plain ASCII, no display name and empty chunks', async () => {
    await checkCase(
      {
        from: 'papers@example.org',
        subject: `Trending papers for 2026-03-14: ${'diffusion transformers and  agents '.repeat(8)}end`,
        values: { name: '', email: 'a@b.example', unsubscribeUrl: 'https://u/1', preferencesUrl: 'https://p/1', webUrl: 'https://w/1' },
        messageId: 'x@y',
        unsubscribeUrl: 'https://u/1',
        text: { chunks: ['', '', ''], keys: ['email', 'email'] },
        html: { chunks: [''], keys: [] },
      },
      'plain',
    );
  });

  it('parses back exactly for random templates and values', async () => {
    for (let seed = 1; seed <= 150; seed++) {
      const rand = seeded(seed);
      const values = Object.fromEntries(KEYS.map((k) => [k, randomText(rand, 12)])) as Record<Key, string>;
      values.email = `user${seed}@example.org`;
      const url = `https://example.org/unsubscribe/${encodeURIComponent(randomText(rand, 30))}`;
      const subject = randomText(rand, 20).replace(/[\r\n\t]+/g, ' ').trim() || 'x';
      await checkCase(
        {
          from: `${randomText(rand, 6).replace(/[\s<>"\\]+/g, ' ').trim() || 'paperboy'} <papers@example.org>`,
          subject: subject.replace(/\s+/g, ' '),
          toName: randomText(rand, 8).replace(/[\s"\\]+/g, ' ').trim(),
          values,
          messageId: `issue-${seed}.user${seed}@example.org`,
          unsubscribeUrl: url,
          text: template(rand),
          html: template(rand),
        },
        `seed ${seed}`,
      );
    }
  });
});
