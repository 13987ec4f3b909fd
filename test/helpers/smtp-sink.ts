// A real SMTP server on 127.0.0.1 (port 0 unless given) that keeps every accepted message, parsed
// with mailparser. Hooks make it misbehave the way real servers do: reject recipients (550), defer
// messages (421/450/451), drop the connection in the middle of DATA, or answer slowly.
import { createServer, type Socket } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

export interface SinkMessage {
  from: string;
  to: string[];
  raw: Buffer;
  parsed: ParsedMail;
  messageId: string;
}

export type DataAction = 'accept' | 'drop' | { code: number; message: string };

export interface SinkHooks {
  /** Per RCPT TO: an error reply for this address, or undefined to accept it. */
  rcpt?: (address: string) => { code: number; message: string } | undefined;
  /** Per DATA: `attempt` counts DATA transactions for this recipient so far (1 = first). */
  data?: (to: string, attempt: number) => DataAction;
  /** Wait this long before answering each DATA (slows a run down). */
  delayMs?: number;
  /** Runs (and is awaited) before an accepted message is acknowledged; `count` = accepted so far, this one included. */
  onMessage?: (to: string, count: number) => void | Promise<void>;
}

export interface SmtpSink {
  port: number;
  url: string;
  messages: SinkMessage[];
  /** DATA transactions seen per recipient, whatever their outcome. */
  attempts: Map<string, number>;
  hooks: SinkHooks;
  /** Accepted messages for this recipient. */
  received(to: string): SinkMessage[];
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

function fail(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

export async function startSmtpSink(opts: { port?: number; hooks?: SinkHooks } = {}): Promise<SmtpSink> {
  const messages: SinkMessage[] = [];
  const attempts = new Map<string, number>();
  const sockets = new Map<number, Socket>();
  const waiters: (() => void)[] = [];
  const sink = { hooks: opts.hooks ?? {} } as SmtpSink;

  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    logger: false,
    size: 10 * 1024 * 1024,
    onRcptTo(address, _session, callback) {
      const err = sink.hooks.rcpt?.(address.address.toLowerCase());
      callback(err ? fail(err.code, err.message) : undefined);
    },
    onData(stream, session: SMTPServerSession, callback) {
      const to = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
      const key = to.join(',');
      const attempt = (attempts.get(key) ?? 0) + 1;
      attempts.set(key, attempt);
      const action = sink.hooks.data?.(key, attempt) ?? 'accept';
      const chunks: Buffer[] = [];
      if (action === 'drop') {
        // Cut the connection after the first chunk of the message body: the client sees the
        // socket close in the middle of DATA and gets no reply.
        stream.once('data', () => sockets.get(session.remotePort)?.destroy());
        stream.on('error', () => undefined);
        return;
      }
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', async () => {
        if (sink.hooks.delayMs) await new Promise((r) => setTimeout(r, sink.hooks.delayMs));
        if (action !== 'accept') return callback(fail(action.code, action.message));
        const raw = Buffer.concat(chunks);
        try {
          const parsed = await simpleParser(raw);
          const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
          messages.push({ from, to, raw, parsed, messageId: parsed.messageId ?? '' });
          for (const w of waiters.splice(0)) w();
          await sink.hooks.onMessage?.(key, messages.length);
          callback();
        } catch (e) {
          callback(fail(554, `unparseable message: ${(e as Error).message}`));
        }
      });
    },
  });
  server.server.on('connection', (s: Socket) => {
    const port = s.remotePort ?? 0;
    sockets.set(port, s);
    s.on('close', () => sockets.delete(port));
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as { port: number }).port;
  Object.assign(sink, {
    port,
    url: `smtp://127.0.0.1:${port}`,
    messages,
    attempts,
    received: (to: string) => messages.filter((m) => m.to.includes(to.toLowerCase())),
    async waitFor(count: number, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (messages.length < count) {
        if (Date.now() > deadline) throw new Error(`smtp sink: ${messages.length} of ${count} messages after ${timeoutMs} ms`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 100);
        });
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets.values()) s.destroy();
        server.close(() => resolve());
      }),
  });
  return sink;
}

/** A port nothing listens on (for "server down"); a sink can be started on it later. */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}
