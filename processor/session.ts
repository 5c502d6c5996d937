/**
 * A processor consumer session: one consumer-group membership on `raw` and the partition workers it
 * owns. A session ends on any failure that leaves in-memory state out of step with what Kafka
 * committed (a failed or fenced flush, a consumer crash); the service then starts a new one, which
 * reopens its partitions from the committed offsets and dedup state. Nothing is ever half-applied:
 * un-flushed state of an ended session is simply dropped and re-read from `raw`.
 */

import { withDeadline } from '../common/errors.ts';
import type { Consumer, EachBatchPayload } from '../common/kafka.ts';
import { isFenced } from '../common/kafka.ts';
import { type PartitionContext, PartitionWorker } from './partition.ts';

/** Above TransactionalProducer.maxRunMs (46 s, 64 s with a replacement pending): its own deadlines fire first. */
const FLUSH_DEADLINE_MS = 90_000;

export interface SessionOptions {
  ctx: PartitionContext;
  flushMs: number;
  fetchMaxBytes: number;
  sessionTimeoutMs: number;
  /** The process's caps; each owned partition gets an equal share (in `ctx.caps`). */
  processCaps: { maxEntries: number; maxBytes: number };
}

export class Session {
  readonly #opts: SessionOptions;
  readonly #consumer: Consumer;
  readonly #workers = new Map<number, Promise<PartitionWorker>>();
  /** The workers whose `open` has finished. */
  readonly #open = new Map<number, PartitionWorker>();
  #timer: NodeJS.Timeout | undefined;
  #ended: Promise<void>;
  #end!: (reason: string) => void;
  #failed = false;
  joined = false;
  endReason = '';

  constructor(opts: SessionOptions) {
    this.#opts = opts;
    const { kafka, groupId } = opts.ctx;
    this.#consumer = kafka.consumer({
      groupId,
      readUncommitted: false,
      maxBytes: opts.fetchMaxBytes,
      maxBytesPerPartition: Math.max(1 << 20, Math.floor(opts.fetchMaxBytes / 4)),
      sessionTimeout: opts.sessionTimeoutMs,
      heartbeatInterval: Math.max(500, Math.floor(opts.sessionTimeoutMs / 10)),
      rebalanceTimeout: 60_000,
      // kafkajs would restart a crashed consumer itself and re-deliver from the committed offset
      // into our live aggregation state; instead the session ends and a new one starts clean.
      retry: { retries: 5, restartOnFailure: async () => false },
    });
    this.#ended = new Promise((resolve) => {
      this.#end = (reason) => {
        this.endReason ||= reason;
        resolve();
      };
    });
  }

  /** Starts consuming; resolves when the session has ended (failure or `stop`). */
  async run(): Promise<string> {
    const { ctx } = this.#opts;
    const c = this.#consumer;
    c.on(c.events.GROUP_JOIN, (e) => {
      this.joined = true;
      const mine = new Set<number>(e.payload.memberAssignment[ctx.topics.raw] ?? []);
      for (const p of [...this.#workers.keys()]) if (!mine.has(p)) void this.#drop(p);
      ctx.metrics.partitions.set(mine.size);
      // Memory stays under the process cap whatever the assignment: each partition gets its share.
      const share = Math.max(1, mine.size);
      ctx.caps.maxEntries = Math.max(100, Math.floor(this.#opts.processCaps.maxEntries / share));
      ctx.caps.maxBytes = Math.max(1 << 20, Math.floor(this.#opts.processCaps.maxBytes / share));
      ctx.log.info({ partitions: [...mine].sort((a, b) => a - b) }, 'assignment');
    });
    c.on(c.events.CRASH, (e) => this.#fail(e.payload.error, 'consumer crashed'));
    await c.connect();
    await c.subscribe({ topic: ctx.topics.raw, fromBeginning: true });
    await c.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: (p) => this.#batch(p),
    });
    this.#timer = setInterval(() => this.#tick(), Math.max(25, Math.floor(this.#opts.flushMs / 4)));
    await this.#ended;
    return this.endReason;
  }

  /** Graceful end: stop fetching, flush what every partition has processed, leave the group. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#end('stopped');
    await this.#consumer.stop().catch(() => undefined);
    if (!this.#failed) {
      for (const w of await this.#openWorkers()) {
        await w
          .serial(() => this.#flush(w, 'shutdown'))
          .catch((err) => this.#opts.ctx.log.error({ err, partition: w.partition }, 'final flush failed'));
      }
    }
    await this.#teardown();
  }

  async #batch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    if (this.#failed) return;
    const { ctx, flushMs } = this.#opts;
    try {
      const w = await this.#worker(batch.partition);
      await w.serial(async () => {
        for (const m of batch.messages) {
          if (this.#failed || !isRunning() || isStale()) return;
          const offset = Number(m.offset);
          // Below `position`: recorded already (kafkajs re-fetched after a rejoin); the dedup would skip it too.
          if (offset >= w.position && w.record(offset, m.value)) {
            await this.#flush(w, 'full');
            await heartbeat();
          }
          resolveOffset(m.offset);
        }
        if (Date.now() - w.lastFlush >= flushMs) await this.#flush(w, 'interval');
      });
      ctx.metrics.lag.set({ partition: String(batch.partition) }, Number(batch.offsetLag()));
    } catch (err) {
      this.#fail(err, isFenced(err) ? 'fenced' : 'flush failed');
    }
  }

  #tick(): void {
    const { ctx, flushMs } = this.#opts;
    let entries = 0;
    let bytes = 0;
    for (const [p, w] of this.#open) {
      entries += w.entries;
      bytes += w.bytes;
      if (!this.#failed && w.dirty && Date.now() - w.lastFlush >= flushMs) {
        // #failed is checked again when the flush's turn comes: a flush queued behind one that fails
        // must not run (the worker refuses too, see PartitionWorker.#broken).
        w.serial(() => (!this.#failed && w.dirty ? this.#flush(w, 'idle') : Promise.resolve())).catch((err) =>
          this.#fail(err, isFenced(err) ? 'fenced' : `idle flush of ${p} failed`),
        );
      }
    }
    ctx.metrics.mapEntries.set(entries);
    ctx.metrics.mapBytes.set(bytes);
  }

  /**
   * A flush with a deadline: kafkajs retries a transactional producer's requests for ever while a
   * broker is away. Past the deadline the session fails and a new one fences this one's producers, so
   * a flush that completes late is either committed before the new session reads the committed state,
   * or aborted.
   */
  #flush(w: PartitionWorker, cause: string): Promise<void> {
    return withDeadline(w.flush(cause), FLUSH_DEADLINE_MS, `flush of raw partition ${w.partition}`);
  }

  #worker(p: number): Promise<PartitionWorker> {
    let w = this.#workers.get(p);
    if (!w) {
      w = PartitionWorker.open(this.#opts.ctx, p);
      this.#workers.set(p, w);
      w.then(
        (opened) => this.#workers.get(p) === w && this.#open.set(p, opened),
        () => undefined,
      );
    }
    return w;
  }

  /** A partition moved away: its un-flushed state is dropped (the new owner re-reads it from `raw`). */
  async #drop(p: number): Promise<void> {
    const pw = this.#workers.get(p);
    this.#workers.delete(p);
    this.#open.delete(p);
    const w = await pw?.catch(() => undefined);
    if (w) await w.serial(() => w.close()).catch(() => undefined);
    this.#opts.ctx.log.info({ partition: p }, 'partition released');
  }

  #fail(err: unknown, reason: string): void {
    if (this.#failed) return;
    this.#failed = true;
    this.#opts.ctx.log.error({ err, reason }, 'processor session failed; starting a new one');
    this.#end(reason);
  }

  async #openWorkers(): Promise<PartitionWorker[]> {
    const all = await Promise.allSettled(this.#workers.values());
    return all.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  }

  /** Leaves the group and closes every producer, without flushing. */
  async #teardown(): Promise<void> {
    clearInterval(this.#timer);
    await this.#consumer.disconnect().catch(() => undefined);
    for (const w of await this.#openWorkers()) await w.close().catch(() => undefined);
    this.#workers.clear();
    this.#open.clear();
  }

  /** Ends a failed session (no flush). */
  async abandon(): Promise<void> {
    await this.#teardown();
  }
}
