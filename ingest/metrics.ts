/**
 * Ingest's self-instrumentation (P9): every metric ingest exports, in one place.
 *
 * - `sluice_ingest_requests_total{status}`: answered POSTs to /v1/ingest by HTTP status.
 * - `sluice_ingest_rejected_total{reason, tenant}`: every refusal by its error code (ingest/errors.ts);
 *   tenant `unknown` before authentication.
 * - `sluice_ingest_unavailable_total{cause}`: 503s by cause (refuse_all, overloaded, kafka_unavailable,
 *   produce_timeout, shutting_down).
 * - `sluice_ingest_received_bytes_total{tenant, stage}`: accepted bytes as sent (`wire`) and decoded
 *   (`payload`).
 * - `sluice_ingest_payload_bytes`: histogram of accepted payload sizes after decompression.
 * - `sluice_ingest_payloads_total{tenant}`, `sluice_ingest_samples_total{tenant}`: acknowledged by Kafka.
 * - `sluice_ingest_inflight_bytes`: record bytes handed to the producer and not yet settled.
 * - `sluice_ingest_produce_seconds`: one Kafka sendBatch, from hand-over to ack or error.
 * - `sluice_ingest_batch_records`: records per Kafka batch.
 * - `sluice_ingest_producer_recreated_total{reason}`: producers replaced after a non-retriable error.
 */
import { Counter, createRegistry, Gauge, Histogram, type Registry } from '../common/metrics.ts';

export type UnavailableCause =
  | 'refuse_all'
  | 'overloaded'
  | 'kafka_unavailable'
  | 'produce_timeout'
  | 'shutting_down';

export function ingestMetrics(registry: Registry = createRegistry('ingest')) {
  const registers = [registry];
  return {
    registry,
    requests: new Counter({
      name: 'sluice_ingest_requests_total',
      help: 'Answered POSTs to /v1/ingest by HTTP status',
      labelNames: ['status'] as const,
      registers,
    }),
    rejected: new Counter({
      name: 'sluice_ingest_rejected_total',
      help: 'Refused requests by reason code and tenant (unknown before authentication)',
      labelNames: ['reason', 'tenant'] as const,
      registers,
    }),
    unavailable: new Counter({
      name: 'sluice_ingest_unavailable_total',
      help: '503 answers by cause',
      labelNames: ['cause'] as const,
      registers,
    }),
    receivedBytes: new Counter({
      name: 'sluice_ingest_received_bytes_total',
      help: 'Bytes of accepted payloads, as sent (wire) and decoded (payload)',
      labelNames: ['tenant', 'stage'] as const,
      registers,
    }),
    payloadBytes: new Histogram({
      name: 'sluice_ingest_payload_bytes',
      help: 'Size of accepted payloads after decompression',
      buckets: [256, 1024, 4096, 16_384, 65_536, 262_144, 1_048_576],
      registers,
    }),
    payloads: new Counter({
      name: 'sluice_ingest_payloads_total',
      help: 'Payloads acknowledged by Kafka',
      labelNames: ['tenant'] as const,
      registers,
    }),
    samples: new Counter({
      name: 'sluice_ingest_samples_total',
      help: 'Samples in payloads acknowledged by Kafka',
      labelNames: ['tenant'] as const,
      registers,
    }),
    inflightBytes: new Gauge({
      name: 'sluice_ingest_inflight_bytes',
      help: 'Record bytes handed to the producer and not yet acknowledged, failed or dropped',
      registers,
    }),
    produceSeconds: new Histogram({
      name: 'sluice_ingest_produce_seconds',
      help: 'Duration of one Kafka sendBatch until ack or error',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    batchRecords: new Histogram({
      name: 'sluice_ingest_batch_records',
      help: 'Records per Kafka sendBatch',
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512],
      registers,
    }),
    producerRecreated: new Counter({
      name: 'sluice_ingest_producer_recreated_total',
      help: 'Producers replaced after a non-retriable error (UNKNOWN_PRODUCER_ID, OUT_OF_ORDER_SEQUENCE_NUMBER)',
      labelNames: ['reason'] as const,
      registers,
    }),
  };
}

export type IngestMetrics = ReturnType<typeof ingestMetrics>;
