/**
 * The only module that imports kafkajs (kafkajs is in maintenance mode; swapping the client must touch
 * this folder only). Clients log through our JSON logger; kafkajs' noisy ERROR lines for
 * CONCURRENT_TRANSACTIONS retries (tulios/kafkajs#1315: expected right after a commit, retried) go to debug.
 */
import { Kafka, type KafkaConfig, logLevel as KafkaLogLevel, type LogEntry, type Transaction } from 'kafkajs';
import type { Logger } from './log.ts';

export type { Admin, Consumer, EachBatchPayload, Producer, Transaction } from 'kafkajs';
export { CompressionTypes } from 'kafkajs';

const levels: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [KafkaLogLevel.ERROR]: 'error',
  [KafkaLogLevel.WARN]: 'warn',
  [KafkaLogLevel.INFO]: 'info',
  [KafkaLogLevel.DEBUG]: 'debug',
};

function logCreator(log: Logger | undefined) {
  return () =>
    ({ level, label, log: entry }: LogEntry) => {
      if (!log) return;
      const { message, ...rest } = entry;
      const concurrent = /CONCURRENT_TRANSACTIONS|concurrent operation/i.test(
        `${message} ${rest.error ?? ''}`,
      );
      const lvl = concurrent ? 'debug' : (levels[level] ?? 'info');
      log[lvl]({ kafka: label, ...rest }, `kafkajs: ${message}`);
    };
}

export interface ClientOptions {
  clientId: string;
  brokers: string[];
  log?: Logger;
  /** Extra kafkajs settings (timeouts); retry settings are per producer/consumer. */
  extra?: Partial<KafkaConfig>;
}

export function createKafka(opts: ClientOptions): Kafka {
  return new Kafka({
    clientId: opts.clientId,
    brokers: opts.brokers,
    connectionTimeout: 3000,
    requestTimeout: 30000,
    logLevel: opts.log ? KafkaLogLevel.INFO : KafkaLogLevel.NOTHING,
    logCreator: logCreator(opts.log),
    ...opts.extra,
  });
}

export type { Kafka };

/** kafkajs error type names we branch on (never messages). */
export function kafkaErrorType(err: unknown): string | undefined {
  const e = err as
    | { type?: string; cause?: { type?: string }; originalError?: { type?: string } }
    | undefined;
  return e?.type ?? e?.originalError?.type ?? e?.cause?.type;
}

/** The producer was fenced by a newer instance with the same transactional id: our partition moved. */
export function isFenced(err: unknown): boolean {
  const t = kafkaErrorType(err);
  return (
    t === 'INVALID_PRODUCER_EPOCH' || t === 'PRODUCER_FENCED' || t === 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED'
  );
}

/**
 * A transactional producer tuned for back-to-back transactions (tulios/kafkajs#1315): a short initial
 * backoff, because right after a commit the coordinator answers CONCURRENT_TRANSACTIONS until its
 * markers are written; unlimited retries (kafkajs drops to 5 when a retry object lacks `retries`).
 */
export function createTxnProducer(kafka: Kafka, transactionalId: string) {
  return kafka.producer({
    transactionalId,
    idempotent: true,
    maxInFlightRequests: 1,
    transactionTimeout: 60_000,
    retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 25, maxRetryTime: 2000 },
  });
}

/**
 * `sendOffsets` with our own bounded retry on CONCURRENT_TRANSACTIONS (tulios/kafkajs#1068: kafkajs
 * does not retry AddOffsetsToTxn). Safe: the transaction stays open and AddOffsetsToTxn is idempotent
 * within it.
 */
export async function sendOffsetsWithRetry(
  tx: Transaction,
  offsets: Parameters<Transaction['sendOffsets']>[0],
  attempts = 40,
): Promise<void> {
  for (let i = 1; ; i++) {
    try {
      await tx.sendOffsets(offsets);
      return;
    } catch (err) {
      if (kafkaErrorType(err) !== 'CONCURRENT_TRANSACTIONS' || i >= attempts) throw err;
      await new Promise((r) => setTimeout(r, Math.min(25 * 2 ** i, 500)));
    }
  }
}

/**
 * Reads one partition of a topic from its beginning to its end (the high watermark when called),
 * read_committed, with a throwaway consumer group that commits nothing. Only for topics whose
 * partition has no open transaction at the time (the caller fenced its only writer).
 */
export async function readPartitionToEnd(
  kafka: Kafka,
  topic: string,
  partition: number,
  onMessage: (key: Buffer | null, value: Buffer | null) => void,
  timeoutMs = 60_000,
): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  let high: number;
  let low: number;
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    const o = offsets.find((x) => x.partition === partition);
    if (!o) throw new Error(`${topic} has no partition ${partition}`);
    high = Number(o.high);
    low = Number(o.low);
  } finally {
    await admin.disconnect();
  }
  if (high <= low) return 0;
  const consumer = kafka.consumer({
    groupId: `sluice-reader-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`,
    readUncommitted: false,
    maxBytesPerPartition: 4 << 20,
  });
  let count = 0;
  let done!: () => void;
  let failed!: (e: Error) => void;
  const finished = new Promise<void>((resolve, reject) => {
    done = resolve;
    failed = reject;
  });
  const progress = (p: number, last: number) => {
    if (p === partition && last >= high - 1) done();
  };
  consumer.on(consumer.events.END_BATCH_PROCESS, (e) =>
    progress(e.payload.partition, Number(e.payload.lastOffset)),
  );
  consumer.on(consumer.events.CRASH, (e) => failed(e.payload.error));
  const timer = setTimeout(
    () => failed(new Error(`reading ${topic}[${partition}] to ${high} timed out`)),
    timeoutMs,
  );
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        if (batch.partition !== partition) return;
        for (const m of batch.messages) {
          if (Number(m.offset) >= high) break;
          onMessage(m.key, m.value);
          count++;
        }
      },
    });
    await finished;
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
  }
  return count;
}
