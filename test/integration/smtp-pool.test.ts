// The SMTP connection pool against a real smtp-server on 127.0.0.1: connections reused up to the
// configured number, bytes delivered exactly, login from the URL, a refused recipient not ending
// the session, and a connection the server closed while idle replaced.
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { MailerError } from '../../src/adapters/mailer.js';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import DataStream from 'nodemailer/lib/smtp-connection/data-stream';
import { SmtpConnectionPool, skipNeedlessStuffing } from '../../src/adapters/smtp-pool.js';
import { parseConfig } from '../../src/config.js';
import { markPassesUnchanged } from '../../src/domain/mime/smtp-data.js';

interface Got {
  from: string;
  to: string[];
  raw: Buffer;
  session: string;
}

interface TestServer {
  port: number;
  got: Got[];
  sessions: Set<string>;
  maxOpen: number;
  /** Sessions by id, to close one from the server side. */
  open: Map<string, SMTPServerSession>;
  server: SMTPServer;
  close(): Promise<void>;
}

async function startServer(opts: { auth?: { user: string; pass: string }; rejectRcpt?: string; maxClients?: number } = {}): Promise<TestServer> {
  const got: Got[] = [];
  const sessions = new Set<string>();
  const open = new Map<string, SMTPServerSession>();
  const t = { got, sessions, open, maxOpen: 0 } as unknown as TestServer;
  const server = new SMTPServer({
    logger: false,
    ...(opts.maxClients ? { maxClients: opts.maxClients } : {}),
    disabledCommands: opts.auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !opts.auth,
    allowInsecureAuth: true,
    onConnect(session, cb) {
      sessions.add(session.id);
      open.set(session.id, session);
      t.maxOpen = Math.max(t.maxOpen, open.size);
      cb();
    },
    onClose(session) {
      open.delete(session.id);
    },
    onAuth(auth, _session, cb) {
      if (auth.username === opts.auth?.user && auth.password === opts.auth?.pass) cb(null, { user: auth.username });
      else cb(Object.assign(new Error('Invalid credentials'), { responseCode: 535 }));
    },
    onRcptTo(address, _session, cb) {
      if (address.address === opts.rejectRcpt) cb(Object.assign(new Error('No such user'), { responseCode: 550 }));
      else cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        got.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks), session: session.id });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.port = (server.server.address() as AddressInfo).port;
  t.server = server;
  t.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return t;
}

const config = (connections: number) => parseConfig({ smtp: { connections, timeoutMs: 5000 } }, {});
const message = (i: number, to = `r${i}@example.org`) => ({
  from: 'papers@example.org',
  to,
  messageId: `<m${i}@example.org>`,
  // Lines that need care on the wire: a leading dot, a long line.
  raw: Buffer.from(`Subject: m${i}\r\nTo: <${to}>\r\n\r\n.starts with a dot\r\n${'x'.repeat(900)}\r\nend ${i}\r\n`),
});

let server: TestServer | undefined;
let pool: SmtpConnectionPool | undefined;
afterEach(async () => {
  await pool?.close();
  await server?.close();
  pool = undefined;
  server = undefined;
});

describe('SmtpConnectionPool', () => {
  it('delivers every message exactly, one recipient each, over at most the configured connections', async () => {
    server = await startServer();
    pool = new SmtpConnectionPool(`smtp://127.0.0.1:${server.port}`, config(3));
    const msgs = Array.from({ length: 40 }, (_, i) => message(i));
    const results = await Promise.all(msgs.map((m) => pool!.send(m)));
    expect(results.every((r) => r.response.startsWith('250'))).toBe(true);
    expect(server.got).toHaveLength(40);
    for (const m of msgs) {
      const g = server.got.find((x) => x.to[0] === m.to)!;
      expect(g.to).toEqual([m.to]);
      expect(g.from).toBe('papers@example.org');
      expect(g.raw.equals(m.raw)).toBe(true);
    }
    expect(server.maxOpen).toBeLessThanOrEqual(3);
    expect(server.sessions.size).toBeLessThanOrEqual(3);
  });

  it('puts the same bytes on the wire whether or not a message needs dot-stuffing or line-end repair', async () => {
    server = await startServer();
    pool = new SmtpConnectionPool(`smtp://127.0.0.1:${server.port}`, config(2));
    const bodies = [
      // Needs nothing (our messages: CRLF only, a leading '.' encoded by quoted-printable): sent as is.
      'Subject: clean\r\n\r\n=2Emj-column { width: 100% }\r\nsoft=\r\nbreak\r\n',
      // Needs stuffing or repair: nodemailer's DataStream handles them as before.
      'Subject: dots\r\n\r\n.mj-column { x }\r\n..two\r\n.\r\nend\r\n',
      'Subject: bare\r\n\r\nbare\nfeed and bare\rreturn\r\n',
      'Subject: no final line end\r\n\r\nlast line',
    ];
    const msgs = bodies.map((b, i) => ({ ...message(i), raw: Buffer.from(b) }));
    for (const m of msgs) await pool.send(m);
    // What the server stores is the message with line ends made CRLF (and dots unstuffed).
    const expected = bodies.map((b) => b.replace(/\r\n|\r|\n/g, '\r\n'));
    expect(server.got.map((g) => g.raw.toString())).toEqual(expected.map((e) => (e.endsWith('\r\n') ? e : `${e}\r\n`)));
  });

  it('trusts a message marked clean when it was built, without scanning it again', async () => {
    server = await startServer();
    pool = new SmtpConnectionPool(`smtp://127.0.0.1:${server.port}`, config(1));
    // Wrongly marked on purpose: were it scanned, its dots would be stuffed and arrive intact.
    const raw = Buffer.from('Subject: marked\r\n\r\n..dots\r\n');
    markPassesUnchanged(raw);
    await pool.send({ ...message(0), raw });
    expect(server.got[0]!.raw.toString()).toBe('Subject: marked\r\n\r\n.dots\r\n');
  });

  it('finds the nodemailer internals the stuffing shortcut relies on (else sends are slower, not wrong)', () => {
    const ds = new DataStream() as unknown as Record<string, unknown>;
    expect(typeof ds._transform).toBe('function');
    expect(ds).toMatchObject({ lastByte: false, inByteCount: 0, outByteCount: 0 });
    expect(skipNeedlessStuffing(new SMTPConnection({}))).toBe(true);
  });

  it('logs in with the user and password of the URL, and a refused login is a connection problem', async () => {
    server = await startServer({ auth: { user: 'ada', pass: 's3cret' } });
    pool = new SmtpConnectionPool(`smtp://ada:s3cret@127.0.0.1:${server.port}`, config(1));
    await pool.send(message(1));
    expect(server.got).toHaveLength(1);
    const bad = new SmtpConnectionPool(`smtp://ada:wrong@127.0.0.1:${server.port}`, config(1));
    const err = await bad.send(message(2)).catch((e: unknown) => e);
    await bad.close();
    expect(err).toBeInstanceOf(MailerError);
    expect((err as MailerError).kind).toBe('connection');
  });

  it('reports a refused recipient as permanent and keeps using the session for the next message', async () => {
    server = await startServer({ rejectRcpt: 'gone@example.org' });
    pool = new SmtpConnectionPool(`smtp://127.0.0.1:${server.port}`, config(1));
    const err = await pool.send(message(1, 'gone@example.org')).catch((e: unknown) => e);
    expect((err as MailerError).kind).toBe('permanent');
    expect((err as MailerError).responseCode).toBe(550);
    await pool.send(message(2));
    expect(server.got.map((g) => g.to[0])).toEqual(['r2@example.org']);
    expect(server.sessions.size).toBe(1);
  });

  it('keeps to the connections a server accepts when it turns more away (421 too many clients)', async () => {
    server = await startServer({ maxClients: 2 });
    pool = new SmtpConnectionPool(`smtp://127.0.0.1:${server.port}`, config(6));
    const msgs = Array.from({ length: 30 }, (_, i) => message(i));
    const results = await Promise.all(msgs.map((m) => pool!.send(m)));
    expect(results.every((r) => r.response.startsWith('250'))).toBe(true);
    expect(server.got.map((g) => g.to[0]).sort()).toEqual(msgs.map((m) => m.to).sort());
    expect(server.maxOpen).toBeLessThanOrEqual(2);
  });

  it('tries one connection more every so often after a refusal, up to the configured number', async () => {
    // The server takes 2 at first, then 4: the pool gets back above 2 once it tries again.
    server = await startServer({ maxClients: 2 });
    pool = new SmtpConnectionPool(`smtp://127.0.0.1:${server.port}`, config(4), { retryAfter: 5 });
    await Promise.all(Array.from({ length: 20 }, (_, i) => pool!.send(message(i))));
    expect(server.maxOpen).toBe(2);
    (server.server as unknown as { options: { maxClients: number } }).options.maxClients = 4;
    await Promise.all(Array.from({ length: 60 }, (_, i) => pool!.send(message(100 + i))));
    expect(server.got).toHaveLength(80);
    expect(server.maxOpen).toBe(4);
  });

  it('replaces a connection the server closed while it was idle', async () => {
    server = await startServer();
    pool = new SmtpConnectionPool(`smtp://127.0.0.1:${server.port}`, config(1));
    await pool.send(message(1));
    // Close the idle session from the server side, as servers do after their idle timeout.
    for (const c of (server.server as unknown as { connections: Set<{ close(): void }> }).connections) c.close();
    await new Promise((r) => setTimeout(r, 100));
    await pool.send(message(2));
    expect(server.got).toHaveLength(2);
    expect(server.sessions.size).toBe(2);
  });

  it('fails with a connection error when nothing listens, and after close', async () => {
    const probe = await startServer();
    const port = probe.port;
    await probe.close();
    pool = new SmtpConnectionPool(`smtp://127.0.0.1:${port}`, config(2));
    const err = await pool.send(message(1)).catch((e: unknown) => e);
    expect((err as MailerError).kind).toBe('connection');
    await pool.close();
    expect(((await pool.send(message(2)).catch((e: unknown) => e)) as MailerError).kind).toBe('connection');
  });
});
