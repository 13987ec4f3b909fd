// How long to wait before the next request to a service, from what paperboy promised it and what
// it said: arXiv asks for at most one request every 3 seconds (all of a client's requests
// together); Hugging Face counts requests in fixed 5-minute windows and says, in its RateLimit
// header, how many are left and when the window resets. Pure: times are milliseconds passed in.

export interface PaceState {
  /**
   * When the last request started, or once answered, ended (ms). Counting the gap from the end
   * keeps it at the server too: the previous request arrived before its answer ended, the next
   * one arrives after it starts.
   */
  lastStartMs?: number;
  /** Nothing may start before this (ms): a Retry-After or an exhausted rate-limit window. */
  holdUntilMs?: number;
  /** Our own fixed-window budget: the current window's start and the requests counted in it. */
  windowStartMs?: number;
  windowCount?: number;
}

export interface PaceRules {
  /** Minimum time between two request starts (arXiv: 3000). */
  minGapMs: number;
  /** At most this many requests per fixed window of windowMs (0: no budget). */
  windowQuota?: number;
  windowMs?: number;
}

/** Milliseconds to wait at `nowMs` before the next request may start (0: go). */
export function waitBeforeNext(state: PaceState, rules: PaceRules, nowMs: number): number {
  let until = 0;
  if (state.lastStartMs !== undefined) until = Math.max(until, state.lastStartMs + rules.minGapMs);
  if (state.holdUntilMs !== undefined) until = Math.max(until, state.holdUntilMs);
  if (rules.windowQuota && rules.windowMs && state.windowStartMs !== undefined && nowMs < state.windowStartMs + rules.windowMs) {
    if ((state.windowCount ?? 0) >= rules.windowQuota) until = Math.max(until, state.windowStartMs + rules.windowMs);
  }
  return Math.max(0, until - nowMs);
}

/** The state once a request starts at `nowMs`. */
export function startedAt(state: PaceState, rules: PaceRules, nowMs: number): PaceState {
  const inWindow = rules.windowMs !== undefined && state.windowStartMs !== undefined && nowMs < state.windowStartMs + rules.windowMs;
  return {
    ...state,
    lastStartMs: nowMs,
    windowStartMs: inWindow ? state.windowStartMs : nowMs,
    windowCount: inWindow ? (state.windowCount ?? 0) + 1 : 1,
  };
}

/** The state once a request's answer has ended at `nowMs`. */
export function endedAt(state: PaceState, nowMs: number): PaceState {
  return { ...state, lastStartMs: Math.max(state.lastStartMs ?? 0, nowMs) };
}

/** The state once the server said to hold off until `untilMs` (the later of two holds wins). */
export function heldUntil(state: PaceState, untilMs: number): PaceState {
  return { ...state, holdUntilMs: Math.max(state.holdUntilMs ?? 0, untilMs) };
}
