// When a long-running command (start, serve, preview --serve) should stop: on SIGTERM or SIGINT, and
// when the npm wrapper that started it (npx, npm exec) has gone. npm hands a SIGTERM to the shell it
// runs the command in, not to paperboy below that shell: the shell dies, paperboy is left running
// with a new parent and keeps its port. So under npm the parent is watched, and its going away is a
// stop request too. Only under npm: a server started with `nohup … &` must outlive its shell.

/** How often the parent is checked under npm (a stop then takes up to this long to begin). */
export const PARENT_POLL_MS = 500;

export interface StopRequest {
  /** Resolves with what asked: "SIGTERM", "SIGINT" or "parent-exited". */
  reason: Promise<string>;
  dispose(): void;
}

/**
 * `onRepeat` is called for a signal after the first stop request (a second Ctrl-C: do not wait for
 * what is in flight). The parent going away during a stop is no second request.
 */
export function listenForStop(env: Record<string, string | undefined>, opts: { onRepeat?: (signal: NodeJS.Signals) => void } = {}): StopRequest {
  let asked = false;
  let resolve!: (reason: string) => void;
  const reason = new Promise<string>((r) => (resolve = r));
  const ask = (why: string) => {
    if (asked) return false;
    asked = true;
    resolve(why);
    return true;
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (!ask(signal)) opts.onRepeat?.(signal);
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);

  let watch: NodeJS.Timeout | undefined;
  if (env.npm_execpath !== undefined) {
    const parent = process.ppid;
    watch = setInterval(() => {
      if (process.ppid !== parent) ask('parent-exited');
    }, PARENT_POLL_MS).unref();
  }
  return {
    reason,
    dispose() {
      clearInterval(watch);
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
    },
  };
}
