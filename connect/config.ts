import { defineSchema } from '../common/config.ts';
import { kafkaSettings, logSettings, mongoSettings, redisSettings } from '../common/settings.ts';

/** Connect: rollup deltas → MongoDB guarded upserts. */
export const connectSchema = defineSchema({
  ...logSettings,
  ...kafkaSettings,
  ...mongoSettings,
  ...redisSettings,
  SLUICE_CONNECT_LISTEN: {
    kind: 'hostport',
    default: '127.0.0.1:9403',
    doc: 'HTTP listen address (/metrics, /healthz, /readyz)',
  },
  SLUICE_CONNECT_GROUP: {
    kind: 'string',
    default: 'sluice-connect',
    doc: 'Consumer group of the connect workers (prefixed by SLUICE_TOPIC_PREFIX)',
  },
  SLUICE_CONNECT_FETCH_MAX_BYTES: {
    kind: 'int',
    default: 8 << 20,
    min: 1 << 20,
    doc: 'Largest Kafka fetch, bytes (bounds memory; a write range is at most one fetch)',
  },
  SLUICE_CONNECT_MAX_OPS: {
    kind: 'int',
    default: 1000,
    min: 10,
    max: 100_000,
    doc: 'Upserts per bulk write; a larger range is written in several bulks',
  },
  SLUICE_CONNECT_RETENTION_1M_DAYS: {
    kind: 'int',
    default: 30,
    min: 1,
    doc: 'Keep 1-minute rollups this long, days',
  },
  SLUICE_CONNECT_RETENTION_1H_DAYS: {
    kind: 'int',
    default: 400,
    min: 1,
    doc: 'Keep 1-hour rollups this long, days',
  },
  SLUICE_CONNECT_RETRY_MAX_MS: {
    kind: 'int',
    default: 5000,
    min: 100,
    doc: 'Longest pause between retries of a failed store write, ms',
  },
});
