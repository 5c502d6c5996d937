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
 * - `sluice_ingest_agent_dropped_{payloads,samples,bytes}{tenant, agent, reason}`: what each agent
 *   reported dropped (cumulative, summed over its epochs; ingest/drops.ts), and
 *   `sluice_ingest_agent_dropped_{oldest,newest}_timestamp_seconds{tenant, agent, reason}`: the sample
 *   time range of those payloads.
 * - `sluice_ingest_agent_drop_reports_agents`: agents tracked (bounded by
 *   SLUICE_INGEST_DROP_REPORT_MAX_AGENTS); `sluice_ingest_agent_drop_reports_evicted_total`: evicted.
 * - Backfill (ingest/backfill.ts): `sluice_ingest_backfill_budget_bytes_per_second` (total granted now),
 *   `sluice_ingest_backfill_grant_bytes_per_second` (the last per-agent share),
 *   `sluice_ingest_backfill_agents` and `sluice_ingest_backfill_backlog_payloads` (agents with a backlog
 *   and what they announced), `sluice_ingest_backfill_agents_evicted_total` (table bound),
 *   `sluice_ingest_lane_requests_total{lane}`, `sluice_ingest_lane_payload_bytes_total{lane}` (accepted
 *   payload bytes per lane: rate() of the backfill lane is the backfill throughput),
 *   `sluice_ingest_inflight_bytes_peak` (in-flight high-water mark since start),
 *   `sluice_ingest_admin_requests_total{status, reason}` (ingest/admin.ts).
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
    ...agentDropMetrics(registers),
    ...backfillMetrics(registers),
  };
}

function agentDropMetrics(registers: Registry[]) {
  const labelNames = ['tenant', 'agent', 'reason'] as const;
  const gauge = (name: string, help: string) => new Gauge({ name, help, labelNames, registers });
  return {
    agentDroppedPayloads: gauge(
      'sluice_ingest_agent_dropped_payloads',
      'Payloads the agent reported dropped, by reason (cumulative, all its epochs)',
    ),
    agentDroppedSamples: gauge(
      'sluice_ingest_agent_dropped_samples',
      'Samples in the payloads the agent reported dropped, by reason',
    ),
    agentDroppedBytes: gauge(
      'sluice_ingest_agent_dropped_bytes',
      'Bytes (as the agent stored them) of the payloads it reported dropped, by reason',
    ),
    agentDroppedOldest: gauge(
      'sluice_ingest_agent_dropped_oldest_timestamp_seconds',
      'Oldest sample time in the payloads the agent reported dropped (agent clock)',
    ),
    agentDroppedNewest: gauge(
      'sluice_ingest_agent_dropped_newest_timestamp_seconds',
      'Newest sample time in the payloads the agent reported dropped (agent clock)',
    ),
    dropReportAgents: new Gauge({
      name: 'sluice_ingest_agent_drop_reports_agents',
      help: 'Agents whose drop reports ingest tracks (bounded by SLUICE_INGEST_DROP_REPORT_MAX_AGENTS)',
      registers,
    }),
    dropReportsEvicted: new Counter({
      name: 'sluice_ingest_agent_drop_reports_evicted_total',
      help: 'Agents evicted from drop-report tracking (least recently reporting first) at the bound',
      registers,
    }),
  };
}

export type IngestMetrics = ReturnType<typeof ingestMetrics>;

function backfillMetrics(registers: Registry[]) {
  return {
    backfillBudget: new Gauge({
      name: 'sluice_ingest_backfill_budget_bytes_per_second',
      help: 'Total backfill rate this process grants now, payload bytes/s (0 while it refuses)',
      registers,
    }),
    backfillGrant: new Gauge({
      name: 'sluice_ingest_backfill_grant_bytes_per_second',
      help: 'The per-agent share of the backfill budget in the last answer, payload bytes/s',
      registers,
    }),
    backfillAgents: new Gauge({
      name: 'sluice_ingest_backfill_agents',
      help: 'Agents that announced a backlog within SLUICE_INGEST_BACKFILL_ACTIVE_MS',
      registers,
    }),
    backfillBacklog: new Gauge({
      name: 'sluice_ingest_backfill_backlog_payloads',
      help: 'Payloads those agents announced as their backlog',
      registers,
    }),
    backfillEvicted: new Counter({
      name: 'sluice_ingest_backfill_agents_evicted_total',
      help: 'Agents dropped from the backfill table at SLUICE_INGEST_BACKFILL_MAX_AGENTS (least recently seen)',
      registers,
    }),
    laneRequests: new Counter({
      name: 'sluice_ingest_lane_requests_total',
      help: 'Requests to /v1/ingest by the lane the agent announced (live, backfill, none)',
      labelNames: ['lane'] as const,
      registers,
    }),
    laneBytes: new Counter({
      name: 'sluice_ingest_lane_payload_bytes_total',
      help: 'Accepted payload bytes (after gunzip) by lane',
      labelNames: ['lane'] as const,
      registers,
    }),
    inflightPeak: new Gauge({
      name: 'sluice_ingest_inflight_bytes_peak',
      help: 'Highest sluice_ingest_inflight_bytes seen right after a hand-over, since start',
      registers,
    }),
    adminRequests: new Counter({
      name: 'sluice_ingest_admin_requests_total',
      help: 'Requests to /admin/* by status and reason code (ok when accepted)',
      labelNames: ['status', 'reason'] as const,
      registers,
    }),
  };
}
