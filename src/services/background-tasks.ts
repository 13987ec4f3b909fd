// Work the web app starts but does not wait for (confirmation mails): the response must not reveal,
// by its timing, whether a mail went out. Tasks run one at a time with a turn of the event loop
// between them, so a burst of sign-ups (MJML rendering is CPU work) never starves the responses.
// Failures are logged; close() and tests wait with idle().
import { setImmediate as nextTurn } from 'node:timers/promises';

export class BackgroundTasks {
  private readonly queue: { label: string; task: () => Promise<unknown> }[] = [];
  private draining: Promise<void> | undefined;

  constructor(
    private readonly log: (line: string) => void,
    private readonly concurrency = 2,
  ) {}

  run(label: string, task: () => Promise<unknown>): void {
    this.queue.push({ label, task });
    this.draining ??= this.drain().finally(() => (this.draining = undefined));
  }

  /** Resolves once every task started so far (and any they started) has settled. */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private async drain(): Promise<void> {
    const worker = async () => {
      for (let next = this.queue.shift(); next; next = this.queue.shift()) {
        await nextTurn();
        try {
          await next.task();
        } catch (e) {
          this.log(`${next.label} failed: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: this.concurrency }, worker));
  }
}
