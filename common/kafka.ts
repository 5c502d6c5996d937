/**
 * The only module that imports kafkajs (kafkajs is in maintenance mode; swapping the client must touch
 * this folder only). Clients log through our JSON logger; kafkajs' noisy ERROR lines for
 * CONCURRENT_TRANSACTIONS retries (tulios/kafkajs#1315: expected right after a commit, retried) go to debug.
 */
// Must load before kafkajs: it replaces kafkajs' read_committed filter (see the module).
import './kafkajs-read-committed.ts';
import kafkajs, {
  Kafka,
  type KafkaConfig,
  logLevel as KafkaLogLevel,
  type LogEntry,
  type Transaction,
} from 'kafkajs';
import type { Logger } from './log.ts';

export type { Admin, Consumer, EachBatchPayload, Producer, ProducerRecord, Transaction } from 'kafkajs';
export { CompressionTypes } from 'kafkajs';

/** What `sendOffsets` takes: the consumer group and the offsets to commit with the transaction. */
export type TxnOffsets = Parameters<Transaction['sendOffsets']>[0];

/** One kafkajs log line, as handed to a `ClientOptions.onLog` sink. */
export interface KafkaLogLine {
  level: 'error' | 'warn' | 'info' | 'debug';
  /** kafkajs' namespace, e.g. `Connection`, `Producer`. */
  label: string;
  message: string;
  /** kafkajs puts the failed request's error message here (not an Error object). */
  error?: string;
}

/**
 * Whether a kafkajs log line reports a CONCURRENT_TRANSACTIONS answer (tulios/kafkajs#1315/#1068). kafkajs
 * logs the protocol error's *message* only, never its type, so this is the one place that matches
 * text: the type name or the broker's wording ("another concurrent operation on the same transaction").
 */
export function mentionsConcurrentTransactions(line: { message: string; error?: unknown }): boolean {
  return /CONCURRENT_TRANSACTIONS|concurrent operation/i.test(`${line.message} ${line.error ?? ''}`);
}

const levels: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [KafkaLogLevel.ERROR]: 'error',
  [KafkaLogLevel.WARN]: 'warn',
  [KafkaLogLevel.INFO]: 'info',
  [KafkaLogLevel.DEBUG]: 'debug',
};

function logCreator(log: Logger | undefined, onLog: ((line: KafkaLogLine) => void) | undefined) {
  return () =>
    ({ level, label, log: entry }: LogEntry) => {
      const { message, ...rest } = entry;
      const lvl = levels[level] ?? 'info';
      if (onLog) {
        const error = typeof rest.error === 'string' ? rest.error : undefined;
        onLog({ level: lvl, label, message, ...(error === undefined ? {} : { error }) });
      }
      if (!log) return;
      const concurrent = mentionsConcurrentTransactions({ message, error: rest.error });
      log[concurrent ? 'debug' : lvl]({ kafka: label, ...rest }, `kafkajs: ${message}`);
    };
}

export interface ClientOptions {
  clientId: string;
  brokers: string[];
  log?: Logger;
  /** Also hands every kafkajs line (INFO and above, before the downgrade of #1315 noise) to this sink. */
  onLog?: (line: KafkaLogLine) => void;
  /** Extra kafkajs settings (timeouts); retry settings are per producer/consumer. */
  extra?: Partial<KafkaConfig>;
}

export function createKafka(opts: ClientOptions): Kafka {
  return new Kafka({
    clientId: opts.clientId,
    brokers: opts.brokers,
    connectionTimeout: 3000,
    requestTimeout: 30000,
    logLevel: opts.log || opts.onLog ? KafkaLogLevel.INFO : KafkaLogLevel.NOTHING,
    logCreator: logCreator(opts.log, opts.onLog),
    ...opts.extra,
  });
}

export type { Kafka };

/**
 * The Kafka protocol error type (`CONCURRENT_TRANSACTIONS`, …) of an error, looked up through its
 * `originalError`/`cause` chain (kafkajs' retry wrappers and our own SluiceErrors keep the original
 * there). We branch on these, never on messages.
 */
export function kafkaErrorType(err: unknown): string | undefined {
  let e = err as { type?: unknown; cause?: unknown; originalError?: unknown } | undefined;
  for (let depth = 0; e && typeof e === 'object' && depth < 8; depth++) {
    if (typeof e.type === 'string') return e.type;
    e = (e.originalError ?? e.cause) as typeof e;
  }
  return undefined;
}

/** Protocol code 90 (PRODUCER_FENCED), newer than kafkajs 2.2.4's table: it reports an unknown type. */
const PRODUCER_FENCED_CODE = 90;

/** The producer was fenced by a newer instance with the same transactional id: our partition moved. */
export function isFenced(err: unknown): boolean {
  if ((err as { code?: unknown } | undefined)?.code === 'SLC_ERR_KAFKA_FENCED') return true;
  const t = kafkaErrorType(err);
  return (
    t === 'INVALID_PRODUCER_EPOCH' ||
    t === 'PRODUCER_FENCED' ||
    t === 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED' ||
    (err as { code?: unknown } | undefined)?.code === PRODUCER_FENCED_CODE
  );
}

/**
 * kafkajs error classes that mean "Kafka was away or slow", retriable by a later call even where kafkajs
 * marks them non-retriable (it gave up its own retries, e.g. no coordinator while the broker restarts).
 */
const TRANSIENT_CLASSES: ReadonlyArray<abstract new (...args: never[]) => Error> = [
  kafkajs.KafkaJSConnectionError,
  kafkajs.KafkaJSRequestTimeoutError,
  kafkajs.KafkaJSGroupCoordinatorNotFound,
  kafkajs.KafkaJSBrokerNotFound,
  kafkajs.KafkaJSNumberOfRetriesExceeded,
  kafkajs.KafkaJSLockTimeout,
];

/**
 * Retriability of a Kafka client error, as one table: fenced → no (a newer owner exists); the transient
 * classes above → yes; otherwise kafkajs' own `retriable` flag (protocol errors carry the broker's
 * verdict); anything that is not a kafkajs error (a TypeError, our own bug) → no.
 */
export function isKafkaRetriable(err: unknown): boolean {
  if (isFenced(err)) return false;
  if (TRANSIENT_CLASSES.some((c) => err instanceof c)) return true;
  if (err instanceof kafkajs.KafkaJSError) return err.retriable;
  return false;
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
  offsets: TxnOffsets,
  attempts = 40,
  onRetry?: (attempt: number, err: unknown) => void,
): Promise<void> {
  for (let i = 1; ; i++) {
    try {
      await tx.sendOffsets(offsets);
      return;
    } catch (err) {
      if (kafkaErrorType(err) !== 'CONCURRENT_TRANSACTIONS' || i >= attempts) throw err;
      onRetry?.(i, err);
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
