import { defineSchema } from '../common/config.ts';
import { kafkaSettings, logSettings } from '../common/settings.ts';

/**
 * Ingest: agents' HTTP endpoint. Every limit here is a refusal with a reason code (ingest/errors.ts),
 * never a silent drop.
 */
export const ingestSchema = defineSchema({
  ...logSettings,
  ...kafkaSettings,
  SLUICE_INGEST_LISTEN: {
    kind: 'hostport',
    default: '127.0.0.1:9400',
    doc: 'HTTP listen address (agents, /metrics, /healthz, /readyz)',
  },
  SLUICE_INGEST_API_KEYS_FILE: {
    kind: 'string',
    default: '',
    doc: 'JSON file `{"keys": {"<api key>": "<tenant>"}}`, read once at start; empty: the dev key `dev-key` → tenant `dev` only (logged as a warning)',
  },
  SLUICE_INGEST_REFUSE_ALL: {
    kind: 'bool',
    default: false,
    doc: 'Kill switch: answer every POST with 503 + Retry-After (agents keep their data buffered)',
  },
  SLUICE_INGEST_RETRY_AFTER_S: {
    kind: 'int',
    default: 5,
    min: 1,
    max: 3600,
    doc: 'Retry-After (seconds) sent with every 503',
  },
  SLUICE_INGEST_BACKFILL_MAX_BYTES_PER_S: {
    kind: 'int',
    default: 8 * 1024 * 1024,
    min: 0,
    doc: 'Cap on the total backfill rate this process grants agents, payload bytes/s (before gzip), shared equally by the agents with a backlog; 0: live data only (README "Backfill after an outage")',
  },
  SLUICE_INGEST_BACKFILL_HEADROOM_FRACTION: {
    kind: 'number',
    default: 0.5,
    min: 0,
    max: 1,
    doc: 'Share of the free in-flight bytes backfill may keep busy: the budget is at most this × (SLUICE_INGEST_MAX_INFLIGHT_BYTES − in-flight now) / produce latency',
  },
  SLUICE_INGEST_BACKFILL_ACTIVE_MS: {
    kind: 'int',
    default: 30_000,
    min: 100,
    max: 3_600_000,
    doc: 'An agent counts in the backfill share while its last request announced a backlog less than this long ago, ms',
  },
  SLUICE_INGEST_BACKFILL_MAX_AGENTS: {
    kind: 'int',
    default: 100_000,
    min: 1,
    max: 10_000_000,
    doc: 'Agents with a backlog tracked for the fair share; beyond it the least recently seen is forgotten (counted)',
  },
  SLUICE_INGEST_ADMIN: {
    kind: 'bool',
    default: false,
    doc: 'Serve /admin/backfill and /admin/refuse-all (change the backfill budget and the kill switch at runtime) to loopback clients only',
  },
  SLUICE_INGEST_MAX_BODY_BYTES: {
    kind: 'int',
    default: 4 * 1024 * 1024,
    min: 1024,
    doc: 'Largest request body as sent (compressed or not), bytes; larger → 413',
  },
  SLUICE_INGEST_MAX_DECOMPRESSED_BYTES: {
    kind: 'int',
    default: 960 * 1024,
    min: 1024,
    max: 1_000_000,
    doc: "Largest payload after gunzip, bytes; larger → 413 (stays below Kafka's 1 MiB max.message.bytes)",
  },
  SLUICE_INGEST_MAX_SERIES: {
    kind: 'int',
    default: 10_000,
    min: 1,
    doc: 'Most series in one payload',
  },
  SLUICE_INGEST_MAX_LABELS: { kind: 'int', default: 32, min: 0, doc: 'Most labels on one series' },
  SLUICE_INGEST_MAX_NAME_BYTES: {
    kind: 'int',
    default: 256,
    min: 1,
    doc: 'Longest metric or label name, bytes',
  },
  SLUICE_INGEST_MAX_LABEL_VALUE_BYTES: {
    kind: 'int',
    default: 2048,
    min: 1,
    doc: 'Longest label value, bytes (UTF-8)',
  },
  SLUICE_INGEST_MAX_SAMPLES_PER_SERIES: {
    kind: 'int',
    default: 1000,
    min: 1,
    doc: 'Most samples of one series in one payload',
  },
  SLUICE_INGEST_MAX_HISTOGRAM_BUCKETS: {
    kind: 'int',
    default: 320,
    min: 1,
    doc: 'Most populated buckets (positive + negative) in one histogram sample',
  },
  SLUICE_INGEST_MAX_AGE_S: {
    kind: 'int',
    default: 7 * 86_400,
    min: 60,
    doc: 'Oldest accepted sample timestamp, seconds before now (the raw retention window)',
  },
  SLUICE_INGEST_MAX_FUTURE_S: {
    kind: 'int',
    default: 600,
    min: 0,
    doc: 'Furthest accepted sample timestamp, seconds after now (agent clock skew)',
  },
  SLUICE_INGEST_MAX_INFLIGHT_BYTES: {
    kind: 'int',
    default: 64 * 1024 * 1024,
    min: 1024,
    doc: 'Bytes of records handed to Kafka and not yet acknowledged; beyond → 503 + Retry-After',
  },
  SLUICE_INGEST_PRODUCE_TIMEOUT_MS: {
    kind: 'int',
    default: 5000,
    min: 10,
    doc: 'Deadline for the Kafka ack of one request; past it → 503 (the record may still land: agents retry, the processor dedups by (agentId, seq))',
  },
  SLUICE_INGEST_BATCH_LINGER_MS: {
    kind: 'int',
    default: 2,
    min: 0,
    max: 1000,
    doc: 'How long the producer collects concurrent requests into one Kafka batch, ms',
  },
  SLUICE_INGEST_BATCH_MAX_BYTES: {
    kind: 'int',
    default: 900_000,
    min: 1024,
    max: 1_000_000,
    doc: "Most record bytes in one Kafka batch (below the broker's 1 MiB max.message.bytes)",
  },
  SLUICE_INGEST_DROP_REPORT_MAX_AGENTS: {
    kind: 'int',
    default: 10_000,
    min: 1,
    max: 10_000_000,
    doc: 'Agents whose drop reports are exported (sluice_ingest_agent_dropped_*); beyond it the least recently reporting is evicted, counted and logged',
  },
  SLUICE_INGEST_SHUTDOWN_TIMEOUT_MS: {
    kind: 'int',
    default: 10_000,
    min: 100,
    doc: 'On SIGTERM: how long in-flight requests may take to get their Kafka ack before the producer closes',
  },
});
