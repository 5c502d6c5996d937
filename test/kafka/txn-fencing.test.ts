/**
 * Zombie fencing (kafka-notes §3.3): a second TransactionalProducer with the same transactional id
 * fences the first at `init`. The first's next run fails with KafkaFencedError and it does NOT recreate
 * (a recreate would fence the new owner in turn); only the new owner's records become visible.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Admin, isFenced } from '../../common/kafka.ts';
import { KafkaFencedError, TransactionalProducer } from '../../common/kafka-txn.ts';
import { uniqueName } from '../support/wait.ts';
import { createTopic, loggedKafka, readAll } from './helpers.ts';

const { kafka } = loggedKafka('txn-fencing');
let admin: Admin;

beforeAll(async () => {
  admin = kafka.admin();
  await admin.connect();
});
afterAll(async () => {
  await admin.disconnect();
});

const failure = (p: Promise<void>) =>
  p.then(
    () => undefined,
    (err: unknown) => err,
  );

describe('two producers with one transactional id', () => {
  it('the second init fences the first; the first fails fenced, does not recreate; only the second commits', async () => {
    const topic = await createTopic(admin, 'txn-fencing');
    const id = uniqueName('fencing');
    const zombie = new TransactionalProducer(kafka, { transactionalId: id });
    const owner = new TransactionalProducer(kafka, { transactionalId: id });
    try {
      await zombie.init();
      await owner.init();

      const err = await failure(
        zombie.run((tx) => tx.send({ topic, messages: [{ partition: 0, value: 'zombie-1' }] })),
      );
      expect(err).toBeInstanceOf(KafkaFencedError);
      expect((err as KafkaFencedError).code).toBe('SLC_ERR_KAFKA_FENCED');
      expect((err as KafkaFencedError).retriable).toBe(false);
      expect(isFenced(err)).toBe(true);
      // Fenced for good, without touching Kafka again: no recreate, no new epoch.
      expect(
        await failure(
          zombie.run((tx) => tx.send({ topic, messages: [{ partition: 0, value: 'zombie-2' }] })),
        ),
      ).toBeInstanceOf(KafkaFencedError);
      expect(zombie.stats).toMatchObject({ commits: 0, recreates: 0 });

      await owner.run((tx) => tx.send({ topic, messages: [{ partition: 0, value: 'owner-1' }] }));
      await owner.run((tx) => tx.send({ topic, messages: [{ partition: 0, value: 'owner-2' }] }));
      expect(owner.stats).toMatchObject({ commits: 2, recreates: 0 });
    } finally {
      const closing = zombie.close();
      expect(zombie.close()).toBe(closing);
      await Promise.all([closing, owner.close()]);
    }
    expect(await readAll(kafka, topic, 'read_committed')).toEqual(['owner-1', 'owner-2']);
  });
});
