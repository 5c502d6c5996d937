/**
 * The agent's own metrics (P9), every one of them, against the process registry. Nothing else in
 * agent/ creates a metric.
 */
import { Counter, createRegistry, Gauge, Histogram, type Registry } from '../common/metrics.ts';

export interface AgentMetrics {
  registry: Registry;
  collectDuration: Histogram;
  collectorSuccess: Gauge<'collector'>;
  collectorDuration: Gauge<'collector'>;
  series: Gauge;
  counterState: Gauge;
  duplicatePoints: Counter;
  payloadsBuilt: Counter;
  payloadBytes: Histogram;
  payloadsSent: Counter;
  samplesSent: Counter;
  sendFailures: Counter<'reason'>;
  sendDuration: Histogram;
  queueBytes: Gauge;
  queuePayloads: Gauge;
  droppedPayloads: Counter<'reason'>;
  droppedSamples: Counter<'reason'>;
  statfsStuck: Gauge;
  stateSaveFailures: Counter;
  /** The sender's lanes and server-paced backfill (agent/sender.ts, agent/backfill.ts). */
  backfillGrant: Gauge;
  backlogPayloads: Gauge;
  laneSends: Counter<'lane' | 'outcome'>;
  laneBytes: Counter<'lane'>;
  liveLatency: Histogram;
  /** StatsD intake (agent/statsd). */
  statsdPackets: Counter<'transport'>;
  statsdLines: Counter<'transport'>;
  statsdErrors: Counter<'reason'>;
  statsdSeries: Gauge;
  statsdListening: Gauge;
}

export function createAgentMetrics(registry: Registry = createRegistry('agent')): AgentMetrics {
  const r = [registry];
  return {
    registry,
    collectDuration: new Histogram({
      name: 'sluice_agent_collect_duration_seconds',
      help: 'Time to collect one pass of host metrics',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: r,
    }),
    collectorSuccess: new Gauge({
      name: 'sluice_agent_collector_success',
      help: 'Whether a host collector succeeded in the last pass (1) or failed (0)',
      labelNames: ['collector'],
      registers: r,
    }),
    collectorDuration: new Gauge({
      name: 'sluice_agent_collector_duration_seconds',
      help: 'Duration of a host collector in the last pass',
      labelNames: ['collector'],
      registers: r,
    }),
    series: new Gauge({ name: 'sluice_agent_series', help: 'Series in the last pass', registers: r }),
    counterState: new Gauge({
      name: 'sluice_agent_counter_state_entries',
      help: 'Counters whose last value the agent remembers',
      registers: r,
    }),
    duplicatePoints: new Counter({
      name: 'sluice_agent_duplicate_points_total',
      help: 'Points skipped because the same series appeared twice in one pass',
      registers: r,
    }),
    payloadsBuilt: new Counter({
      name: 'sluice_agent_payloads_built_total',
      help: 'Payloads built and queued',
      registers: r,
    }),
    payloadBytes: new Histogram({
      name: 'sluice_agent_payload_bytes',
      help: 'Encoded payload size before compression',
      buckets: [1024, 4096, 16384, 65536, 262144, 1048576, 4194304],
      registers: r,
    }),
    payloadsSent: new Counter({
      name: 'sluice_agent_payloads_sent_total',
      help: 'Payloads accepted by ingest',
      registers: r,
    }),
    samplesSent: new Counter({
      name: 'sluice_agent_samples_sent_total',
      help: 'Samples in payloads accepted by ingest',
      registers: r,
    }),
    sendFailures: new Counter({
      name: 'sluice_agent_send_failures_total',
      help: 'Send attempts that did not succeed, by reason (HTTP status, error code or network error)',
      labelNames: ['reason'],
      registers: r,
    }),
    sendDuration: new Histogram({
      name: 'sluice_agent_send_duration_seconds',
      help: 'Duration of one POST to ingest',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: r,
    }),
    queueBytes: new Gauge({
      name: 'sluice_agent_queue_bytes',
      help: 'Bytes of payloads waiting to be sent',
      registers: r,
    }),
    queuePayloads: new Gauge({
      name: 'sluice_agent_queue_payloads',
      help: 'Payloads waiting to be sent',
      registers: r,
    }),
    droppedPayloads: new Counter({
      name: 'sluice_agent_dropped_payloads_total',
      help: 'Payloads dropped, by reason: the disk buffer’s (disk_bound, memory_overflow, too_large, corrupt, torn_tail, missing, lost_on_close; persisted totals) or the code ingest refused them with',
      labelNames: ['reason'],
      registers: r,
    }),
    droppedSamples: new Counter({
      name: 'sluice_agent_dropped_samples_total',
      help: 'Samples in dropped payloads, by the same reasons',
      labelNames: ['reason'],
      registers: r,
    }),
    statfsStuck: new Gauge({
      name: 'sluice_agent_statfs_stuck_mounts',
      help: 'Mounts whose statfs is still pending (hung filesystem)',
      registers: r,
    }),
    stateSaveFailures: new Counter({
      name: 'sluice_agent_state_save_failures_total',
      help: 'Failures to persist the counter state',
      registers: r,
    }),
    backfillGrant: new Gauge({
      name: 'sluice_agent_backfill_grant_bytes_per_second',
      help: 'The backfill rate ingest granted in its last answer, payload bytes/s (0: live data only)',
      registers: r,
    }),
    backlogPayloads: new Gauge({
      name: 'sluice_agent_backlog_payloads',
      help: 'Buffered payloads beyond the current pass (what the backfill lane drains)',
      registers: r,
    }),
    laneSends: new Counter({
      name: 'sluice_agent_lane_sends_total',
      help: 'Answered sends by lane (live, backfill) and outcome (ack, drop, retry)',
      labelNames: ['lane', 'outcome'],
      registers: r,
    }),
    laneBytes: new Counter({
      name: 'sluice_agent_lane_payload_bytes_total',
      help: 'Payload bytes (before gzip) accepted by ingest, by lane: rate() of backfill is its throughput',
      labelNames: ['lane'],
      registers: r,
    }),
    liveLatency: new Histogram({
      name: 'sluice_agent_live_latency_seconds',
      help: 'From a live payload’s append to ingest’s acceptance (freshness)',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30, 60],
      registers: r,
    }),
    statsdPackets: new Counter({
      name: 'sluice_agent_statsd_packets_total',
      help: 'StatsD UDP datagrams and POST /v1/statsd bodies received, by transport (udp, http)',
      labelNames: ['transport'],
      registers: r,
    }),
    statsdLines: new Counter({
      name: 'sluice_agent_statsd_lines_total',
      help: 'StatsD lines recorded for the next pass, by transport (udp, http)',
      labelNames: ['transport'],
      registers: r,
    }),
    statsdErrors: new Counter({
      name: 'sluice_agent_statsd_errors_total',
      help: 'StatsD lines (or whole packets/bodies) not recorded, by reason (README "App metrics")',
      labelNames: ['reason'],
      registers: r,
    }),
    statsdSeries: new Gauge({
      name: 'sluice_agent_statsd_series',
      help: 'StatsD series the agent holds (bounded by SLUICE_AGENT_STATSD_MAX_SERIES)',
      registers: r,
    }),
    statsdListening: new Gauge({
      name: 'sluice_agent_statsd_listening',
      help: 'Whether the StatsD UDP listener is bound (1) or not (0: off, port taken, shutting down)',
      registers: r,
    }),
  };
}
