import { defineSchema } from '../common/config.ts';
import { kafkaSettings, logSettings } from '../common/settings.ts';

/** Processor: raw → 1m/1h rollup deltas, exactly once. */
export const processorSchema = defineSchema({
  ...logSettings,
  ...kafkaSettings,
  SLUICE_PROCESSOR_LISTEN: {
    kind: 'hostport',
    default: '127.0.0.1:9402',
    doc: 'HTTP listen address (/metrics, /healthz, /readyz)',
  },
  SLUICE_PROCESSOR_GROUP: {
    kind: 'string',
    default: 'sluice-processor',
    doc: 'Consumer group of the processors (prefixed by SLUICE_TOPIC_PREFIX)',
  },
  SLUICE_PROCESSOR_FLUSH_MS: {
    kind: 'int',
    default: 1000,
    min: 50,
    max: 60_000,
    doc: 'Flush (one transaction per raw partition) at least this often, ms',
  },
  SLUICE_PROCESSOR_MAX_ENTRIES: {
    kind: 'int',
    default: 250_000,
    min: 100,
    doc: 'Aggregation map cap of the process, partial aggregates (shared by its partitions); reaching it flushes',
  },
  SLUICE_PROCESSOR_MAX_BYTES: {
    kind: 'int',
    default: 160 << 20,
    min: 1 << 20,
    doc: 'Aggregation map cap of the process, estimated bytes (shared by its partitions); reaching it flushes',
  },
  SLUICE_PROCESSOR_SESSION_TIMEOUT_MS: {
    kind: 'int',
    default: 30_000,
    min: 6000,
    max: 300_000,
    doc: 'Kafka consumer session timeout: how long a silent processor keeps its partitions',
  },
  SLUICE_PROCESSOR_FETCH_MAX_BYTES: {
    kind: 'int',
    default: 8 << 20,
    min: 1 << 20,
    doc: 'Largest Kafka fetch (bounds memory under backlog)',
  },
  SLUICE_PROCESSOR_DEDUP_HORIZON_S: {
    kind: 'int',
    default: 8 * 86_400,
    min: 3600,
    doc: 'Forget an agent\u2019s applied seqs after this long idle, s (> ingest\u2019s oldest accepted payload)',
  },
  SLUICE_PROCESSOR_DEDUP_MAX_RANGES: {
    kind: 'int',
    default: 4096,
    min: 16,
    doc: 'Applied-seq ranges kept per agent; past it the oldest gap is given up (counted)',
  },
  SLUICE_PROCESSOR_BATCH_MAX_BYTES: {
    kind: 'int',
    default: 512 << 10,
    min: 16 << 10,
    max: 900 << 10,
    doc: 'Largest rollups message (a batch of deltas), bytes',
  },
});
