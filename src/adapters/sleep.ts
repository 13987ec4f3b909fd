// The one abortable wait every part of paperboy uses (rate-limit slots, retry backoff, the scheduler
// and send loops): node:timers/promises' setTimeout with a signal, resolving early — never
// rejecting — when the signal aborts.
//
// Many waits on one signal at once are by design: every send worker waits for its rate-limit slot on
// the run's stop signal. Each wait adds an abort listener for as long as it lasts, so twenty workers
// would trip Node's MaxListenersExceededWarning on the caller's signal. The waits listen instead on a
// relay signal of their own, tied to the caller's by a single listener and allowed any number of them
// (each is removed when its wait ends).
import { setMaxListeners } from 'node:events';
import { setTimeout as wait } from 'node:timers/promises';

const relays = new WeakMap<AbortSignal, AbortSignal>();

function relayOf(signal: AbortSignal): AbortSignal {
  let relay = relays.get(signal);
  if (!relay) {
    const c = new AbortController();
    setMaxListeners(0, c.signal);
    signal.addEventListener('abort', () => c.abort(signal.reason), { once: true });
    relay = c.signal;
    relays.set(signal, relay);
  }
  return relay;
}

/** Waits `ms`, or until `signal` aborts, whichever comes first. */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (!signal) return void (await wait(ms));
  if (signal.aborted) return;
  try {
    await wait(ms, undefined, { signal: relayOf(signal) });
  } catch (e) {
    if (!signal.aborted) throw e;
  }
}
