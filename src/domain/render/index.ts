// Rendering: issue variants (compiled once per topic set) and one-off emails, personalised by joins.
export { cleanText, safeHttpUrl } from './clean.js';
export { compileMjml, releaseMjml } from './mjml.js';
export { whyNotPrecompiled } from './precompile.js';
export { renderEmail } from './render-email.js';
export {
  describeVariant,
  personalise,
  renderVariant,
  renderWebEdition,
  variantKey,
  type RenderOptions,
  type RenderedVariant,
  type VariantInfo,
  type WebEdition,
} from './render-variant.js';
export { SAMPLE_EMAIL_DATA, SAMPLE_ISSUE, SAMPLE_SUBSCRIBER } from './sample-data.js';
export {
  SLOT_KEYS,
  cutSlots,
  escapeHtml,
  fillTemplate,
  slotMarker,
  sentBytes,
  templateBytes,
  type SlotKey,
  type SubscriberFields,
  type Template,
} from './slots.js';
export {
  compileEmailTemplates,
  type EmailTemplateSources,
  type EmailTemplates,
  type IssueTemplates,
  type PartialSource,
  type TemplateSource,
} from './templates.js';
export { shortenAuthors, shortenText, trimAbstract, type RenderLimits } from './trim.js';
export { texToUnicode } from './tex.js';
export { TEXT_WIDTH, wrapText } from './wrap-text.js';
export { MAX_HEAD_CSS_BYTES, headCssBytes, validateEmailTemplates, validateIssueTemplates } from './validate.js';
export {
  buildIssueView,
  dateLabel,
  layoutVariant,
  normaliseTopics,
  selectSections,
  shortTitle,
  type Detail,
  type IssueView,
  type PaperItem,
  type PaperView,
  type Publication,
  type SectionView,
} from './view-model.js';
