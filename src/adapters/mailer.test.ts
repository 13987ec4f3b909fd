import { describe, expect, it } from 'vitest';
import { MailerError, MemoryMailer, classifySmtpError, outboxFileName } from './mailer.js';

const nm = (fields: Record<string, unknown>) => Object.assign(new Error(String(fields.message ?? 'smtp error')), fields);

describe('classifySmtpError', () => {
  it.each([
    [{ code: 'EENVELOPE', responseCode: 450, response: '450 mailbox busy', command: 'RCPT TO' }, 'temporary'],
    [{ code: 'EMESSAGE', responseCode: 451, response: '451 try later', command: 'DATA' }, 'temporary'],
    [{ code: 'EPROTOCOL', responseCode: 421, response: '421 closing' }, 'temporary'],
    [{ code: 'ETIMEDOUT' }, 'temporary'],
    [{ code: 'EENVELOPE', responseCode: 550, response: '550 no such user', command: 'RCPT TO' }, 'permanent'],
    [{ code: 'EMESSAGE', responseCode: 554, response: '554 rejected', command: 'DATA' }, 'permanent'],
    [{ code: 'EPROTOCOL', responseCode: 503, response: '503 bad sequence' }, 'temporary'],
    [{ code: 'ECONNECTION', message: 'Connection closed unexpectedly' }, 'connection'],
    [{ code: 'ESOCKET', message: 'connect ECONNREFUSED 127.0.0.1:2525' }, 'connection'],
    [{ code: 'EAUTH', responseCode: 535, response: '535 bad credentials', command: 'AUTH PLAIN' }, 'connection'],
  ] as const)('%o → %s', (fields, kind) => {
    const e = classifySmtpError(nm(fields));
    expect(e).toBeInstanceOf(MailerError);
    expect(e.kind).toBe(kind);
    if ('responseCode' in fields) expect(e.responseCode).toBe(fields.responseCode);
    if ('command' in fields) expect(e.command).toBe(fields.command);
  });

  it('keeps the server reply as the response', () => {
    expect(classifySmtpError(nm({ responseCode: 550, response: '550 5.1.1 unknown' })).response).toBe('550 5.1.1 unknown');
  });
});

describe('outboxFileName', () => {
  it('is the Message-ID without brackets, with anything odd replaced', () => {
    expect(outboxFileName('<2026-03-14-abcd1234.0123456789abcdef@example.org>')).toBe('2026-03-14-abcd1234.0123456789abcdef@example.org.eml');
    expect(outboxFileName('<../../etc/passwd>')).toBe('__.._etc_passwd.eml');
  });
});

describe('MemoryMailer', () => {
  it('keeps a copy of each message, so a buffer reused after sending does not change what it recorded', async () => {
    const mailer = new MemoryMailer();
    const buf = Buffer.from('Subject: one\r\n\r\nfirst\r\n');
    await mailer.send({ from: 'a@x.org', to: 'b@x.org', raw: buf, messageId: '<1@x.org>' });
    buf.write('Subject: two\r\n\r\nXXXXX\r\n');
    expect(String(mailer.sent[0]!.raw)).toBe('Subject: one\r\n\r\nfirst\r\n');
  });
});
