/**
 * tulios/kafkajs#430: a throw between `transaction()` and `commit()` that is not followed by an abort
 * leaves the kafkajs producer in TRANSACTING, and every later `transaction()` throws "There is already
 * an ongoing transaction for this producer". Reproduced with raw kafkajs; TransactionalProducer.run
 * ends the failed transaction itself, the next run succeeds, and the failed run's records are never
 * visible to read_committed (though they are in the log).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Admin, createTxnProducer } from '../../common/kafka.ts';
import { KafkaTxnError, TransactionalProducer } from '../../common/kafka-txn.ts';
import { uniqueName } from '../support/wait.ts';
import { createTopic, loggedKafka, readAll } from './helpers.ts';

const { kafka } = loggedKafka('txn-ongoing');
let admin: Admin;

beforeAll(async () => {
  admin = kafka.admin();
  await admin.connect();
});
afterAll(async () => {
  await admin.disconnect();
});

class Boom extends Error {}

describe('a throw inside a transaction (kafkajs#430)', () => {
  it('raw kafkajs: the next transaction() throws "already an ongoing transaction" (reproduction)', async () => {
    const topic = await createTopic(admin, 'txn-ongoing-raw');
    const producer = createTxnProducer(kafka, uniqueName('ongoing-raw'));
    await producer.connect();
    try {
      const tx = await producer.transaction();
      // The naive shape: try { send; work (throws); commit } catch { log } — no abort.
      try {
        await tx.send({ topic, messages: [{ partition: 0, value: 'raw-1' }] });
        throw new Boom('work failed');
      } catch (err) {
        expect(err).toBeInstanceOf(Boom);
      }
      const next = await producer.transaction().then(
        () => undefined,
        (err: unknown) => err as Error,
      );
      expect(next?.name).toBe('KafkaJSNonRetriableError');
      expect(next?.message).toMatch(/There is already an ongoing transaction/);
      await tx.abort();
    } finally {
      await producer.disconnect();
    }
  });

  it('TransactionalProducer: the failed run is aborted, the next one commits', async () => {
    const topic = await createTopic(admin, 'txn-ongoing-wrapped');
    const txp = new TransactionalProducer(kafka, { transactionalId: uniqueName('ongoing-wrapped') });
    await txp.init();
    try {
      const failed = await txp
        .run(async (tx) => {
          await tx.send({ topic, messages: [{ partition: 0, value: 'aborted-1' }] });
          throw new Boom('work failed');
        })
        .then(
          () => undefined,
          (err: unknown) => err,
        );
      expect(failed).toBeInstanceOf(KafkaTxnError);
      const e = failed as KafkaTxnError;
      expect(e.cause).toBeInstanceOf(Boom);
      expect({ code: e.code, retriable: e.retriable, abort: e.abort, recreated: e.recreated }).toEqual({
        code: 'SLC_ERR_KAFKA_TXN_FAILED',
        retriable: false,
        abort: 'aborted',
        recreated: false,
      });
      expect(e.mayHaveCommitted).toBe(false);
      await txp.run((tx) => tx.send({ topic, messages: [{ partition: 0, value: 'committed-1' }] }));
      expect(txp.stats).toMatchObject({ commits: 1, aborts: 1, recreates: 0 });
    } finally {
      await txp.close();
    }
    expect(await readAll(kafka, topic, 'read_uncommitted')).toEqual(['aborted-1', 'committed-1']);
    expect(await readAll(kafka, topic, 'read_committed')).toEqual(['committed-1']);
  });
});
