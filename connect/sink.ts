/**
 * One rollups partition owned by this connect worker. Delivery: exactly once into the store.
 *
 * Records are written in *ranges*. Before writing range `c..e` the worker commits offset `c` with the
 * intent `end=e` as commit metadata; then it writes every document of the range with one guarded
 * upsert (applies only if the document's `o.<p>` is below `c`, and sets it to `e`); then it commits
 * `e+1`. A worker that takes the partition over after a crash anywhere in between finds the intent and
 * writes exactly the same range again: documents already written are skipped by the guard (E11000),
 * the rest are written. Because the range is the same, merging deltas per document never mixes
 * applied and unapplied records. A zombie's late writes of an old range are stopped by the guard too.
 * A write is retried only once its previous attempt settled (connect/unsettled.ts): where the guard is
 * a read, then an update (FerretDB), a retry racing an attempt still queued in the store could apply
 * the range twice.
 */
import { withDeadline } from '../common/errors.ts';
import { failpoint } from '../common/failpoints.ts';
import type { Admin, Consumer } from '../common/kafka.ts';
import type { Logger } from '../common/log.ts';
import {
  type AnyBulkWriteOperation,
  applyGuardedUpserts,
  type Backend,
  type Collection,
  type Doc,
} from '../common/mongo.ts';
import { RollupBatch } from '../proto/index.ts';
import { Merger } from './merge.ts';
import type { ConnectMetrics } from './metrics.ts';
import type { RollupCollections } from './store.ts';
import type { UnsettledWrites } from './unsettled.ts';

const INTENT = /^sluice:end=(\d+)$/;

export interface SinkContext {
  consumer: Consumer;
  admin: Admin;
  log: Logger;
  metrics: ConnectMetrics;
  topic: string;
  groupId: string;
  cols: RollupCollections;
  backend: Backend;
  maxOps: number;
  retentionMs: Record<number, number>;
  retryMaxMs: number;
  /** Store write attempts not yet answered, per partition, for the whole process. */
  unsettled: UnsettledWrites;
  /** How often a write waiting on the store heartbeats and logs, ms. */
  waitTickMs: number;
}

export interface Pending {
  offset: number;
  value: Buffer | null;
}

export class PartitionSink {
  readonly partition: number;
  readonly #ctx: SinkContext;
  /** Next offset to write (everything below is in the store and committed). */
  #next: number;
  /** An intent found at open: the first range must end exactly here. */
  #intentEnd: number | undefined;
  readonly #pending: Pending[] = [];

  private constructor(ctx: SinkContext, partition: number, next: number, intentEnd: number | undefined) {
    this.#ctx = ctx;
    this.partition = partition;
    this.#next = next;
    this.#intentEnd = intentEnd;
  }

  static async open(ctx: SinkContext, partition: number): Promise<PartitionSink> {
    const [t] = await withDeadline(
      ctx.admin.fetchOffsets({ groupId: ctx.groupId, topics: [ctx.topic] }),
      30_000,
      'fetchOffsets',
    );
    const o = t?.partitions.find((x) => x.partition === partition);
    const next = o && Number(o.offset) >= 0 ? Number(o.offset) : 0;
    const m = INTENT.exec(o?.metadata ?? '');
    const intentEnd = m ? Number(m[1]) : undefined;
    ctx.log.info({ partition, next, intentEnd }, 'rollups partition opened');
    return new PartitionSink(ctx, partition, next, intentEnd);
  }

  /** The first offset not yet written and committed. */
  get next(): number {
    return this.#next;
  }

  /** Takes a fetched record; records below the committed offset were written already. */
  offer(offset: number, value: Buffer | null): void {
    // Offsets have gaps (transaction markers, aborted records), so compare, never count.
    const last = this.#pending.at(-1)?.offset ?? -1;
    if (offset >= this.#next && offset > last) this.#pending.push({ offset, value });
  }

  /** Whether the pending records make a range that may be written now. */
  get writable(): boolean {
    if (this.#pending.length === 0) return false;
    return this.#intentEnd === undefined || this.#pending.at(-1)!.offset >= this.#intentEnd;
  }

  /**
   * Writes the pending range (retrying store failures with backoff while `running()`), then commits.
   * Returns false when it stopped because the worker is shutting down or lost the partition.
   */
  async write(running: () => boolean, heartbeat: () => Promise<void>): Promise<boolean> {
    const { metrics: m, log } = this.#ctx;
    const end = this.#intentEnd ?? this.#pending.at(-1)!.offset;
    const range = this.#pending.filter((p) => p.offset <= end);
    const from = this.#next;
    const started = performance.now();
    if (this.#intentEnd === undefined) await this.#commit(from, `sluice:end=${end}`);
    failpoint('connect.after-intent');
    const merger = new Merger();
    for (const r of range) {
      try {
        const b = RollupBatch.decode(r.value ?? Buffer.alloc(0));
        for (const d of b.deltas) merger.add(d);
        m.deltas.inc(b.deltas.length);
        m.messages.inc({ outcome: 'applied' });
      } catch {
        m.messages.inc({ outcome: 'undecodable' });
        log.error({ partition: this.partition, offset: r.offset }, 'undecodable rollups record skipped');
      }
    }
    const writes: Array<[Collection<Doc>, AnyBulkWriteOperation<Doc>[], string]> = [];
    for (const [res, ops] of merger.ops(this.partition, from, end, this.#ctx.retentionMs)) {
      const c = this.#ctx.cols.byRes.get(res);
      if (c) writes.push([c, ops, c.collectionName]);
    }
    writes.push([this.#ctx.cols.series, merger.seriesOps(), 'series']);
    for (const [coll, ops, name] of writes) {
      for (let i = 0; i < ops.length; i += this.#ctx.maxOps) {
        const chunk = ops.slice(i, i + this.#ctx.maxOps);
        const ok = await this.#retry(running, heartbeat, name, async () => {
          const r = await applyGuardedUpserts(coll, chunk, this.#ctx.backend);
          m.upserts.inc({ collection: name, outcome: 'applied' }, r.applied);
          m.upserts.inc({ collection: name, outcome: 'already_applied' }, r.alreadyApplied);
          m.duplicates.inc(r.alreadyApplied);
        });
        if (!ok) return false;
        // A large range takes a while on a slow store: stay in the group meanwhile.
        await heartbeat();
      }
    }
    failpoint('connect.after-write');
    await this.#commit(end + 1, '');
    this.#pending.splice(0, range.length);
    this.#next = end + 1;
    this.#intentEnd = undefined;
    m.writeDocs.observe(merger.size);
    m.writeSeconds.observe((performance.now() - started) / 1000);
    return true;
  }

  async #commit(offset: number, metadata: string): Promise<void> {
    const { consumer, topic } = this.#ctx;
    const commit = consumer.commitOffsets([
      { topic, partition: this.partition, offset: String(offset), metadata: metadata || null } as never,
    ]);
    await withDeadline(commit, 30_000, `commit of ${topic}[${this.partition}]@${offset}`);
  }

  /**
   * Store writes wait out an unavailable or slow store; lag grows in Kafka, never in memory. A write
   * is retried only after its previous attempt settled (connect/unsettled.ts): a stopped store is
   * waited for, never raced.
   */
  async #retry(
    running: () => boolean,
    heartbeat: () => Promise<void>,
    name: string,
    op: () => Promise<void>,
  ): Promise<boolean> {
    const { metrics: m, log } = this.#ctx;
    let stalled = false;
    const stall = () => {
      if (!stalled) m.stalled.inc();
      stalled = true;
    };
    const waiting = {
      running,
      heartbeat,
      tickMs: this.#ctx.waitTickMs,
      onTick: (waitedMs: number) => {
        stall();
        log.warn(
          { partition: this.partition, collection: name, waitedS: Math.round(waitedMs / 1000) },
          'store write unanswered; waiting for it (a write is never re-issued while unsettled)',
        );
      },
    };
    try {
      for (let attempt = 0; ; attempt++) {
        const out = await this.#ctx.unsettled.run(this.partition, op, waiting);
        if (!out.settled) return false;
        if (out.ok) return true;
        m.writeErrors.inc({ kind: (out.error as Error)?.name ?? 'Error' });
        stall();
        if (!running()) return false;
        const pause = Math.random() * Math.min(this.#ctx.retryMaxMs, 100 * 2 ** attempt);
        log.warn(
          { err: out.error, partition: this.partition, attempt, pauseMs: Math.round(pause) },
          'store write failed; retrying',
        );
        await new Promise((r) => setTimeout(r, pause));
        await heartbeat().catch(() => undefined);
      }
    } finally {
      if (stalled) m.stalled.dec();
    }
  }
}
