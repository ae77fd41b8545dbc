// One job run again and again on a timer: the next pass is scheduled when the last one
// ends, so two never overlap, and stop() waits for a pass in progress. The timer does
// not keep the process alive.

/** What to do after a pass failed: 'stop' ends the runs (the store closed, say); anything else goes on. */
export type OnPassError = (error: unknown) => 'stop' | void;

export class Periodic {
  private handle: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = true;

  constructor(
    private readonly pass: () => Promise<unknown>,
    private readonly everyMs: number,
    private readonly onError: OnPassError,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.handle = setTimeout(() => {
      this.running = this.pass()
        .catch((error: unknown) => {
          if (this.onError(error) === 'stop') this.stopped = true;
        })
        .finally(() => {
          this.running = undefined;
          this.schedule();
        });
    }, this.everyMs);
    this.handle.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.handle);
    await this.running;
  }
}
