// Group commit: callers that change the in-memory data ask for a commit; every
// caller waiting while a write is in flight shares the next single write. One
// file write serves many requests, and each caller resolves only after a write
// that started after its change has become durable.
//
// A write may go on after its changes are durable (the lowdb store starts
// installing a finished snapshot fold then: a rename, a folder fsync). It calls
// `durable()` once they are, and its callers are answered then: they need not wait
// for that (issue 20: ~100 ms under load, the slowest requests at half of peak).
// Callers arriving meanwhile still wait for the whole write, then for their own.
export class GroupCommit {
  private waiting: { resolve: () => void; reject: (error: unknown) => void }[] = [];
  private running: Promise<void> | undefined;

  constructor(private readonly write: (durable: () => void) => Promise<void>) {}

  commit(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.running ??= this.drain();
    });
  }

  /**
   * Rejects every caller waiting for the next write: after a rollback their
   * changes are gone from memory, so that write would not contain them.
   */
  failWaiting(error: unknown): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const w of waiting) w.reject(error);
  }

  /** Resolves when nothing is waiting or being written. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    try {
      while (this.waiting.length > 0) {
        const batch = this.waiting;
        this.waiting = [];
        let answered = false;
        const durable = () => {
          if (answered) return;
          answered = true;
          for (const w of batch) w.resolve();
        };
        try {
          await this.write(durable);
          durable();
        } catch (error) {
          // Once durable, the batch has its answer: a later failure of the write is the writer's to report.
          if (!answered) for (const w of batch) w.reject(error);
        }
      }
    } finally {
      this.running = undefined;
    }
  }
}
