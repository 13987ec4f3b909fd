// Hands finished messages to an SMTP server (nodemailer's pool) or, when no server is configured,
// to .eml files in the outbox. nodemailer does not retry; the send service does, so every error is
// mapped here to one of three kinds it can act on.
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SMTPPoolOptions, Transporter } from 'nodemailer';
import writeFileAtomic from 'write-file-atomic';
import type { Config } from '../config.js';
import type { FailureKind } from '../domain/ledger-state.js';
import { PaperboyError } from '../errors.js';
import { SmtpConnectionPool } from './smtp-pool.js';
import { ensureDirSync, PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from './ensure-dir.js';

export interface RawMessage {
  /** Envelope sender (bare address). */
  from: string;
  /** Envelope recipient (bare address): one recipient per message. */
  to: string;
  /** The complete message, headers and body, CRLF line ends. */
  raw: string | Buffer;
  messageId: string;
  /**
   * Hands `raw`'s memory back for a later message. Call it only once `send` has resolved (the
   * server has the whole message, so nothing reads the buffer any more); after a failure, never:
   * the socket may still hold it.
   */
  release?: () => void;
}

export interface Mailer {
  /**
   * Resolves once the message is accepted. The caller may then reuse `msg.raw`'s memory
   * (RawMessage.release), so a mailer that keeps the message afterwards must keep a copy.
   */
  send(msg: RawMessage): Promise<{ response: string }>;
  close(): Promise<void>;
}

export type MailerErrorKind = FailureKind;

export class MailerError extends Error {
  constructor(
    readonly kind: MailerErrorKind,
    message: string,
    readonly response?: string,
    readonly responseCode?: number,
    /** The SMTP command that got the reply (MAIL FROM, RCPT TO, DATA, ...), when known. */
    readonly command?: string,
  ) {
    super(message);
    this.name = 'MailerError';
  }
}

interface NodemailerError {
  message?: string;
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
  permanent?: boolean;
}

const CONNECTION_CODES = new Set(['ECONNECTION', 'ESOCKET', 'EDNS', 'ETLS', 'EPROXY', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * 4xx and timeouts → temporary (retry later); 5xx → permanent (this recipient, this message);
 * refused / dropped / broken connections → connection (counted towards "server unreachable").
 * A rejected login is a connection problem too: it is the configuration, not the recipient.
 */
export function classifySmtpError(e: unknown): MailerError {
  if (e instanceof MailerError) return e;
  const err = (e ?? {}) as NodemailerError;
  const message = err.message ?? String(e);
  const code = err.code ?? '';
  const rc = typeof err.responseCode === 'number' ? err.responseCode : undefined;
  const response = err.response ?? message;
  let kind: MailerErrorKind;
  if (code === 'EAUTH' || code === 'ENOAUTH') kind = 'connection';
  else if (rc !== undefined && rc >= 400 && rc < 500) kind = 'temporary';
  // 503 is "bad sequence of commands": the session, not the message (nodemailer agrees).
  else if (rc !== undefined && rc >= 500 && rc < 600) kind = rc === 503 ? 'temporary' : 'permanent';
  else if (code === 'ETIMEDOUT') kind = 'temporary';
  else if (CONNECTION_CODES.has(code)) kind = 'connection';
  else kind = err.permanent ? 'permanent' : 'temporary';
  return new MailerError(kind, message, response, rc, err.command);
}

const DKIM_SETTING = 'dkim.privateKey (PAPERBOY_DKIM_PRIVATE_KEY)';
/** RFC 8301: verifiers must refuse RSA keys under 1024 bits (2048 is what providers ask for). */
const DKIM_MIN_BITS = 1024;

function dkimError(problem: string): PaperboyError {
  return new PaperboyError(
    'CONFIG_INVALID',
    `Invalid configuration: ${DKIM_SETTING}: ${problem}. Set it to the path of an RSA private key in PEM form (openssl genrsa 2048) or to the PEM text itself; unset the dkim settings to send without DKIM.`,
    { field: 'dkim.privateKey' },
  );
}

/**
 * The DKIM key, given inline (PEM) or as a path to a PEM file, checked the way the signer will use
 * it: readable, a private key, RSA (nodemailer signs rsa-sha256 only), at least 1024 bits. A key that
 * fails any of these must stop start-up: nodemailer would otherwise send the mail unsigned.
 */
export function readDkimKey(privateKey: string): string {
  let pem: string;
  let where: string;
  if (privateKey.includes('-----BEGIN')) {
    // A PEM pasted into one environment line often has its line breaks written as \n.
    pem = privateKey.includes('\n') ? privateKey : privateKey.replace(/\\n/g, '\n');
    where = 'the PEM text';
  } else {
    where = privateKey;
    try {
      pem = readFileSync(privateKey, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' || code === 'EPERM' ? 'no permission to read it' : code === 'EISDIR' ? 'it is a folder' : (e as Error).message;
      throw dkimError(`cannot read ${privateKey} (${why})`);
    }
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (e) {
    const reason = (e as Error).message.replace(/^error:[0-9A-F]+:[^:]*:[^:]*:/i, '').trim();
    throw dkimError(`${where} is not a private key paperboy can read (${reason})`);
  }
  if (key.asymmetricKeyType !== 'rsa') throw dkimError(`${where} is an ${key.asymmetricKeyType ?? 'unknown'} key; DKIM signing here needs an RSA key`);
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < DKIM_MIN_BITS) throw dkimError(`${where} is a ${bits}-bit RSA key; receivers ignore DKIM keys under ${DKIM_MIN_BITS} bits`);
  return pem;
}

export class SmtpMailer implements Mailer {
  // nodemailer's transport (with its DKIM signer) is only needed with DKIM set: loaded on first use.
  private transport: Promise<Transporter> | undefined;
  private readonly options: SMTPPoolOptions & { url: string };

  constructor(smtpUrl: string, config: Pick<Config, 'smtp' | 'dkim'>) {
    const dkim = config.dkim ? { domainName: config.dkim.domainName, keySelector: config.dkim.keySelector, privateKey: readDkimKey(config.dkim.privateKey) } : undefined;
    const options: SMTPPoolOptions & { url: string } = {
      url: smtpUrl,
      pool: true,
      maxConnections: config.smtp.connections,
      maxMessages: 1000,
      // The pool would silently resend a message whose connection dropped; our ledger must see
      // every attempt, so retries are left to the send service.
      maxRequeues: 0,
      connectionTimeout: config.smtp.timeoutMs,
      greetingTimeout: config.smtp.timeoutMs,
      socketTimeout: config.smtp.timeoutMs,
      ...(dkim ? { dkim } : {}),
    };
    this.options = options;
  }

  private getTransport(): Promise<Transporter> {
    this.transport ??= import('nodemailer').then((m) => m.default.createTransport(this.options));
    return this.transport;
  }

  async send(msg: RawMessage): Promise<{ response: string }> {
    try {
      const info = (await (await this.getTransport()).sendMail({ envelope: { from: msg.from, to: [msg.to] }, raw: msg.raw })) as { response?: string };
      return { response: info.response ?? '250 accepted' };
    } catch (e) {
      throw classifySmtpError(e);
    }
  }

  async close(): Promise<void> {
    (await this.transport)?.close();
  }
}

/** Message-ID → a file name: letters, digits, dot, dash, underscore and @ only. */
export function outboxFileName(messageId: string): string {
  const base = messageId.replace(/^<|>$/g, '').replace(/[^A-Za-z0-9._@-]+/g, '_').replace(/^\.+/, '_');
  return `${base || 'message'}.eml`;
}

/** Without SMTP settings: every message becomes <stateDir>/outbox/<messageId>.eml. Nothing is sent. */
export class OutboxMailer implements Mailer {
  private made = false;
  constructor(readonly dir: string) {}

  async send(msg: RawMessage): Promise<{ response: string }> {
    // Made on the first message, and tried again on the next one if it failed (the run stops on it).
    if (!this.made) {
      ensureDirSync(this.dir, { mode: PRIVATE_DIR_MODE });
      this.made = true;
    }
    const name = outboxFileName(msg.messageId);
    try {
      // A message holds its recipient's address and personal links: for the owner's eyes only.
      await writeFileAtomic(join(this.dir, name), msg.raw, { mode: PRIVATE_FILE_MODE });
    } catch (e) {
      // A local failure (disk full, permissions), never the recipient's: deliver stops the run on it.
      const err = e as NodeJS.ErrnoException;
      throw new PaperboyError('FOLDER_UNAVAILABLE', `Cannot write to the outbox ${this.dir}: ${err.code === 'ENOSPC' ? 'the disk is full' : err.code === 'EACCES' || err.code === 'EPERM' ? 'no permission' : err.message}.`, { dir: this.dir });
    }
    return { response: `250 written to outbox/${name}` };
  }

  async close(): Promise<void> {}
}

/** In-memory mailer for tests: records what it was given; `fail` can script errors per message. */
export class MemoryMailer implements Mailer {
  readonly sent: RawMessage[] = [];
  readonly attempts: RawMessage[] = [];
  constructor(private readonly fail?: (msg: RawMessage, attempt: number) => MailerError | undefined) {}

  async send(msg: RawMessage): Promise<{ response: string }> {
    // A copy: the sender may reuse the buffer once this resolves (Mailer.send).
    const kept: RawMessage = { from: msg.from, to: msg.to, messageId: msg.messageId, raw: typeof msg.raw === 'string' ? msg.raw : Buffer.from(msg.raw) };
    this.attempts.push(kept);
    const n = this.attempts.filter((m) => m.messageId === msg.messageId).length;
    const err = this.fail?.(kept, n);
    if (err) throw err;
    this.sent.push(kept);
    return { response: '250 OK: queued in memory' };
  }

  async close(): Promise<void> {}
}

export function createMailer(config: Config, stateDir: string): Mailer {
  // A DKIM key that cannot be used stops start-up even with the outbox: the same config sends for real later.
  if (config.dkim) readDkimKey(config.dkim.privateKey);
  if (!config.smtpUrl) return new OutboxMailer(join(stateDir, 'outbox'));
  // Finished messages go straight to SMTP connections (smtp-pool.ts, half the CPU per message);
  // DKIM signing lives in nodemailer's transport, so with DKIM the message goes through it.
  return config.dkim ? new SmtpMailer(config.smtpUrl, config) : new SmtpConnectionPool(config.smtpUrl, config);
}
