/**
 * The ingest service: agents' HTTP endpoint → Kafka `raw`. Stateless: any number behind a load balancer.
 *
 * `startIngest` runs it in-process (tests, end-to-end runs: listen on 127.0.0.1:0 with a topic prefix);
 * `main` is the CLI entry (`node scripts/sluice.ts ingest`), with signals wired to a graceful close:
 * stop accepting (close the listener) → let in-flight requests get their Kafka ack within
 * SLUICE_INGEST_SHUTDOWN_TIMEOUT_MS → disconnect the producer.
 */
import type { AddressInfo } from 'node:net';
import { type Config, loadConfig } from '../common/config.ts';
import { type ClientOptions, createKafka } from '../common/kafka.ts';
import { type Logger, logger } from '../common/log.ts';
import { createLifecycle, handleSignals, type Lifecycle, startHttp } from '../common/service.ts';
import { ensureTopics, TOPICS, type TopicLayout } from '../common/topics.ts';
import { adminHandler } from './admin.ts';
import { BackfillGovernor } from './backfill.ts';
import { ingestSchema } from './config.ts';
import { AgentDropReports } from './drops.ts';
import { ingestHandler } from './http.ts';
import { loadKeys } from './keys.ts';
import { ingestMetrics } from './metrics.ts';
import { createIngestProducer, type IngestProducer } from './producer.ts';
import type { Limits } from './validate.ts';

export type IngestConfig = Config<typeof ingestSchema>;

export interface IngestDeps {
  log?: Logger;
  /** Overrides SLUICE_TOPIC_PREFIX (tests isolate themselves with a random one). */
  topicPrefix?: string;
  /** Overrides SLUICE_RAW_PARTITIONS / SLUICE_ROLLUP_PARTITIONS for the topics ingest creates. */
  layout?: TopicLayout;
  /** Extra kafkajs client settings (e.g. a socketFactory in fault tests). */
  kafka?: ClientOptions['extra'];
  now?: () => number;
}

export interface IngestHandle {
  url: string;
  port: number;
  /** The topic records go to. */
  topic: string;
  /** Resolves when the producer is connected (the service answers before that: 503 until then). */
  whenReady: Promise<void>;
  producer: IngestProducer;
  metrics: ReturnType<typeof ingestMetrics>;
  lifecycle: Lifecycle;
  /** Graceful, idempotent close. */
  close(): Promise<void>;
}

export function limitsFrom(c: IngestConfig): Limits {
  return {
    maxSeries: c.SLUICE_INGEST_MAX_SERIES,
    maxLabels: c.SLUICE_INGEST_MAX_LABELS,
    maxNameBytes: c.SLUICE_INGEST_MAX_NAME_BYTES,
    maxLabelValueBytes: c.SLUICE_INGEST_MAX_LABEL_VALUE_BYTES,
    maxSamplesPerSeries: c.SLUICE_INGEST_MAX_SAMPLES_PER_SERIES,
    maxHistogramBuckets: c.SLUICE_INGEST_MAX_HISTOGRAM_BUCKETS,
    maxAgeMs: c.SLUICE_INGEST_MAX_AGE_S * 1000,
    maxFutureMs: c.SLUICE_INGEST_MAX_FUTURE_S * 1000,
  };
}

export async function startIngest(config: IngestConfig, deps: IngestDeps = {}): Promise<IngestHandle> {
  const log = deps.log ?? logger('ingest', config.LOG_LEVEL);
  const prefix = deps.topicPrefix ?? config.SLUICE_TOPIC_PREFIX;
  const layout: TopicLayout = deps.layout ?? {
    rawPartitions: config.SLUICE_RAW_PARTITIONS,
    rollupPartitions: config.SLUICE_ROLLUP_PARTITIONS,
  };
  const topic = prefix + TOPICS.raw;
  const keys = loadKeys(config.SLUICE_INGEST_API_KEYS_FILE);
  if (keys.dev)
    log.warn('SLUICE_INGEST_API_KEYS_FILE is empty: accepting only the dev key "dev-key" (tenant dev)');
  if (config.SLUICE_INGEST_REFUSE_ALL) log.warn('kill switch on: refusing every payload with 503');

  const metrics = ingestMetrics();
  const life = createLifecycle(log);
  const kafka = createKafka({
    clientId: 'sluice-ingest',
    brokers: config.KAFKA_BROKERS,
    log,
    extra: deps.kafka,
  });
  const producer = createIngestProducer({
    topic,
    maxInflightBytes: config.SLUICE_INGEST_MAX_INFLIGHT_BYTES,
    produceTimeoutMs: config.SLUICE_INGEST_PRODUCE_TIMEOUT_MS,
    lingerMs: config.SLUICE_INGEST_BATCH_LINGER_MS,
    batchMaxBytes: config.SLUICE_INGEST_BATCH_MAX_BYTES,
    createProducer: () =>
      kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false }),
    prepare: async () => {
      const admin = kafka.admin();
      await admin.connect();
      try {
        await ensureTopics(admin, layout, prefix);
      } finally {
        await admin.disconnect();
      }
    },
    metrics,
    log,
  });
  life.onClose('kafka producer', () => producer.close());

  // The kill switch can be flipped at runtime (ingest/admin.ts); the handler reads it per request.
  const switches = { refuseAll: config.SLUICE_INGEST_REFUSE_ALL };
  const backfill = new BackfillGovernor({
    maxBytesPerS: config.SLUICE_INGEST_BACKFILL_MAX_BYTES_PER_S,
    headroomFraction: config.SLUICE_INGEST_BACKFILL_HEADROOM_FRACTION,
    activeMs: config.SLUICE_INGEST_BACKFILL_ACTIVE_MS,
    maxAgents: config.SLUICE_INGEST_BACKFILL_MAX_AGENTS,
    maxInflightBytes: config.SLUICE_INGEST_MAX_INFLIGHT_BYTES,
    inflightBytes: () => producer.inflightBytes(),
    accepting: () => !switches.refuseAll && producer.precheck().ok,
    metrics,
  });
  const admin = config.SLUICE_INGEST_ADMIN ? adminHandler({ backfill, switches, metrics, log }) : undefined;
  const server = await startHttp({
    listen: config.SLUICE_INGEST_LISTEN,
    registry: metrics.registry,
    log,
    ready: () => producer.readiness(),
    routes: ingestHandler({
      keys: keys.table,
      limits: limitsFrom(config),
      maxBodyBytes: config.SLUICE_INGEST_MAX_BODY_BYTES,
      maxDecompressedBytes: config.SLUICE_INGEST_MAX_DECOMPRESSED_BYTES,
      retryAfterS: config.SLUICE_INGEST_RETRY_AFTER_S,
      get refuseAll() {
        return switches.refuseAll;
      },
      backfill,
      ...(admin ? { admin } : {}),
      producer,
      metrics,
      log,
      dropReports: new AgentDropReports({
        maxAgents: config.SLUICE_INGEST_DROP_REPORT_MAX_AGENTS,
        metrics,
        log,
      }),
      ...(deps.now ? { now: deps.now } : {}),
    }),
  }).catch(async (err: unknown) => {
    await producer.close();
    throw err;
  });
  const deadline = config.SLUICE_INGEST_SHUTDOWN_TIMEOUT_MS;
  life.onClose('in-flight produce', async () => {
    if (!(await producer.drain(deadline))) {
      log.warn(
        { inflightBytes: producer.inflightBytes() },
        'shutdown deadline: records still unacknowledged',
      );
    }
  });
  life.onClose('http listener', () => {
    // New connections are refused at once; requests already read finish within the drain step.
    server.close();
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), deadline + 1000).unref();
  });

  const { port } = server.address() as AddressInfo;
  const host = config.SLUICE_INGEST_LISTEN.slice(0, config.SLUICE_INGEST_LISTEN.lastIndexOf(':'));
  log.info({ port, topic }, 'ingest listening');
  return {
    url: `http://${host.includes(':') ? `[${host.replace(/^\[|\]$/g, '')}]` : host}:${port}`,
    port,
    topic,
    whenReady: producer.whenReady,
    producer,
    metrics,
    lifecycle: life,
    close: () => life.close('close'),
  };
}

/** CLI entry: validates the configuration (ConfigError → exit 2), starts, handles SIGTERM/SIGINT. */
export async function main(): Promise<void> {
  const config = loadConfig(ingestSchema);
  const log = logger('ingest', config.LOG_LEVEL);
  const handle = await startIngest(config, { log });
  handleSignals(handle.lifecycle, log, config.SLUICE_INGEST_SHUTDOWN_TIMEOUT_MS + 10_000);
}
