/**
 * The batcher's driver logic with a scripted stand-in for the kafkajs producer (the broker-facing
 * behaviour is covered against real Kafka in ingest.test.ts and unavailable.test.ts): batching of
 * concurrent records, and replacing the producer after UNKNOWN_PRODUCER_ID, which no single-node test
 * broker produces on demand.
 */
import { describe, expect, it } from 'vitest';
import type { Producer } from '../../common/kafka.ts';
import { logger } from '../../common/log.ts';
import { ingestMetrics } from '../../ingest/metrics.ts';
import { createIngestProducer, recreateReason } from '../../ingest/producer.ts';
import { until } from '../support/wait.ts';

interface Scripted {
  id: number;
  batches: string[][];
  disconnected: boolean;
  failNext?: unknown;
}

function scriptedProducers() {
  const made: Scripted[] = [];
  const create = () => {
    const s: Scripted = { id: made.length, batches: [], disconnected: false };
    made.push(s);
    return {
      connect: async () => {},
      disconnect: async () => {
        s.disconnected = true;
      },
      sendBatch: async (b: { topicMessages: Array<{ messages: Array<{ value: Buffer }> }> }) => {
        await new Promise((r) => setImmediate(r));
        if (s.failNext) {
          const e = s.failNext;
          s.failNext = undefined;
          throw e;
        }
        s.batches.push(b.topicMessages[0]!.messages.map((m) => String(m.value)));
        return [];
      },
    } as unknown as Producer;
  };
  return { made, create };
}

function kafkaError(type: string) {
  // The shape kafkajs gives a non-retriable protocol error wrapped by its retrier.
  const inner = Object.assign(new Error(type), { name: 'KafkaJSProtocolError', type, retriable: false });
  return Object.assign(new Error(type), { name: 'KafkaJSNonRetriableError', cause: inner });
}

function start(create: () => Producer) {
  const metrics = ingestMetrics();
  const p = createIngestProducer({
    topic: 't',
    maxInflightBytes: 1 << 20,
    produceTimeoutMs: 5000,
    lingerMs: 5,
    batchMaxBytes: 1000,
    createProducer: create,
    metrics,
    log: logger('test', 'silent'),
  });
  return { p, metrics };
}

describe('ingest producer', () => {
  it('finds the recreate error types anywhere in the cause chain', () => {
    expect(recreateReason(kafkaError('UNKNOWN_PRODUCER_ID'))).toBe('UNKNOWN_PRODUCER_ID');
    expect(recreateReason({ errors: [kafkaError('OUT_OF_ORDER_SEQUENCE_NUMBER')] })).toBe(
      'OUT_OF_ORDER_SEQUENCE_NUMBER',
    );
    expect(recreateReason(kafkaError('NOT_LEADER_FOR_PARTITION'))).toBeUndefined();
    expect(recreateReason(undefined)).toBeUndefined();
  });

  it('sends concurrent records in one batch, splitting at batchMaxBytes, in arrival order', async () => {
    const { made, create } = scriptedProducers();
    const { p } = start(create);
    await p.whenReady;
    // 10 records of 200 bytes + overhead (~266 each): three fit in 1000 bytes.
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, (_, i) => p.tryProduce('k', Buffer.from(String(i).padEnd(200, '.')))),
    );
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(made[0]!.batches.map((b) => b.map((v) => v[0]).join(''))).toEqual(['012', '345', '678', '9']);
    expect(p.inflightBytes()).toBe(0);
    await p.close();
  });

  it('answers the failed batch unavailable, replaces the producer on UNKNOWN_PRODUCER_ID, and goes on', async () => {
    const { made, create } = scriptedProducers();
    const { p, metrics } = start(create);
    await p.whenReady;
    made[0]!.failNext = kafkaError('UNKNOWN_PRODUCER_ID');
    expect(await p.tryProduce('k', Buffer.from('a'))).toEqual({ ok: false, cause: 'kafka_unavailable' });
    expect(made[0]!.disconnected).toBe(true);
    await until('the new producer connected', () => p.readiness().ok);
    expect(await p.tryProduce('k', Buffer.from('b'))).toEqual({ ok: true });
    expect(made).toHaveLength(2);
    expect(made[1]!.batches).toEqual([['b']]);
    const m = await metrics.producerRecreated.get();
    expect(m.values).toEqual([{ value: 1, labels: { reason: 'UNKNOWN_PRODUCER_ID' } }]);
    await p.close();
    expect(made[1]!.disconnected).toBe(true);
  });

  it('keeps the producer after other errors', async () => {
    const { made, create } = scriptedProducers();
    const { p } = start(create);
    await p.whenReady;
    made[0]!.failNext = kafkaError('MESSAGE_TOO_LARGE');
    expect(await p.tryProduce('k', Buffer.from('a'))).toEqual({ ok: false, cause: 'kafka_unavailable' });
    expect(await p.tryProduce('k', Buffer.from('b'))).toEqual({ ok: true });
    expect(made).toHaveLength(1);
    await p.close();
  });
});
