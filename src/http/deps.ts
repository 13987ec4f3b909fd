// The narrow set of ports the web app uses. Built from the App (src/app.ts) in production and from
// in-memory fakes in tests, so the routes never depend on how the rest of paperboy is composed.
import type { Config } from '../config.js';
import type { ArchiveStore } from '../adapters/archive-store.js';
import type { Mailer } from '../adapters/mailer.js';
import type { SignupLimits } from '../adapters/signup-limits.js';
import type { SubscriberStore } from '../adapters/subscriber-store.js';
import type { Taxonomy } from '../domain/taxonomy.js';
import type { RenderOneOff } from '../services/web-subscriptions.js';

/** What the admin API can ask of the sending side. Results are returned to the caller as JSON. */
export interface AdminPort {
  /** Sends one digest (a file name inside config.digestsDir) or, without one, every pending digest. */
  send(digestFile?: string): Promise<unknown>;
  status(): Promise<unknown>;
  /** HTML of the all-topics variant of a digest, as a subscriber would see it. */
  preview(digestFile: string): Promise<string>;
  /** What each fetched source gave per day and why a day has no issue (absent: GET /admin/sources is a 404). */
  sources?(): Promise<unknown>;
}

export interface WebDeps {
  config: Config;
  secret: string;
  clock: () => Date;
  store: SubscriberStore;
  mailer: Mailer;
  taxonomy: Taxonomy;
  archive: ArchiveStore;
  /** Renders a one-off mail (templates/emails/<name>/) with renderEmail. */
  renderEmail: RenderOneOff;
  admin: AdminPort;
  log: (line: string) => void;
  /** Defaults to in-memory caps from config.signup. */
  limits?: SignupLimits;
}
