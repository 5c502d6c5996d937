/** Connect's own metrics (P9). */
import { Counter, Gauge, Histogram, type Registry } from '../common/metrics.ts';

export function connectMetrics(registry: Registry) {
  const r = [registry];
  return {
    messages: new Counter({
      name: 'sluice_connect_messages_total',
      help: 'Rollups messages consumed',
      labelNames: ['outcome'],
      registers: r,
    }),
    deltas: new Counter({ name: 'sluice_connect_deltas_total', help: 'Rollup deltas merged', registers: r }),
    upserts: new Counter({
      name: 'sluice_connect_upserts_total',
      help: 'Guarded upserts',
      labelNames: ['collection', 'outcome'],
      registers: r,
    }),
    duplicates: new Counter({
      name: 'sluice_connect_duplicates_skipped_total',
      help: 'Upserts found already applied by the offset guard (E11000)',
      registers: r,
    }),
    writeSeconds: new Histogram({
      name: 'sluice_connect_write_duration_seconds',
      help: 'Write range duration: bulk writes to commit',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: r,
    }),
    writeDocs: new Histogram({
      name: 'sluice_connect_write_documents',
      help: 'Documents per write range',
      buckets: [1, 10, 100, 1000, 10_000, 100_000],
      registers: r,
    }),
    writeErrors: new Counter({
      name: 'sluice_connect_write_errors_total',
      help: 'Failed store writes (retried)',
      labelNames: ['kind'],
      registers: r,
    }),
    stalled: new Gauge({
      name: 'sluice_connect_partitions_stalled',
      help: 'Partitions waiting on the store (not consuming)',
      registers: r,
    }),
    sessions: new Counter({
      name: 'sluice_connect_sessions_total',
      help: 'Consumer sessions started (a new one after any consumer failure)',
      registers: r,
    }),
    lag: new Gauge({
      name: 'sluice_connect_consumer_lag',
      help: 'Rollups records behind the high watermark, per partition',
      labelNames: ['partition'],
      registers: r,
    }),
    expired: new Counter({
      name: 'sluice_connect_expired_deleted_total',
      help: 'Expired rollup documents deleted by the sweeper (stores without TTL indexes)',
      registers: r,
    }),
  };
}
export type ConnectMetrics = ReturnType<typeof connectMetrics>;
