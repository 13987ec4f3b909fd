// Builds one issue message per recipient from a rendered variant. Two implementations behind one
// small interface: "splice" (default) compiles the variant's whole MIME message once and fills only
// the per-subscriber slots (a few encoded strings joined, no MIME build per message); "compose" runs
// MailComposer per message and is kept as the reference the splice output is tested against.
import { compileMimeTemplate, type MimeTemplate } from '../domain/mime/mime-template.js';
import { formatMailbox, parseMailbox } from '../domain/mime/headers.js';
import { safeDisplayName } from '../domain/message-ids.js';
import { escapeHtml, fillTemplate, personalise, SLOT_KEYS, type RenderedVariant, type SubscriberFields } from '../domain/render/index.js';
import type { RawMessage } from './mailer.js';
import { composeMessage } from './mime.js';

export interface MessageRecipient {
  email: string;
  name?: string;
  /** With angle brackets, from messageIdFor(). */
  messageId: string;
  /** Body slot values (name, email, links). */
  fields: SubscriberFields;
}

export interface MessageSettings {
  /** Configured From, e.g. `paperboy <papers@example.org>`. */
  from: string;
  /** List-Id header value. */
  listId: string;
  /** Date header of messages built from this variant. */
  date: Date;
  /** Reply-To header, when configured. */
  replyTo?: string;
}

/** A variant made ready for building messages: whatever the factory precomputes once. */
export interface VariantContext {
  readonly variant: RenderedVariant;
  readonly settings: MessageSettings;
  /** Implementation-specific precomputed state. */
  readonly compiled?: MimeTemplate<keyof SubscriberFields>;
}

export interface MessageFactory {
  prepareVariant(variant: RenderedVariant, settings: MessageSettings): VariantContext;
  buildMessage(ctx: VariantContext, r: MessageRecipient): Promise<RawMessage>;
}

const envelopeFrom = (from: string) => parseMailbox(from).address;

/** RFC 2369 / 8058 headers every issue message carries (besides To and Message-ID). */
export function listHeaders(listId: string, unsubscribeUrl: string): Record<string, string> {
  return {
    'List-Id': listId,
    'List-Unsubscribe': `<${unsubscribeUrl}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  };
}

export const composeFactory: MessageFactory = {
  prepareVariant: (variant, settings) => ({ variant, settings }),
  async buildMessage(ctx, r) {
    const { subject, html, text } = personalise(ctx.variant, r.fields);
    const name = safeDisplayName(r.name);
    const raw = await composeMessage({
      from: ctx.settings.from,
      to: name ? { name, address: r.email } : r.email,
      subject,
      html,
      text,
      messageId: r.messageId,
      date: ctx.settings.date,
      headers: listHeaders(ctx.settings.listId, r.fields.unsubscribeUrl),
      ...(ctx.settings.replyTo ? { replyTo: ctx.settings.replyTo } : {}),
    });
    return { from: envelopeFrom(ctx.settings.from), to: r.email, raw, messageId: r.messageId };
  },
};

/**
 * Slot values exactly as the renderer's fillTemplate would write them in the text part (the name
 * slot becomes " Ada" or ""); the HTML part gets them through the renderer's own escapeHtml, so a
 * spliced message says byte for byte what personalise() would.
 */
function slotValues(fields: SubscriberFields): SubscriberFields {
  const out = { ...fields };
  for (const key of SLOT_KEYS) out[key] = fillTemplate({ chunks: ['', ''], keys: [key] }, fields, 'text');
  return out;
}

/**
 * Message buffers handed back after the server accepted them, reused for later messages. A new
 * ~37 KB buffer per message cost allocation, page faults and garbage collections (external memory
 * drives V8's full collections): ~10% of a send's CPU (docs/decisions/006-lean-send-process.md).
 * Only as many buffers exist as messages are in flight at once.
 */
class MessageBuffers {
  private readonly free: Buffer[] = [];
  /** Room for a typical issue message with some to spare, so one buffer serves every variant. */
  private static readonly MIN = 64 * 1024;
  private static readonly KEEP = 64;

  /** The most recently handed back buffer that fits (still in the CPU cache), or a new one. */
  take(size: number): Buffer {
    for (let i = this.free.length - 1; i >= 0; i--) if (this.free[i]!.length >= size) return this.free.splice(i, 1)[0]!;
    return Buffer.allocUnsafeSlow(Math.max(size, MessageBuffers.MIN));
  }

  give(buf: Buffer): void {
    if (this.free.length < MessageBuffers.KEEP) this.free.push(buf);
  }
}

const buffers = new MessageBuffers();

export const spliceFactory: MessageFactory = {
  prepareVariant(variant, settings) {
    const compiled = compileMimeTemplate<keyof SubscriberFields>({
      from: settings.from,
      subject: variant.subject,
      date: settings.date,
      text: variant.text,
      html: variant.html,
      headers: { 'List-Id': settings.listId, ...(settings.replyTo ? { 'Reply-To': formatMailbox(parseMailbox(settings.replyTo)) } : {}) },
      oneClickUnsubscribe: true,
      escapeHtml,
      htmlEncoded: variant.htmlEncoded,
    });
    return { variant, settings, compiled };
  },
  async buildMessage(ctx, r) {
    const compiled = ctx.compiled ?? this.prepareVariant(ctx.variant, ctx.settings).compiled!;
    const name = safeDisplayName(r.name);
    let backing: Buffer | undefined;
    const raw = compiled.fill(
      {
        ...(name ? { name } : {}),
        email: r.email,
        messageId: r.messageId,
        unsubscribeUrl: r.fields.unsubscribeUrl,
        fields: slotValues(r.fields),
      },
      (size) => (backing = buffers.take(size)),
    );
    let released = false;
    const release = () => {
      if (released || !backing) return;
      released = true;
      buffers.give(backing);
    };
    return { from: compiled.envelopeFrom, to: r.email, raw, messageId: r.messageId, release };
  },
};

export function messageFactory(kind: 'splice' | 'compose' = 'splice'): MessageFactory {
  return kind === 'compose' ? composeFactory : spliceFactory;
}
