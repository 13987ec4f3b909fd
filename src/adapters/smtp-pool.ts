// SMTP connection pool for finished messages, built on nodemailer's SMTPConnection (its documented
// low-level client). nodemailer's own pool (transport.sendMail) composes a MIME tree around every
// raw message — random Message-ID and boundary, a PassThrough and a pipeline per message — which
// measured ~570 µs of CPU per 33 KB message against ~280 µs handing the Buffer straight to an
// SMTPConnection (docs/decisions/005-send-fast-path.md). Messages here are already complete, so this pool only
// keeps up to N connections open, hands each one a message at a time and replaces broken ones.
// Retries are not done here: every error is classified and returned to the send service.
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { parseConnectionUrl } from 'nodemailer/lib/shared';
import type { Config } from '../config.js';
import { markedPassesUnchanged, passesUnchanged } from '../domain/mime/smtp-data.js';
import { MailerError, classifySmtpError, type Mailer, type RawMessage } from './mailer.js';

type Options = ConstructorParameters<typeof SMTPConnection>[0] & object;
type Auth = Parameters<SMTPConnection['login']>[0];

interface Conn {
  c: SMTPConnection;
  messages: number;
  /** The socket ended or failed: never reuse. */
  dead: boolean;
}

interface Job {
  msg: RawMessage;
  resolve: (v: { response: string }) => void;
  reject: (e: MailerError) => void;
}

const connectionError = (message: string) => Object.assign(new Error(message), { code: 'ECONNECTION' });

/** The DataStream nodemailer creates per message (a Transform with these counters). */
interface DataStreamLike {
  _transform(chunk: unknown, encoding: BufferEncoding, done: (err?: Error | null) => void): void;
  push(chunk: Buffer): boolean;
  lastByte: number | false;
  inByteCount: number;
  outByteCount: number;
}

/**
 * nodemailer pipes every message through its DataStream, which walks each byte in JavaScript to
 * stuff dots and repair bare line ends: ~125 µs of a 37 KB message, a fifth of a send's CPU
 * (docs/decisions/006-lean-send-process.md). Our messages never need either, so a chunk that
 * DataStream would pass unchanged (marked so when it was built, or checked natively) is passed on
 * as it is, and any other chunk still goes through nodemailer's own code: the bytes on the wire
 * are the same.
 * This reaches into SMTPConnection's internal `_createSendStream`; if an update of nodemailer
 * changes it, messages take nodemailer's path unchanged (and a test in smtp-pool.test.ts fails).
 * Returns whether the shortcut is in place.
 */
export function skipNeedlessStuffing(c: SMTPConnection): boolean {
  const conn = c as unknown as { _createSendStream?: (this: SMTPConnection, cb: unknown) => DataStreamLike };
  const create = conn._createSendStream;
  if (typeof create !== 'function') return false;
  conn._createSendStream = function (this: SMTPConnection, cb: unknown) {
    const stream = create.call(this, cb);
    const slow = stream._transform;
    if (typeof slow !== 'function' || !('lastByte' in stream)) return stream;
    stream._transform = function (this: DataStreamLike, chunk, encoding, done) {
      if (!Buffer.isBuffer(chunk) || chunk.length === 0) return slow.call(this, chunk, encoding, done);
      // A whole message proven clean when it was built is not scanned again (~40 µs per 37 KB).
      const clean = (this.lastByte === false && markedPassesUnchanged(chunk)) || passesUnchanged(chunk, this.lastByte);
      if (!clean) return slow.call(this, chunk, encoding, done);
      this.inByteCount += chunk.length;
      this.outByteCount += chunk.length;
      this.lastByte = chunk[chunk.length - 1]!;
      this.push(chunk);
      done();
    };
    return stream;
  };
  return true;
}

export class SmtpConnectionPool implements Mailer {
  private readonly options: Options;
  private readonly auth: Auth | undefined;
  /** Connections configured. */
  private readonly limit: number;
  /** Connections allowed now: lowered when the server turns connections away, raised back slowly. */
  private max: number;
  /** Messages delivered since `max` last changed while below `limit`. */
  private sinceLowered = 0;
  /** Messages to deliver at a lowered `max` before trying one connection more. */
  private readonly retryAfter: number;
  private readonly maxMessages = 1000;
  private readonly idle: Conn[] = [];
  private readonly queue: Job[] = [];
  /** Connections open or opening. */
  private open = 0;
  private closed = false;

  /** `opts.retryAfter`: messages at a lowered limit before one more connection is tried (default 1,000). */
  constructor(smtpUrl: string, config: Pick<Config, 'smtp'>, opts: { retryAfter?: number } = {}) {
    const { auth, ...rest } = parseConnectionUrl(smtpUrl) as Options & { auth?: { user?: string; pass?: string } };
    const t = config.smtp.timeoutMs;
    this.options = { ...rest, connectionTimeout: t, greetingTimeout: t, socketTimeout: t };
    this.auth = auth && (auth.user || auth.pass) ? { user: auth.user ?? '', credentials: { user: auth.user ?? '', pass: auth.pass ?? '' } } : undefined;
    this.limit = Math.max(1, config.smtp.connections);
    this.max = this.limit;
    this.retryAfter = opts.retryAfter ?? 1000;
  }

  send(msg: RawMessage): Promise<{ response: string }> {
    if (this.closed) return Promise.reject(classifySmtpError(connectionError('The SMTP pool was closed')));
    return new Promise((resolve, reject) => {
      this.queue.push({ msg, resolve, reject });
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(classifySmtpError(connectionError('The SMTP pool was closed')));
    for (const conn of this.idle.splice(0)) conn.c.quit();
  }

  /** Starts as many queued messages as there are idle or openable connections. */
  private pump(): void {
    while (this.queue.length > 0) {
      const conn = this.idle.pop();
      if (conn) {
        if (conn.dead) {
          // Failed while idle; its 'end' may not have come yet (drop() no longer finds it).
          this.open--;
          continue;
        }
        this.run(conn, this.queue.shift()!);
        continue;
      }
      if (this.open >= this.max) return;
      this.open++;
      const job = this.queue.shift()!;
      this.connect().then(
        (fresh) => this.run(fresh, job),
        (err: unknown) => {
          this.open--;
          if (this.open > 0 && !this.closed) {
            // Refused while other connections to the same server are up or on their way: likely a
            // limit on concurrent connections ("421 Too many connected clients"), not an outage.
            // Keep to fewer connections (one more is tried again every `retryAfter` messages, as
            // the refusal may have been a one-off); the message waits for one of them. When the
            // last one fails too, its message fails as a connection error, and the send counts it
            // towards stopping the run.
            this.max = this.open;
            this.sinceLowered = 0;
            this.queue.unshift(job);
          } else job.reject(classifySmtpError(err));
          this.pump();
        },
      );
    }
  }

  private connect(): Promise<Conn> {
    return new Promise((resolve, reject) => {
      const c = new SMTPConnection(this.options);
      skipNeedlessStuffing(c);
      const conn: Conn = { c, messages: 0, dead: false };
      let settled = false;
      const fail = (err: unknown) => {
        conn.dead = true;
        if (settled) return;
        settled = true;
        c.close();
        reject(err);
      };
      // After connecting, a send in flight gets socket errors through its callback; an idle
      // connection that fails or is closed by the server is just dropped.
      c.on('error', fail);
      c.once('end', () => {
        fail(connectionError('Connection closed before the SMTP session started'));
        this.drop(conn);
      });
      c.connect((err?: unknown) => {
        if (settled) return;
        if (err) return fail(err);
        const ready = () => {
          settled = true;
          resolve(conn);
        };
        if (!this.auth || !c.allowsAuth) return ready();
        c.login(this.auth, (loginErr?: unknown) => (loginErr ? fail(loginErr) : ready()));
      });
    });
  }

  /** Forgets a connection that ended while idle. */
  private drop(conn: Conn): void {
    const i = this.idle.indexOf(conn);
    if (i >= 0) {
      this.idle.splice(i, 1);
      this.open--;
      this.pump();
    }
  }

  private run(conn: Conn, job: Job): void {
    const { msg } = job;
    conn.c.send({ from: msg.from, to: [msg.to] }, msg.raw, (err: unknown, info?: { response?: string }) => {
      conn.messages++;
      if (err) {
        const e = classifySmtpError(err);
        job.reject(e);
        // A refused message leaves a usable session once it is reset; anything else ends it.
        if (!conn.dead && e.kind !== 'connection' && (e.responseCode ?? 0) !== 421) {
          conn.c.reset((resetErr?: unknown) => (resetErr ? this.retire(conn) : this.release(conn)));
        } else this.retire(conn);
        return;
      }
      job.resolve({ response: info?.response ?? '250 accepted' });
      if (this.max < this.limit && ++this.sinceLowered >= this.retryAfter) {
        this.max++;
        this.sinceLowered = 0;
      }
      this.release(conn);
    });
  }

  /** Back to idle, or closed once it has carried maxMessages (servers limit messages per session). */
  private release(conn: Conn): void {
    if (this.closed || conn.dead || conn.messages >= this.maxMessages) return this.retire(conn);
    this.idle.push(conn);
    this.pump();
  }

  private retire(conn: Conn): void {
    if (!conn.dead) {
      conn.dead = true;
      conn.c.quit();
    }
    this.open--;
    this.pump();
  }
}
