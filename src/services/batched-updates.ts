// Group commit for the subscriber store: changes that arrive while a write is in progress are applied
// together in the next store.update (one lock, one read, one fsync'd write), so a burst of sign-ups
// costs a few writes instead of one each. Each caller still gets its own result.
import type { SubscriberStore } from '../adapters/subscriber-store.js';
import type { Subscriber } from '../domain/subscriber.js';

interface Waiting {
  mutate: (subs: Subscriber[]) => unknown;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

export class BatchedUpdates {
  private waiting: Waiting[] = [];
  private running = false;

  constructor(private readonly store: SubscriberStore) {}

  /** `mutate` must be synchronous; if any change in a batch throws, none of the batch is written. */
  update<T>(mutate: (subs: Subscriber[]) => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({ mutate, resolve: resolve as (v: unknown) => void, reject });
      void this.drain();
    });
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.waiting.length > 0) {
        const batch = this.waiting.splice(0);
        try {
          const results = await this.store.update((subs) => batch.map((w) => w.mutate(subs)));
          batch.forEach((w, i) => w.resolve(results[i]));
        } catch (e) {
          for (const w of batch) w.reject(e);
        }
      }
    } finally {
      this.running = false;
    }
  }
}
