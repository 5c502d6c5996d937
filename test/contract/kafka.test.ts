/**
 * The Kafka contract Sluice relies on, against the real broker: idempotent acks=all produce, a
 * consume-transform-produce transaction with sendOffsets, read_committed isolation of aborted work.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Admin, type Consumer, createKafka } from '../../common/kafka.ts';
import { serviceAddresses } from '../../common/services.ts';
import { uniqueName, until } from '../support/wait.ts';

const kafka = createKafka({ clientId: 'contract-test', brokers: serviceAddresses().kafkaBrokers });
let admin: Admin;
const consumers: Consumer[] = [];

beforeAll(async () => {
  admin = kafka.admin();
  await admin.connect();
});
afterAll(async () => {
  await Promise.all(consumers.map((c) => c.disconnect()));
  await admin.disconnect();
});

async function topic(partitions = 1): Promise<string> {
  const name = uniqueName('contract');
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic: name, numPartitions: partitions }] });
  return name;
}

/** Reads `topic` from the beginning into `out` until stopped. */
async function collect(
  name: string,
  isolation: 'committed' | 'uncommitted',
  out: string[],
): Promise<Consumer> {
  const c = kafka.consumer({ groupId: uniqueName('reader'), readUncommitted: isolation === 'uncommitted' });
  consumers.push(c);
  await c.connect();
  await c.subscribe({ topic: name, fromBeginning: true });
  await c.run({ eachMessage: async ({ message }) => void out.push(String(message.value)) });
  return c;
}

describe('kafka contract', () => {
  it('an idempotent acks=all producer writes every message once, in order per key', async () => {
    const name = await topic(3);
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const sent = Array.from({ length: 50 }, (_, i) => `m${i}`);
    for (let i = 0; i < sent.length; i += 10) {
      await producer.send({
        topic: name,
        acks: -1,
        messages: sent.slice(i, i + 10).map((v) => ({ key: 'agent-1', value: v })),
      });
    }
    await producer.disconnect();
    const got: string[] = [];
    await collect(name, 'committed', got);
    await until('50 messages back', () => got.length >= 50, { describe: () => `${got.length} so far` });
    expect(got).toEqual(sent);
  });

  it('a transaction commits output and consumed offsets together; read_committed sees it', async () => {
    const input = await topic();
    const output = await topic();
    const group = uniqueName('proc');
    const plain = kafka.producer({ idempotent: true });
    await plain.connect();
    await plain.send({ topic: input, messages: [{ value: 'a' }, { value: 'b' }, { value: 'c' }] });
    await plain.disconnect();

    const txp = kafka.producer({
      transactionalId: uniqueName('tx'),
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await txp.connect();
    const tx = await txp.transaction();
    await tx.send({ topic: output, messages: [{ value: 'abc' }] });
    await tx.sendOffsets({
      consumerGroupId: group,
      topics: [{ topic: input, partitions: [{ partition: 0, offset: '3' }] }],
    });
    await tx.commit();
    await txp.disconnect();

    const got: string[] = [];
    await collect(output, 'committed', got);
    await until('the committed record', () => got.length >= 1);
    expect(got).toEqual(['abc']);
    const offsets = await admin.fetchOffsets({ groupId: group, topics: [input] });
    expect(offsets[0]?.partitions).toEqual([{ partition: 0, offset: '3', metadata: null }]);
  });

  it('an aborted transaction is invisible to read_committed and visible to read_uncommitted', async () => {
    const name = await topic();
    const txp = kafka.producer({
      transactionalId: uniqueName('tx'),
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await txp.connect();
    const aborted = await txp.transaction();
    await aborted.send({ topic: name, messages: [{ value: 'aborted-1' }, { value: 'aborted-2' }] });
    await aborted.abort();
    const committed = await txp.transaction();
    await committed.send({ topic: name, messages: [{ value: 'committed' }] });
    await committed.commit();
    await txp.disconnect();

    const rc: string[] = [];
    const ru: string[] = [];
    await collect(name, 'committed', rc);
    await collect(name, 'uncommitted', ru);
    // The committed record is last in the log: once a reader has it, it has read everything before it.
    await until('both readers at the end', () => rc.includes('committed') && ru.includes('committed'));
    expect(rc).toEqual(['committed']);
    expect(ru).toEqual(['aborted-1', 'aborted-2', 'committed']);
  });
});
