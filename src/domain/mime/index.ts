// MIME composition for bulk sending: a variant's message compiled once, spliced per subscriber.
export { encodeQp, encodeQpPiece, decodeQp } from './quoted-printable.js';
export type { QpPieceOptions } from './quoted-printable.js';
export {
  cleanAddress,
  encodeUnstructured,
  encodeWords,
  formatMailbox,
  formatMessageId,
  parseMailbox,
  stripControls,
} from './headers.js';
export type { Mailbox } from './headers.js';
export { compileMimeTemplate, escapeHtmlLikeHandlebars } from './mime-template.js';
export type { MimeRecipient, MimeTemplate, MimeVariantInput, SlotTemplate } from './mime-template.js';
