// Fixed-window rate-limit hits of one process, counted in batches: while one
// statement is on its way, the hits that arrive wait and go together in the next,
// one row per key and window, whatever their number. Every /v1 request counts a
// hit, and on this driver a statement costs the process ~150 µs of CPU whatever
// it does (issue 15: single-event ingest spent more on statements than on work):
// under load, N requests now cost one statement, and a quiet process waits for none.
// An idle batcher starts its statement after the current turn of the event loop
// (setImmediate), not at the first hit: the requests read from the sockets in one
// turn count their hits in one statement rather than the first alone and the rest
// together (issue 15: 2.6 hits a statement under 8 connections of single events).

/** One statement: adds `counts[i]` to the window (`keys[i]`, `starts[i]`) and returns each window's count after it. */
export type AddHits = (keys: string[], starts: number[], counts: number[]) => Promise<Array<{ key: string; start: number; count: number }>>;

interface Waiting {
  key: string;
  start: number;
  resolve: (count: number) => void;
  reject: (error: unknown) => void;
}

export class WindowHits {
  private queue: Waiting[] = [];
  private running = false;

  constructor(private readonly add: AddHits) {}

  /** Counts one hit in the window (`key`, `start`); resolves the window's count with it, as if hits were counted one by one. */
  hit(key: string, start: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queue.push({ key, start, resolve, reject });
      if (!this.running) {
        this.running = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      const windows = new Map<string, Waiting[]>();
      for (const hit of batch) {
        const id = `${hit.start}\u0000${hit.key}`;
        windows.set(id, [...(windows.get(id) ?? []), hit]);
      }
      const groups = [...windows.values()];
      try {
        const rows = await this.add(
          groups.map((g) => g[0]!.key),
          groups.map((g) => g[0]!.start),
          groups.map((g) => g.length),
        );
        const after = new Map(rows.map((r) => [`${r.start}\u0000${r.key}`, r.count]));
        for (const [id, hits] of windows) {
          const count = after.get(id);
          // Each hit gets the count it would have had alone: the last one the window's total.
          hits.forEach((hit, i) => (count === undefined ? hit.reject(new Error(`no count returned for rate window ${hit.key}`)) : hit.resolve(count - (hits.length - 1 - i))));
        }
      } catch (error) {
        for (const hit of batch) hit.reject(error);
      }
    }
    this.running = false;
  }
}
