/** The processor's own metrics (P9): one place, named here. */
import { Counter, Gauge, Histogram, type Registry } from '../common/metrics.ts';

export function processorMetrics(registry: Registry) {
  const r = [registry];
  return {
    records: new Counter({
      name: 'sluice_processor_records_total',
      help: 'Raw records consumed',
      labelNames: ['outcome'],
      registers: r,
    }),
    samples: new Counter({
      name: 'sluice_processor_samples_total',
      help: 'Samples aggregated',
      registers: r,
    }),
    duplicates: new Counter({
      name: 'sluice_processor_duplicates_skipped_total',
      help: 'Payloads skipped as already applied, by (agentId, seq)',
      registers: r,
    }),
    gapsForgotten: new Gauge({
      name: 'sluice_processor_dedup_gaps_forgotten',
      help: 'Seq gaps given up past the range cap, per partition, since it was opened',
      labelNames: ['partition'],
      registers: r,
    }),
    flushes: new Counter({
      name: 'sluice_processor_flushes_total',
      help: 'Flush transactions',
      labelNames: ['outcome', 'cause'],
      registers: r,
    }),
    flushDeltas: new Histogram({
      name: 'sluice_processor_flush_deltas',
      help: 'Rollup deltas per flush',
      buckets: [0, 10, 100, 1000, 10_000, 100_000, 1_000_000],
      registers: r,
    }),
    flushSeconds: new Histogram({
      name: 'sluice_processor_flush_duration_seconds',
      help: 'Flush transaction duration',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: r,
    }),
    aborts: new Counter({
      name: 'sluice_processor_transaction_aborts_total',
      help: 'Transactions aborted',
      labelNames: ['reason'],
      registers: r,
    }),
    mapEntries: new Gauge({
      name: 'sluice_processor_map_entries',
      help: 'Partial aggregates held, all partitions',
      registers: r,
    }),
    mapBytes: new Gauge({
      name: 'sluice_processor_map_bytes',
      help: 'Estimated bytes of partial aggregates held, all partitions',
      registers: r,
    }),
    mapCapEntries: new Gauge({
      name: 'sluice_processor_map_cap_entries',
      help: 'Cap of partial aggregates per partition',
      registers: r,
    }),
    lag: new Gauge({
      name: 'sluice_processor_consumer_lag',
      help: 'Raw records behind the high watermark, per partition',
      labelNames: ['partition'],
      registers: r,
    }),
    partitions: new Gauge({
      name: 'sluice_processor_partitions',
      help: 'Raw partitions owned',
      registers: r,
    }),
    sessions: new Counter({
      name: 'sluice_processor_sessions_total',
      help: 'Consumer sessions started (a restart after a fence or a failed flush starts a new one)',
      labelNames: ['reason'],
      registers: r,
    }),
    lateSeconds: new Histogram({
      name: 'sluice_processor_sample_age_seconds',
      help: 'Sample age when processed',
      buckets: [1, 5, 15, 60, 300, 3600, 86_400],
      registers: r,
    }),
  };
}
export type ProcessorMetrics = ReturnType<typeof processorMetrics>;
