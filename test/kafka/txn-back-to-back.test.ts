/**
 * tulios/kafkajs#1315: right after a commit, the next transaction's AddPartitionsToTxn is answered
 * CONCURRENT_TRANSACTIONS until the coordinator has written the markers. kafkajs retries it (with our
 * short backoff, `createTxnProducer`); the test shows the answer really occurs on back-to-back
 * transactions and that every transaction still commits, exactly once and in order.
 *
 * Measured here: between 1 and 12 transactions in 20 meet the answer on AddPartitionsToTxn (the sendOffsets
 * variant, #1068, hits far more often). So the test runs at least 20 transactions and goes on until the
 * answer was seen, up to 400 (even at 1 in 20, 400 misses in a row have a probability of about 10^-9).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Admin } from '../../common/kafka.ts';
import { TransactionalProducer } from '../../common/kafka-txn.ts';
import { uniqueName } from '../support/wait.ts';
import { createTopic, loggedKafka, readAll } from './helpers.ts';

const { kafka, concurrent } = loggedKafka('txn-back-to-back');
let admin: Admin;

beforeAll(async () => {
  admin = kafka.admin();
  await admin.connect();
});
afterAll(async () => {
  await admin.disconnect();
});

describe('back-to-back transactions (kafkajs#1315)', () => {
  it('hit CONCURRENT_TRANSACTIONS and still all commit, exactly once, in order', async () => {
    const topic = await createTopic(admin, 'txn-b2b');
    const txp = new TransactionalProducer(kafka, { transactionalId: uniqueName('b2b') });
    await txp.init();
    const perTransaction = 4;
    const sent: string[] = [];
    const before = concurrent().length;
    let transactions = 0;
    let hitTransactions = 0;
    try {
      for (let t = 0; t < 400 && (t < 20 || concurrent().length === before); t++) {
        const values = Array.from({ length: perTransaction }, (_, j) => `t${t}-r${j}`);
        // One send per record: each transaction adds the partition once, right after the last commit.
        const seen = concurrent().length;
        await txp.run(async (tx) => {
          for (const value of values) await tx.send({ topic, messages: [{ partition: 0, value }] });
        });
        sent.push(...values);
        transactions++;
        if (concurrent().length > seen) hitTransactions++;
      }
    } finally {
      await txp.close();
    }
    const hits = concurrent().length - before;
    console.log(
      `#1315: ${hitTransactions} of ${transactions} back-to-back transactions met CONCURRENT_TRANSACTIONS (${hits} answers)`,
    );
    expect(hits).toBeGreaterThanOrEqual(1);
    expect(txp.stats).toMatchObject({ commits: transactions, aborts: 0, recreates: 0 });
    expect(await readAll(kafka, topic, 'read_committed')).toEqual(sent);
    expect(sent).toHaveLength(transactions * perTransaction);
  });
});
