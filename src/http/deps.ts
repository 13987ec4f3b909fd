// The narrow set of ports the web app uses. Built from the App (src/app.ts) in production and from
// in-memory fakes in tests, so the routes never depend on how the rest of paperboy is composed.
import type { Config } from '../config.js';
import type { Mailer } from '../adapters/mailer.js';
import type { Taxonomy } from '../domain/taxonomy.js';
import type { ArchiveRows, SubscriberRows } from '../services/store-ports.js';
import type { RenderOneOff, SignupLimits } from '../services/web-subscriptions.js';

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
  store: Pick<SubscriberRows, 'findSubscriber' | 'changeSubscriber'> & ArchiveRows;
  mailer: Mailer;
  taxonomy: Taxonomy;
  /** Renders a one-off mail (templates/emails/<name>/) with renderEmail. */
  renderEmail: RenderOneOff;
  admin: AdminPort;
  log: (line: string) => void;
  limits: SignupLimits;
}
