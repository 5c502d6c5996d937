/**
 * The connect service: a consumer group on `rollups` (read_committed: only committed processor
 * transactions), one sink per owned partition, the operations port, and the expiry sweeper where the
 * store has no TTL indexes. Waiting on the store happens inside the batch handler, so the consumer
 * fetches nothing more for that partition meanwhile: lag grows in Kafka, never in memory.
 */
import type { Config } from '../common/config.ts';
import { createKafka, type EachBatchPayload } from '../common/kafka.ts';
import { type Logger, logger } from '../common/log.ts';
import { createRegistry, type Registry } from '../common/metrics.ts';
import { connectStore } from '../common/mongo.ts';
import { closeHttp, startHttp } from '../common/service.ts';
import { ensureTopics, TOPICS } from '../common/topics.ts';
import type { connectSchema } from './config.ts';
import { connectMetrics } from './metrics.ts';
import { PartitionSink, type SinkContext } from './sink.ts';
import { prepareCollections, sweepExpired } from './store.ts';

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
  const store = await connectStore(cfg.MONGO_URL, cfg.MONGO_DB, { appName: 'sluice-connect' });
  const cols = await prepareCollections(store);
  const kafka = createKafka({ clientId: 'sluice-connect', brokers: cfg.KAFKA_BROKERS, log });
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(
    admin,
    { rawPartitions: cfg.SLUICE_RAW_PARTITIONS, rollupPartitions: cfg.SLUICE_ROLLUP_PARTITIONS },
    prefix,
  );
  const consumer = kafka.consumer({
    groupId,
    readUncommitted: false,
    maxBytes: cfg.SLUICE_CONNECT_FETCH_MAX_BYTES,
    maxBytesPerPartition: Math.max(1 << 20, Math.floor(cfg.SLUICE_CONNECT_FETCH_MAX_BYTES / 4)),
    sessionTimeout: 30_000,
    heartbeatInterval: 3_000,
  });
  const ctx: SinkContext = {
    consumer,
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
  };
  const sinks = new Map<number, Promise<PartitionSink>>();
  let joined = false;
  let closing = false;

  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    joined = true;
    const mine = new Set<number>(e.payload.memberAssignment[topic] ?? []);
    for (const p of [...sinks.keys()]) if (!mine.has(p)) sinks.delete(p);
    log.info({ partitions: [...mine].sort((a, b) => a - b) }, 'assignment');
  });
  consumer.on(consumer.events.CRASH, (e) => {
    log.fatal({ err: e.payload.error, restart: e.payload.restart }, 'connect consumer crashed');
    if (!e.payload.restart) process.exitCode = 1;
  });

  const sink = (p: number) => {
    let s = sinks.get(p);
    if (!s) {
      s = PartitionSink.open(ctx, p);
      sinks.set(p, s);
      s.catch(() => sinks.delete(p));
    }
    return s;
  };

  const eachBatch = async ({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload) => {
    const p = batch.partition;
    let s: PartitionSink | undefined;
    try {
      s = await sink(p);
      for (const m of batch.messages) {
        s.offer(Number(m.offset), m.value);
        resolveOffset(m.offset);
      }
      metrics.lag.set({ partition: String(p) }, Number(batch.offsetLag()));
      const running = () => isRunning() && !isStale() && !closing;
      while (s.writable && running()) if (!(await s.write(running, heartbeat))) break;
    } catch (err) {
      // The range was not committed: forget it and fetch again from the committed offset.
      log.error({ err, partition: p }, 'write range failed; re-reading from the committed offset');
      sinks.delete(p);
      if (s && isRunning()) consumer.seek({ topic, partition: p, offset: String(s.next) });
    }
  };

  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: 2,
    eachBatch,
  });

  const sweeper =
    cols.sweep.length > 0
      ? setInterval(() => {
          sweepExpired(cols.sweep, new Date()).then(
            (n) => metrics.expired.inc(n),
            (err) => log.warn({ err }, 'expiry sweep failed'),
          );
        }, 60_000)
      : undefined;

  const server = await startHttp({
    listen: cfg.SLUICE_CONNECT_LISTEN,
    registry,
    log,
    ready: () => (joined ? { ok: true } : { ok: false, reason: 'not in the consumer group yet' }),
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
        await consumer.disconnect().catch((err) => log.error({ err }, 'consumer disconnect failed'));
        await admin.disconnect().catch(() => undefined);
        await store.client.close().catch(() => undefined);
        await closeHttp(server);
      })();
      return closed;
    },
  };
}
