/**
 * One raw partition owned by this processor: its transactional producer, dedup state and
 * aggregation map. Delivery: exactly once. A flush is one Kafka transaction holding the rollup deltas,
 * the dedup-state changes and the consumed raw offset, so a crash at any point either publishes all
 * three or none; the next owner resumes from the committed offset with the committed dedup state.
 *
 * Taking over (kafka-notes §3.3, pre-KIP-447 fencing): the producer's transactional id is the
 * partition's, so `open` first fences any previous owner (InitProducerId aborts or completes its open
 * transaction), and only then reads the committed offset and the dedup state — which therefore include
 * everything the previous owner committed.
 */

import { SluiceError } from '../common/errors.ts';
import { failpoint } from '../common/failpoints.ts';
import { type Kafka, readPartitionToEnd } from '../common/kafka.ts';
import { KafkaFencedError, KafkaTxnError, TransactionalProducer } from '../common/kafka-txn.ts';
import type { Logger } from '../common/log.ts';
import { AgentSeqs } from '../proto/index.ts';
import { Aggregator, type Caps } from './aggregate.ts';
import { DedupState } from './dedup.ts';
import type { ProcessorMetrics } from './metrics.ts';
import { decodeRaw, recordPayload, toBatches } from './records.ts';

export interface PartitionContext {
  kafka: Kafka;
  log: Logger;
  metrics: ProcessorMetrics;
  topics: { raw: string; rollups: string; dedup: string };
  groupId: string;
  rollupPartitions: number;
  caps: Caps;
  dedup: { maxRanges: number; horizonMs: number };
  batchMaxBytes: number;
}

export class PartitionWorker {
  readonly partition: number;
  readonly #ctx: PartitionContext;
  readonly #producer: TransactionalProducer;
  readonly #agg: Aggregator;
  readonly #dedup: DedupState;
  /** The first raw offset this owner may process: everything below was committed by a previous owner. */
  readonly startOffset: number;
  /** The raw offset after the last one recorded (what the next flush commits). */
  #next: number;
  #committed: number;
  #lock: Promise<unknown> = Promise.resolve();
  /**
   * Set by a failed flush. The flush had already drained the map and taken the dedup changes, so this
   * worker no longer holds what it recorded: a later flush would commit the raw offset without those
   * records' deltas (a loss found by fault scenario 4). A broken worker refuses to record and to flush;
   * only a new session, re-reading the committed state, goes on.
   */
  #broken: unknown;
  lastFlush = Date.now();

  private constructor(
    ctx: PartitionContext,
    partition: number,
    producer: TransactionalProducer,
    dedup: DedupState,
    committed: number,
  ) {
    this.#ctx = ctx;
    this.partition = partition;
    this.#producer = producer;
    this.#dedup = dedup;
    this.#agg = new Aggregator(ctx.caps);
    this.startOffset = committed;
    this.#next = committed;
    this.#committed = committed;
  }

  static async open(ctx: PartitionContext, partition: number): Promise<PartitionWorker> {
    const producer = new TransactionalProducer(ctx.kafka, {
      transactionalId: `${ctx.groupId}-raw-${partition}`,
      log: ctx.log,
    });
    try {
      // Fence the previous owner: InitProducerId bumps the epoch and ends its open transaction.
      await producer.init();
      const dedup = new DedupState(ctx.dedup);
      const loaded = await readPartitionToEnd(ctx.kafka, ctx.topics.dedup, partition, (key, value) => {
        if (key) dedup.load(key.toString(), value ? AgentSeqs.decode(value) : null);
      });
      const admin = ctx.kafka.admin();
      await admin.connect();
      let committed = 0;
      try {
        const [t] = await admin.fetchOffsets({ groupId: ctx.groupId, topics: [ctx.topics.raw] });
        const o = t?.partitions.find((x) => x.partition === partition);
        committed = o && Number(o.offset) >= 0 ? Number(o.offset) : 0;
      } finally {
        await admin.disconnect();
      }
      ctx.log.info({ partition, committed, dedupRecords: loaded, agents: dedup.agents }, 'partition opened');
      return new PartitionWorker(ctx, partition, producer, dedup, committed);
    } catch (err) {
      await producer.close();
      throw err;
    }
  }

  get entries(): number {
    return this.#agg.entries;
  }
  get bytes(): number {
    return this.#agg.bytes;
  }
  /** The next raw offset to record: everything below was recorded (or committed by a previous owner). */
  get position(): number {
    return this.#next;
  }
  get dirty(): boolean {
    return this.#next !== this.#committed;
  }

  /** Runs `fn` after every earlier call has finished: batches and timer flushes never interleave. */
  serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#lock.then(fn, fn);
    this.#lock = run.catch(() => undefined);
    return run;
  }

  /** Records one raw message (offset `offset`). Returns true when the map is full and must be flushed. */
  record(offset: number, value: Buffer | null): boolean {
    this.#mustBeWhole();
    const m = this.#ctx.metrics;
    this.#next = offset + 1;
    const raw = decodeRaw(value);
    if (!raw) {
      // Ingest validated it, so this is a bug or tampering: skip it, count it, never stall the partition.
      m.records.inc({ outcome: 'undecodable' });
      this.#ctx.log.error({ partition: this.partition, offset }, 'undecodable raw record skipped');
      return this.#agg.full;
    }
    const agentId = raw.payload.agentId ?? '';
    const seq = Number(raw.payload.seq ?? 0);
    if (this.#dedup.has(agentId, seq)) {
      m.records.inc({ outcome: 'duplicate' });
      m.duplicates.inc();
      return this.#agg.full;
    }
    m.samples.inc(recordPayload(this.#agg, raw.tenant, raw.payload));
    this.#dedup.add(agentId, seq, raw.receivedMs);
    m.records.inc({ outcome: 'applied' });
    return this.#agg.full;
  }

  /** One transaction: rollup deltas + dedup changes + the raw offset. Throws when it could not commit. */
  async flush(cause: string): Promise<void> {
    this.#mustBeWhole();
    if (!this.dirty) return;
    const { metrics: m, topics } = this.#ctx;
    const started = performance.now();
    this.#dedup.expire(Date.now());
    const partials = this.#agg.drain();
    const batches = toBatches(partials, this.#ctx.rollupPartitions, this.partition, this.#ctx.batchMaxBytes);
    const changes = this.#dedup.takeChanges();
    try {
      await this.#producer.run(async (tx) => {
        if (batches.length > 0) {
          await tx.send({
            topic: topics.rollups,
            messages: batches.map((b) => ({ partition: b.partition, value: b.value })),
          });
        }
        if (changes.length > 0) {
          await tx.send({
            topic: topics.dedup,
            messages: changes.map(([agentId, rec]) => ({
              key: agentId,
              value: rec ? Buffer.from(AgentSeqs.encode(rec).finish()) : null,
              partition: this.partition,
            })),
          });
        }
        await tx.sendOffsets({
          consumerGroupId: this.#ctx.groupId,
          topics: [
            { topic: topics.raw, partitions: [{ partition: this.partition, offset: String(this.#next) }] },
          ],
        });
        failpoint('processor.before-commit');
      });
    } catch (err) {
      // The run already ended the transaction (abort, or a new epoch); the session re-reads what committed.
      this.#broken = err;
      m.flushes.inc({ outcome: 'failed', cause });
      const reason =
        err instanceof KafkaFencedError
          ? 'fenced'
          : err instanceof KafkaTxnError && err.abort === 'aborted'
            ? 'flush_failed'
            : 'abort_failed';
      m.aborts.inc({ reason });
      throw err;
    }
    failpoint('processor.after-commit');
    this.#committed = this.#next;
    this.lastFlush = Date.now();
    m.flushes.inc({ outcome: 'committed', cause });
    m.flushDeltas.observe(partials.length);
    m.flushSeconds.observe((performance.now() - started) / 1000);
    m.gapsForgotten.set({ partition: String(this.partition) }, this.#dedup.gapsForgotten);
  }

  close(): Promise<void> {
    return this.#producer.close();
  }

  #mustBeWhole(): void {
    if (this.#broken !== undefined)
      throw new SluiceError(
        'SLC_ERR_PROCESSOR_WORKER_BROKEN',
        `raw partition ${this.partition}: a flush failed, its state is gone; only a new session may go on`,
        { cause: this.#broken },
      );
  }
}
