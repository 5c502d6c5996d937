/**
 * Shared by the transaction tests (test/kafka, test/faults/kafka-broker): a client whose kafkajs log
 * lines are kept in memory, per-test topics, and an exact read of a partition under either isolation.
 */
import {
  type Admin,
  createKafka,
  type Kafka,
  type KafkaLogLine,
  mentionsConcurrentTransactions,
} from '../../common/kafka.ts';
import { serviceAddresses } from '../../common/services.ts';
import { uniqueName, until } from '../support/wait.ts';

export interface LoggedKafka {
  kafka: Kafka;
  lines: KafkaLogLine[];
  /** kafkajs lines that report a CONCURRENT_TRANSACTIONS answer from the broker. */
  concurrent(): KafkaLogLine[];
}

export function loggedKafka(clientId: string): LoggedKafka {
  const lines: KafkaLogLine[] = [];
  const kafka = createKafka({
    clientId,
    brokers: serviceAddresses().kafkaBrokers,
    onLog: (line) => void lines.push(line),
  });
  return { kafka, lines, concurrent: () => lines.filter((l) => mentionsConcurrentTransactions(l)) };
}

export async function createTopic(admin: Admin, prefix: string, partitions = 1): Promise<string> {
  const topic = uniqueName(prefix);
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: partitions }] });
  return topic;
}

/**
 * Every value in partition 0 of `topic`, in offset order, as a consumer with `isolation` sees it.
 * Exact, not "at least": a sentinel is appended (non-transactional) and everything before it is
 * returned. A read_committed consumer cannot pass a transaction that is still open, so reaching the
 * sentinel also proves that every earlier transaction was decided (committed or aborted).
 */
export async function readAll(
  kafka: Kafka,
  topic: string,
  isolation: 'read_committed' | 'read_uncommitted',
  timeoutMs = 30_000,
): Promise<string[]> {
  const sentinel = uniqueName('sentinel');
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    await producer.send({ topic, messages: [{ partition: 0, value: sentinel }] });
  } finally {
    await producer.disconnect();
  }
  const got: string[] = [];
  let seen = false;
  const consumer = kafka.consumer({
    groupId: uniqueName('reader'),
    readUncommitted: isolation === 'read_uncommitted',
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ message }) => {
        if (seen) return;
        const v = String(message.value);
        if (v === sentinel) seen = true;
        else if (!v.startsWith('sentinel-')) got.push(v);
      },
    });
    await until(`the sentinel of ${topic} (${isolation})`, () => seen, {
      timeoutMs,
      describe: () => `${got.length} values read`,
    });
  } finally {
    await consumer.disconnect();
  }
  return got;
}
