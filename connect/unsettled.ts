/**
 * Store writes are never re-issued while an earlier attempt on the same partition is unsettled.
 *
 * Why: on FerretDB the offset guard is a read, then an update (common/ferretdb-writes.ts). An attempt
 * the client has stopped waiting for can still sit in a stopped store's socket buffer; a second
 * attempt whose guard read runs before that update commits applies the same range twice. Fault
 * scenario 5 (the store SIGSTOPped for 60 s) did exactly that when connect retried a write after a
 * 20 s deadline: rollups documents were counted twice once the store resumed.
 *
 * So an attempt is only ever followed by another once it has *settled*: the store answered, or the
 * connection failed. For "settled" to mean "the store is done with it", connect's client never
 * abandons a request on its own (on FerretDB: no socket or monitor timeouts, see
 * `connectStore({ neverAbandon })`); a connection then fails only when the store process is gone,
 * and its unanswered requests with it.
 *
 * Waiting is bounded by `running()` (a rebalance, a shutdown) and keeps the consumer in its group with
 * `heartbeat()`. The registry lives as long as the process: a sink of a later session waits here for
 * an attempt an ended session left unsettled before it reads any guard. Another *process* taking the
 * partition over meanwhile is not covered; README lists that among the local store's differences.
 */

export interface Waiting {
  running(): boolean;
  heartbeat(): Promise<void>;
  /** How often to heartbeat and report while waiting, ms. */
  tickMs: number;
  /** Called on each tick with the time waited so far (for logs and metrics). */
  onTick?(waitedMs: number): void;
}

export type Outcome<T> =
  | { settled: true; ok: true; value: T }
  | { settled: true; ok: false; error: unknown }
  | { settled: false };

export class UnsettledWrites {
  readonly #byKey = new Map<number, Promise<unknown>>();

  /** Keys (partitions) with an attempt the store has not answered yet. */
  get size(): number {
    return this.#byKey.size;
  }

  has(key: number): boolean {
    return this.#byKey.has(key);
  }

  /** Waits until no attempt on `key` is unsettled; false when `running()` turned false first. */
  async idle(key: number, w: Waiting): Promise<boolean> {
    for (let p = this.#byKey.get(key); p; p = this.#byKey.get(key)) {
      if (!(await settles(p, w))) return false;
    }
    return true;
  }

  /**
   * Starts `op` once nothing on `key` is unsettled and waits for it to settle. `{settled: false}`:
   * `running()` turned false first; the attempt stays registered until the store answers it.
   */
  async run<T>(key: number, op: () => Promise<T>, w: Waiting): Promise<Outcome<T>> {
    if (!(await this.idle(key, w))) return { settled: false };
    let out: Outcome<T> = { settled: false };
    const attempt = op().then(
      (value) => {
        out = { settled: true, ok: true, value };
      },
      (error) => {
        out = { settled: true, ok: false, error };
      },
    );
    // Registered before any await: no second attempt on this key can start in between.
    this.#byKey.set(key, attempt);
    void attempt.finally(() => {
      if (this.#byKey.get(key) === attempt) this.#byKey.delete(key);
    });
    await settles(attempt, w);
    return out;
  }
}

/** Waits for `p` (which never rejects) while `running()`, heartbeating every tick. */
async function settles(p: Promise<unknown>, w: Waiting): Promise<boolean> {
  let done = false;
  const settled = p.then(() => {
    done = true;
  });
  const started = performance.now();
  for (;;) {
    let timer: NodeJS.Timeout | undefined;
    const tick = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, w.tickMs);
    });
    await Promise.race([settled, tick]);
    clearTimeout(timer);
    if (done) return true;
    if (!w.running()) return false;
    w.onTick?.(performance.now() - started);
    await w.heartbeat().catch(() => undefined);
  }
}
