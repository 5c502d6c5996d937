/**
 * The connect service: a consumer group on `rollups` (read_committed: only committed processor
 * transactions), one sink per owned partition, the operations port, and the expiry sweeper where the
 * store has no TTL indexes. Waiting on the store happens inside the batch handler, so the consumer
 * fetches nothing more for that partition meanwhile: lag grows in Kafka, never in memory.
 */
import type { Config } from '../common/config.ts';
import { createKafka } from '../common/kafka.ts';
import { type Logger, logger } from '../common/log.ts';
import { createRegistry, type Registry } from '../common/metrics.ts';
import { connectStore } from '../common/mongo.ts';
import { closeHttp, startHttp } from '../common/service.ts';
import { ensureTopics, TOPICS } from '../common/topics.ts';
import type { connectSchema } from './config.ts';
import { connectMetrics } from './metrics.ts';
import { ConnectSession } from './session.ts';
import type { SinkContext } from './sink.ts';
import { prepareCollections, sweepExpired } from './store.ts';
import { UnsettledWrites } from './unsettled.ts';

export type ConnectConfig = Config<typeof connectSchema>;

export interface ConnectHandle {
  url: string;
  registry: Registry;
  close(): Promise<void>;
}

export async function startConnect(
  cfg: ConnectConfig,
  log: Logger = logger('connect', cfg.LOG_LEVEL),
): Promise<ConnectHandle> {
  const registry = createRegistry('connect');
  const metrics = connectMetrics(registry);
  const prefix = cfg.SLUICE_TOPIC_PREFIX;
  const topic = prefix + TOPICS.rollups;
  const groupId = prefix + cfg.SLUICE_CONNECT_GROUP;
  // neverAbandon: a write the client gave up on could still apply later (connect/unsettled.ts).
  const store = await connectStore(cfg.MONGO_URL, cfg.MONGO_DB, {
    appName: 'sluice-connect',
    neverAbandon: true,
  });
  const cols = await prepareCollections(store);
  const kafka = createKafka({ clientId: 'sluice-connect', brokers: cfg.KAFKA_BROKERS, log });
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(
    admin,
    { rawPartitions: cfg.SLUICE_RAW_PARTITIONS, rollupPartitions: cfg.SLUICE_ROLLUP_PARTITIONS },
    prefix,
  );
  const ctx: Omit<SinkContext, 'consumer'> = {
    admin,
    log,
    metrics,
    topic,
    groupId,
    cols,
    backend: store.backend,
    maxOps: cfg.SLUICE_CONNECT_MAX_OPS,
    retentionMs: {
      60: cfg.SLUICE_CONNECT_RETENTION_1M_DAYS * 86_400_000,
      3600: cfg.SLUICE_CONNECT_RETENTION_1H_DAYS * 86_400_000,
    },
    retryMaxMs: cfg.SLUICE_CONNECT_RETRY_MAX_MS,
    unsettled: new UnsettledWrites(),
    waitTickMs: 10_000,
  };
  let closing = false;
  let session: ConnectSession | undefined;
  const loop = (async () => {
    for (let failures = 0; !closing; failures++) {
      session = new ConnectSession({
        kafka,
        ctx,
        fetchMaxBytes: cfg.SLUICE_CONNECT_FETCH_MAX_BYTES,
        closing: () => closing,
      });
      let reason: string;
      try {
        reason = await session.run();
      } catch (err) {
        log.error({ err }, 'connect session could not start');
        reason = 'start failed';
      }
      if (closing) break;
      await session.stop(reason);
      const pause = Math.min(5000, 200 * 2 ** Math.min(failures, 5)) * (0.5 + Math.random() / 2);
      log.warn({ reason, pauseMs: Math.round(pause) }, 'restarting connect session');
      await new Promise((r) => setTimeout(r, pause));
    }
  })();

  let sweeping = false;
  const sweeper =
    cols.sweep.length > 0
      ? setInterval(() => {
          // One sweep at a time: on a stopped store a sweep waits until it resumes.
          if (sweeping) return;
          sweeping = true;
          sweepExpired(cols.sweep, new Date())
            .then(
              (n) => metrics.expired.inc(n),
              (err) => log.warn({ err }, 'expiry sweep failed'),
            )
            .finally(() => {
              sweeping = false;
            });
        }, 60_000)
      : undefined;

  const server = await startHttp({
    listen: cfg.SLUICE_CONNECT_LISTEN,
    registry,
    log,
    ready: () => (session?.joined ? { ok: true } : { ok: false, reason: 'not in the consumer group yet' }),
  });
  const addr = server.address();
  let closed: Promise<void> | undefined;
  return {
    url: typeof addr === 'object' && addr ? `http://127.0.0.1:${addr.port}` : '',
    registry,
    close() {
      closed ??= (async () => {
        closing = true;
        clearInterval(sweeper);
        // Stops fetching and waits for the batch in hand: a range either commits or stays uncommitted
        // (and is written again, exactly, by whoever owns the partition next).
        await session?.stop('shutdown');
        await loop;
        await admin.disconnect().catch(() => undefined);
        await store.client.close().catch(() => undefined);
        await closeHttp(server);
      })();
      return closed;
    },
  };
}
