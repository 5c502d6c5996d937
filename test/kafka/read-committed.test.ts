/**
 * kafkajs 2.2.4 delivers records of aborted transactions when transactions of several producers
 * interleave (it assumes the broker's aborted-transaction list is ordered by first offset; the broker
 * orders it by last offset). Reproduced on kafkajs' own filter, fixed by common/kafkajs-read-committed.ts,
 * and checked end to end against the real broker.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Admin, createKafka, createTxnProducer } from '../../common/kafka.ts';
import { filterAbortedMessages } from '../../common/kafkajs-read-committed.ts';
import { serviceAddresses } from '../../common/services.ts';
import { uniqueName, until } from '../support/wait.ts';

const require = createRequire(import.meta.url);

/** kafkajs' original filter, loaded from its file (the module cache holds our replacement). */
function kafkajsOriginal(): typeof filterAbortedMessages {
  const file = require.resolve('kafkajs/src/consumer/filterAbortedMessages.js');
  const mod = { exports: {} as unknown };
  new Function('module', 'exports', 'require', readFileSync(file, 'utf8'))(
    mod,
    mod.exports,
    createRequire(file),
  );
  return mod.exports as typeof filterAbortedMessages;
}

const rec = (offset: number, producerId: string, inTransaction: boolean, abort = false) => ({
  offset: String(offset),
  key: abort ? Buffer.from([0, 0, 0, 0]) : Buffer.from(`k${offset}`),
  batchContext: { producerId, inTransaction },
});
// P1 opens a transaction at 0, P2 one at 1; P2 aborts (marker 2), P1 writes 3 and aborts (marker 4);
// 5 is not transactional. The broker lists aborted transactions by last offset: P2 before P1.
const messages = [
  rec(0, '1', true),
  rec(1, '2', true),
  rec(2, '2', true, true),
  rec(3, '1', true),
  rec(4, '1', true, true),
  rec(5, '3', false),
];
const abortedTransactions = [
  { producerId: '2', firstOffset: '1' },
  { producerId: '1', firstOffset: '0' },
];
const delivered = (f: typeof filterAbortedMessages) =>
  f({ messages, abortedTransactions })
    .filter((m) => !m.key?.equals(Buffer.from([0, 0, 0, 0])))
    .map((m) => Number(m.offset));

describe('read_committed with interleaved aborted transactions', () => {
  it("reproduces kafkajs' filter delivering an aborted record, and the replacement drops it", () => {
    expect(delivered(kafkajsOriginal())).toEqual([0, 5]);
    expect(delivered(filterAbortedMessages)).toEqual([5]);
    // And the replacement is what kafkajs itself loads.
    expect(require('kafkajs/src/consumer/filterAbortedMessages.js')).toBe(filterAbortedMessages);
  });

  describe('against the broker', () => {
    const kafka = createKafka({ clientId: 'read-committed-test', brokers: serviceAddresses().kafkaBrokers });
    let admin: Admin;
    beforeAll(async () => {
      admin = kafka.admin();
      await admin.connect();
    });
    afterAll(() => admin.disconnect());

    it('a consumer sees only committed records when aborted transactions interleave', async () => {
      const topic = uniqueName('read-committed');
      await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1 }] });
      const p1 = createTxnProducer(kafka, uniqueName('p1'));
      const p2 = createTxnProducer(kafka, uniqueName('p2'));
      const p3 = createTxnProducer(kafka, uniqueName('p3'));
      await Promise.all([p1.connect(), p2.connect(), p3.connect()]);
      const t1 = await p1.transaction();
      await t1.send({ topic, messages: [{ value: 'a1' }] });
      const t2 = await p2.transaction();
      await t2.send({ topic, messages: [{ value: 'b1' }] });
      await t2.abort();
      await t1.send({ topic, messages: [{ value: 'a2' }] });
      await t1.abort();
      const t3 = await p3.transaction();
      await t3.send({ topic, messages: [{ value: 'c' }] });
      await t3.commit();
      await Promise.all([p1.disconnect(), p2.disconnect(), p3.disconnect()]);

      const seen: string[] = [];
      const consumer = kafka.consumer({ groupId: uniqueName('rc'), readUncommitted: false });
      try {
        await consumer.connect();
        await consumer.subscribe({ topic, fromBeginning: true });
        await consumer.run({ eachMessage: async ({ message }) => void seen.push(String(message.value)) });
        await until('the committed record', () => seen.includes('c'), { timeoutMs: 30_000 });
        expect(seen).toEqual(['c']);
      } finally {
        await consumer.disconnect();
      }
    });
  });
});
