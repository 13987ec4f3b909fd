// Timing rules of a send run, pure (time and randomness come in): the rate limit across the whole
// run and the retry backoff for temporary failures.

/**
 * Spaces SMTP transactions evenly at `perSecond` across all workers (0 = no limit). `take(now)`
 * reserves the next slot and returns how long the caller must wait for it.
 */
export class Pacer {
  private next = 0;
  constructor(private readonly perSecond: number) {}

  take(nowMs: number): number {
    if (this.perSecond <= 0) return 0;
    const slot = Math.max(nowMs, this.next);
    this.next = slot + 1000 / this.perSecond;
    return slot - nowMs;
  }
}

/** Longest wait between two attempts, whatever the base and attempt number (postfix's maximal_backoff_time is 4,000 s). */
export const MAX_BACKOFF_MS = 60 * 60_000;

/**
 * Delay before retry number `attempt` (1 = the first retry): base doubling each time up to an hour, with ±20%
 * jitter so recipients deferred together do not all come back in the same instant.
 */
export function backoffMs(attempt: number, baseMs: number, random: number): number {
  const plain = Math.min(baseMs * 2 ** Math.max(0, attempt - 1), MAX_BACKOFF_MS);
  return Math.round(plain * (0.8 + 0.4 * Math.min(Math.max(random, 0), 1)));
}
