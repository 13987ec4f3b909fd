// The subscriber list as it is *now*, for the check just before each message: somebody who
// unsubscribes during a run gets nothing from that point on. Re-reading a large file per message
// would cost more than sending; with a `version` probe (the file's inode, mtime and size) the list
// is re-read only when the file changed, otherwise at most every `maxAgeMs`.
import type { SubscriberStore } from '../adapters/subscriber-store.js';
import { normaliseEmail, type Subscriber } from '../domain/subscriber.js';

/** What the send needs of a subscriber's current record: whether to send, and their name and links. */
export type WatchedSubscriber = Pick<Subscriber, 'email' | 'name' | 'status' | 'tokenVersion'>;

export interface WatchOptions {
  /** Cheap change probe; when given, the list is re-read exactly when its result changes. */
  version?: () => Promise<string>;
  /** Without a probe: re-read when the copy is older than this. */
  maxAgeMs?: number;
  now?: () => number;
}

export class SubscriberWatch {
  private byEmail = new Map<string, WatchedSubscriber>();
  private version: string | undefined;
  private loadedAt = -Infinity;
  private refreshing: Promise<void> | undefined;

  constructor(
    private readonly store: Pick<SubscriberStore, 'list'>,
    private readonly opts: WatchOptions = {},
  ) {}

  /**
   * Seeds the copy with a list read moments ago (the one the plan was made from). Only the fields
   * a send reads are kept, so the full records (consent, topics, dates) can be let go: at 100,000
   * subscribers they are ~45 MB.
   */
  prime(subs: readonly Subscriber[], version?: string): void {
    this.byEmail = new Map(subs.map((s) => [normaliseEmail(s.email), slim(s)]));
    this.version = version;
    this.loadedAt = (this.opts.now ?? Date.now)();
  }

  /** The subscriber's current record, or undefined if they are no longer in the list. */
  async current(email: string): Promise<WatchedSubscriber | undefined> {
    await this.freshen();
    return this.byEmail.get(normaliseEmail(email));
  }

  private async freshen(): Promise<void> {
    if (this.refreshing) return this.refreshing;
    let version: string | undefined;
    if (this.opts.version) {
      version = await this.opts.version();
      if (version === this.version) return;
    } else if ((this.opts.now ?? Date.now)() - this.loadedAt < (this.opts.maxAgeMs ?? 250)) {
      return;
    }
    // One re-read serves every worker that asked meanwhile.
    this.refreshing ??= (async () => {
      try {
        this.prime(await this.store.list(), version);
      } finally {
        this.refreshing = undefined;
      }
    })();
    return this.refreshing;
  }
}

function slim(s: Subscriber): WatchedSubscriber {
  return s.name === undefined ? { email: s.email, status: s.status, tokenVersion: s.tokenVersion } : { email: s.email, name: s.name, status: s.status, tokenVersion: s.tokenVersion };
}
