/**
 * The ingest producer: a single-flight batcher in front of one idempotent kafkajs producer
 * (`idempotent: true, maxInFlightRequests: 1`, acks = -1, i.e. all in-sync replicas).
 *
 * Concurrent requests are collected for `lingerMs` (or until `batchMaxBytes`) and sent as one
 * `sendBatch`; while a batch is in flight the next one collects (kafkajs allows one idempotent produce
 * per broker anyway, kafka-notes §3.1). Every record counts against `maxInflightBytes` from hand-over until
 * its batch settles, so memory stays bounded even while Kafka is away (an idempotent send retries for
 * ever and holds its batch).
 *
 * Delivery guarantee: `tryProduce` resolves `{ok: true}` only after Kafka acknowledged the record (at
 * least once). `{ok: false}` does NOT mean "not written": after `produce_timeout` the batch that holds the
 * record may still land. A record whose deadline passes before it left the queue is dropped (never sent).
 * The agent retries on 503 with the same (agentId, seq); the processor's dedup absorbs the duplicate.
 *
 * On UNKNOWN_PRODUCER_ID / OUT_OF_ORDER_SEQUENCE_NUMBER (non-retriable in kafkajs, which keeps the stale
 * producer id) the producer is replaced by a new one (kafka-notes §3.4).
 */
import type { Producer } from '../common/kafka.ts';
import type { Logger } from '../common/log.ts';
import type { Readiness } from '../common/service.ts';
import type { IngestMetrics, UnavailableCause } from './metrics.ts';

export type ProduceOutcome = { ok: true } | { ok: false; cause: Exclude<UnavailableCause, 'refuse_all'> };

export interface ProducerOptions {
  topic: string;
  maxInflightBytes: number;
  produceTimeoutMs: number;
  lingerMs: number;
  batchMaxBytes: number;
  /** A new, unconnected kafkajs producer (idempotent). Called again after a recreate. */
  createProducer: () => Producer;
  /** Runs once before the first connect (e.g. ensureTopics); retried with the connect. */
  prepare?: () => Promise<void>;
  metrics: IngestMetrics;
  log: Logger;
}

export interface IngestProducer {
  /** Resolves once the producer is connected for the first time. */
  readonly whenReady: Promise<void>;
  readiness(): Readiness;
  /** The refusal a new request would get right now, before it is read (cheap early check). */
  precheck(): ProduceOutcome;
  /** Sends one record; resolves (never rejects) after the ack, or with the reason it was not acked. */
  tryProduce(key: string, value: Buffer): Promise<ProduceOutcome>;
  inflightBytes(): number;
  /** Refuses new records, sends what is queued, waits until nothing is in flight or the deadline. */
  drain(deadlineMs: number): Promise<boolean>;
  /** Disconnects the producer (bounded). Idempotent. */
  close(): Promise<void>;
}

/** Per-record overhead in a Kafka record batch, counted so a batch stays below max.message.bytes. */
const RECORD_OVERHEAD = 64;
const RECREATE_ON = new Set(['UNKNOWN_PRODUCER_ID', 'OUT_OF_ORDER_SEQUENCE_NUMBER']);

interface Item {
  key: string;
  value: Buffer;
  cost: number;
  sent: boolean;
  settled: boolean;
  released: boolean;
  timer: NodeJS.Timeout | undefined;
  resolve: (o: ProduceOutcome) => void;
}

/** The kafkajs error type (e.g. UNKNOWN_PRODUCER_ID) anywhere in the cause chain, if it calls for a new producer. */
export function recreateReason(err: unknown): string | undefined {
  const seen = new Set<unknown>();
  const stack = [err];
  while (stack.length > 0) {
    const e = stack.pop() as { type?: unknown; cause?: unknown; originalError?: unknown; errors?: unknown };
    if (e === null || typeof e !== 'object' || seen.has(e)) continue;
    seen.add(e);
    if (typeof e.type === 'string' && RECREATE_ON.has(e.type)) return e.type;
    stack.push(e.cause, e.originalError, ...(Array.isArray(e.errors) ? e.errors : []));
  }
  return undefined;
}

export function createIngestProducer(opts: ProducerOptions): IngestProducer {
  const { metrics, log } = opts;
  const pending = new Set<Item>();
  let pendingBytes = 0;
  let inflight = 0;
  let producer: Producer | undefined;
  let connected = false;
  let prepared = opts.prepare === undefined;
  let closed = false;
  let sending = false;
  let sendStart = 0;
  let lingerTimer: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;
  let idle: Array<() => void> = [];
  let resolveReady!: () => void;
  const whenReady = new Promise<void>((r) => {
    resolveReady = r;
  });

  async function connectLoop(): Promise<void> {
    let delay = 100;
    while (!closed) {
      try {
        if (!prepared) {
          await opts.prepare?.();
          prepared = true;
        }
        const p = opts.createProducer();
        producer = p;
        await p.connect();
        if (closed) return;
        connected = true;
        log.info({ topic: opts.topic }, 'kafka producer connected');
        resolveReady();
        schedule();
        return;
      } catch (err) {
        log.warn({ err, retryInMs: delay }, 'kafka producer connect failed');
        await new Promise<void>((r) => {
          wake = r;
          setTimeout(r, delay * (0.5 + Math.random() / 2)).unref();
        });
        delay = Math.min(delay * 2, 5000);
      }
    }
  }

  function release(it: Item): void {
    if (it.released) return;
    it.released = true;
    inflight -= it.cost;
    metrics.inflightBytes.set(inflight);
    if (inflight === 0 && idle.length > 0) {
      for (const f of idle) f();
      idle = [];
    }
  }

  function settle(it: Item, o: ProduceOutcome): void {
    if (it.settled) return;
    it.settled = true;
    clearTimeout(it.timer);
    it.resolve(o);
  }

  function schedule(): void {
    if (sending || pending.size === 0 || !connected) return;
    if (pendingBytes >= opts.batchMaxBytes || opts.lingerMs === 0 || closed) {
      clearTimeout(lingerTimer);
      lingerTimer = undefined;
      setImmediate(flush);
    } else lingerTimer ??= setTimeout(flush, opts.lingerMs);
  }

  function flush(): void {
    lingerTimer = undefined;
    const p = producer;
    if (sending || pending.size === 0 || !connected || !p) return;
    const batch: Item[] = [];
    let bytes = 0;
    for (const it of pending) {
      if (batch.length > 0 && bytes + it.cost > opts.batchMaxBytes) break;
      batch.push(it);
      bytes += it.cost;
    }
    for (const it of batch) {
      pending.delete(it);
      it.sent = true;
    }
    pendingBytes -= bytes;
    sending = true;
    sendStart = performance.now();
    metrics.batchRecords.observe(batch.length);
    p.sendBatch({
      acks: -1,
      topicMessages: [{ topic: opts.topic, messages: batch.map((it) => ({ key: it.key, value: it.value })) }],
    })
      .then(
        () => {
          for (const it of batch) settle(it, { ok: true });
        },
        (err: unknown) => {
          for (const it of batch) settle(it, { ok: false, cause: 'kafka_unavailable' });
          const reason = recreateReason(err);
          log.error({ err, records: batch.length, recreate: reason }, 'kafka sendBatch failed');
          if (reason && p === producer && !closed) recreate(p, reason);
        },
      )
      .finally(() => {
        metrics.produceSeconds.observe((performance.now() - sendStart) / 1000);
        for (const it of batch) release(it);
        sending = false;
        schedule();
      });
  }

  function recreate(old: Producer, reason: string): void {
    metrics.producerRecreated.inc({ reason });
    connected = false;
    producer = undefined;
    old.disconnect().catch((err: unknown) => log.warn({ err }, 'old producer disconnect failed'));
    void connectLoop();
  }

  function precheck(): ProduceOutcome {
    if (closed) return { ok: false, cause: 'shutting_down' };
    if (!connected) return { ok: false, cause: 'kafka_unavailable' };
    if (inflight >= opts.maxInflightBytes) return { ok: false, cause: 'overloaded' };
    return { ok: true };
  }

  void connectLoop();

  return {
    whenReady,
    readiness() {
      if (closed) return { ok: false, reason: 'shutting down' };
      if (!connected) return { ok: false, reason: 'kafka producer not connected' };
      const stalled = sending ? performance.now() - sendStart : 0;
      if (stalled > opts.produceTimeoutMs) {
        return { ok: false, reason: `kafka produce unacknowledged for ${Math.round(stalled)} ms` };
      }
      return { ok: true };
    },
    precheck,
    tryProduce(key, value) {
      const cost = value.length + Buffer.byteLength(key) + RECORD_OVERHEAD;
      const early = precheck();
      if (!early.ok) return Promise.resolve(early);
      if (inflight + cost > opts.maxInflightBytes) return Promise.resolve({ ok: false, cause: 'overloaded' });
      return new Promise<ProduceOutcome>((resolve) => {
        const it: Item = {
          key,
          value,
          cost,
          sent: false,
          settled: false,
          released: false,
          timer: undefined,
          resolve,
        };
        it.timer = setTimeout(() => {
          if (!it.sent) {
            pending.delete(it);
            pendingBytes -= cost;
            release(it);
          }
          settle(it, { ok: false, cause: 'produce_timeout' });
        }, opts.produceTimeoutMs);
        inflight += cost;
        metrics.inflightBytes.set(inflight);
        pending.add(it);
        pendingBytes += cost;
        schedule();
      });
    },
    inflightBytes: () => inflight,
    async drain(deadlineMs) {
      closed = true;
      wake?.();
      schedule();
      if (inflight === 0) return true;
      let timer: NodeJS.Timeout | undefined;
      const done = await Promise.race([
        new Promise<boolean>((r) => idle.push(() => r(true))),
        new Promise<boolean>((r) => {
          timer = setTimeout(() => r(false), deadlineMs);
        }),
      ]);
      clearTimeout(timer);
      return done;
    },
    async close() {
      closed = true;
      connected = false;
      wake?.();
      clearTimeout(lingerTimer);
      for (const it of pending) settle(it, { ok: false, cause: 'shutting_down' });
      const p = producer;
      producer = undefined;
      if (!p) return;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        p.disconnect().catch((err: unknown) => log.warn({ err }, 'producer disconnect failed')),
        new Promise<void>((r) => {
          timer = setTimeout(r, 5000);
        }),
      ]);
      clearTimeout(timer);
    },
  };
}
