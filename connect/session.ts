/**
 * A connect consumer session: one consumer-group membership on `rollups` and one sink per owned
 * partition. Any consumer failure ends the session (kafkajs' own restart is off); the service starts
 * a new one, whose sinks reopen from the committed offsets and intents. Uncommitted ranges of an
 * ended session are simply written again, exactly, by whoever owns their partition next.
 */
import type { Consumer, EachBatchPayload, Kafka } from '../common/kafka.ts';
import { PartitionSink, type SinkContext } from './sink.ts';

export interface ConnectSessionOptions {
  kafka: Kafka;
  ctx: Omit<SinkContext, 'consumer'>;
  fetchMaxBytes: number;
  closing: () => boolean;
}

export class ConnectSession {
  readonly #o: ConnectSessionOptions;
  readonly #consumer: Consumer;
  readonly #ctx: SinkContext;
  readonly #sinks = new Map<number, Promise<PartitionSink>>();
  #end!: (reason: string) => void;
  readonly #ended: Promise<string>;
  #over = false;
  joined = false;

  constructor(o: ConnectSessionOptions) {
    this.#o = o;
    this.#consumer = o.kafka.consumer({
      groupId: o.ctx.groupId,
      readUncommitted: false,
      maxBytes: o.fetchMaxBytes,
      maxBytesPerPartition: Math.max(1 << 20, Math.floor(o.fetchMaxBytes / 4)),
      sessionTimeout: 30_000,
      heartbeatInterval: 3_000,
      retry: { retries: 5, restartOnFailure: async () => false },
    });
    this.#ctx = { ...o.ctx, consumer: this.#consumer };
    this.#ended = new Promise((resolve) => {
      this.#end = (reason) => {
        this.#over = true;
        resolve(reason);
      };
    });
  }

  /** Consumes until the session fails or is stopped; resolves with the reason. */
  async run(): Promise<string> {
    const c = this.#consumer;
    const { topic, log, metrics } = this.#ctx;
    c.on(c.events.GROUP_JOIN, (e) => {
      this.joined = true;
      const mine = new Set<number>(e.payload.memberAssignment[topic] ?? []);
      for (const p of [...this.#sinks.keys()]) if (!mine.has(p)) this.#sinks.delete(p);
      log.info({ partitions: [...mine].sort((a, b) => a - b) }, 'assignment');
    });
    c.on(c.events.CRASH, (e) => {
      log.error({ err: e.payload.error }, 'connect consumer crashed; starting a new session');
      this.#end('consumer crashed');
    });
    await c.connect();
    await c.subscribe({ topic, fromBeginning: true });
    await c.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 2,
      eachBatch: (p) => this.#batch(p),
    });
    metrics.sessions.inc();
    return this.#ended;
  }

  #sink(p: number): Promise<PartitionSink> {
    let s = this.#sinks.get(p);
    if (!s) {
      s = PartitionSink.open(this.#ctx, p);
      this.#sinks.set(p, s);
      s.catch(() => this.#sinks.delete(p));
    }
    return s;
  }

  async #batch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    if (this.#over) return;
    const { log, metrics } = this.#ctx;
    const p = batch.partition;
    try {
      const s = await this.#sink(p);
      for (const m of batch.messages) {
        s.offer(Number(m.offset), m.value);
        resolveOffset(m.offset);
      }
      metrics.lag.set({ partition: String(p) }, Number(batch.offsetLag()));
      const running = () => isRunning() && !isStale() && !this.#over && !this.#o.closing();
      while (s.writable && running()) if (!(await s.write(running, heartbeat))) break;
    } catch (err) {
      // The range was not committed (a rebalance, a broker away past the deadline). Crash-only: the
      // session ends, and the next one fetches from the committed offset and finds the range's
      // intent. Seeking inside this session could race batches already fetched from elsewhere.
      log.error({ err, partition: p }, 'write range failed; ending the session');
      this.#end('write failed');
    }
  }

  /** Leaves the group (waiting for the batch in hand) without committing anything more. */
  async stop(reason = 'stopped'): Promise<void> {
    this.#end(reason);
    await this.#consumer
      .disconnect()
      .catch((err) => this.#ctx.log.error({ err }, 'consumer disconnect failed'));
    this.#sinks.clear();
  }
}
