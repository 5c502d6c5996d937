/**
 * The processor service: consumer sessions in a loop (a failed session is replaced after a short,
 * jittered pause), the operations port, and a graceful close that flushes what was processed.
 */
import type { Config } from '../common/config.ts';
import { createKafka } from '../common/kafka.ts';
import { type Logger, logger } from '../common/log.ts';
import { createRegistry, type Registry } from '../common/metrics.ts';
import { closeHttp, startHttp } from '../common/service.ts';
import { ensureTopics, TOPICS } from '../common/topics.ts';
import type { processorSchema } from './config.ts';
import { processorMetrics } from './metrics.ts';
import type { PartitionContext } from './partition.ts';
import { Session } from './session.ts';

export type ProcessorConfig = Config<typeof processorSchema>;

export interface ProcessorHandle {
  url: string;
  registry: Registry;
  close(): Promise<void>;
}

export async function startProcessor(
  cfg: ProcessorConfig,
  log: Logger = logger('processor', cfg.LOG_LEVEL),
): Promise<ProcessorHandle> {
  const registry = createRegistry('processor');
  const metrics = processorMetrics(registry);
  const prefix = cfg.SLUICE_TOPIC_PREFIX;
  const kafka = createKafka({ clientId: 'sluice-processor', brokers: cfg.KAFKA_BROKERS, log });
  const admin = kafka.admin();
  await admin.connect();
  try {
    await ensureTopics(
      admin,
      { rawPartitions: cfg.SLUICE_RAW_PARTITIONS, rollupPartitions: cfg.SLUICE_ROLLUP_PARTITIONS },
      prefix,
    );
  } finally {
    await admin.disconnect();
  }
  const rollupPartitions = cfg.SLUICE_ROLLUP_PARTITIONS;
  metrics.mapCapEntries.set(cfg.SLUICE_PROCESSOR_MAX_ENTRIES);
  const ctx: PartitionContext = {
    kafka,
    log,
    metrics,
    topics: { raw: prefix + TOPICS.raw, rollups: prefix + TOPICS.rollups, dedup: prefix + TOPICS.dedup },
    groupId: prefix + cfg.SLUICE_PROCESSOR_GROUP,
    rollupPartitions,
    caps: { maxEntries: cfg.SLUICE_PROCESSOR_MAX_ENTRIES, maxBytes: cfg.SLUICE_PROCESSOR_MAX_BYTES },
    dedup: {
      maxRanges: cfg.SLUICE_PROCESSOR_DEDUP_MAX_RANGES,
      horizonMs: cfg.SLUICE_PROCESSOR_DEDUP_HORIZON_S * 1000,
    },
    batchMaxBytes: cfg.SLUICE_PROCESSOR_BATCH_MAX_BYTES,
  };

  let session: Session | undefined;
  let closing = false;
  const loop = (async () => {
    let failures = 0;
    while (!closing) {
      session = new Session({
        ctx,
        flushMs: cfg.SLUICE_PROCESSOR_FLUSH_MS,
        fetchMaxBytes: cfg.SLUICE_PROCESSOR_FETCH_MAX_BYTES,
        sessionTimeoutMs: cfg.SLUICE_PROCESSOR_SESSION_TIMEOUT_MS,
        processCaps: {
          maxEntries: cfg.SLUICE_PROCESSOR_MAX_ENTRIES,
          maxBytes: cfg.SLUICE_PROCESSOR_MAX_BYTES,
        },
      });
      metrics.sessions.inc({ reason: failures === 0 ? 'start' : 'restart' });
      let reason: string;
      try {
        reason = await session.run();
      } catch (err) {
        log.error({ err }, 'processor session could not start');
        reason = 'start failed';
      }
      if (closing) break;
      await session.abandon();
      failures++;
      const pause = Math.min(5000, 200 * 2 ** Math.min(failures, 5)) * (0.5 + Math.random() / 2);
      log.warn({ reason, pauseMs: Math.round(pause) }, 'restarting processor session');
      await new Promise((r) => setTimeout(r, pause));
    }
  })();

  const server = await startHttp({
    listen: cfg.SLUICE_PROCESSOR_LISTEN,
    registry,
    log,
    ready: () => (session?.joined ? { ok: true } : { ok: false, reason: 'not in the consumer group yet' }),
  });
  const addr = server.address();
  const url = typeof addr === 'object' && addr ? `http://127.0.0.1:${addr.port}` : '';
  let closed: Promise<void> | undefined;
  return {
    url,
    registry,
    close() {
      closed ??= (async () => {
        closing = true;
        await session?.stop();
        await loop;
        await closeHttp(server);
      })();
      return closed;
    },
  };
}
