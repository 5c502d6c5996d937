/**
 * The broker dies under an open transaction (tulios/kafkajs#1416 and the dead-end COMMITTING state,
 * kafka-notes §3.1–3.2). Fault tier: it `kill -9`s the local stack's broker and restarts it with
 * `scripts/stack up`, so it runs alone and serially (SLUICE_FAULTS=1, see vitest.config.ts).
 *
 * With an external broker (KAFKA_BROKERS set) there is nothing this test may kill: it fails with that
 * reason instead of skipping, so a fault run never reports green without having broken anything.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Admin, createTxnProducer } from '../../common/kafka.ts';
import { KafkaTxnError, TransactionalProducer, type TxnProducerOptions } from '../../common/kafka-txn.ts';
import { serviceAddresses } from '../../common/services.ts';
import { createTopic, loggedKafka, readAll } from '../kafka/helpers.ts';
import { uniqueName, until } from '../support/wait.ts';

const root = join(import.meta.dirname, '../..');
const runDir = process.env.SLUICE_RUN_DIR ?? join(root, '.run');
const T = 240_000;

/** The stack's broker pid, if it is really the process the stack started (pid + start time, as scripts/stack). */
function brokerPid(): number {
  if (process.env.KAFKA_BROKERS) {
    throw new Error(
      'test/faults/kafka-broker needs the local stack broker to kill -9, but KAFKA_BROKERS selects an external one; unset it and run scripts/stack up',
    );
  }
  const [pid, start] = readFileSync(join(runDir, 'kafka', 'kafka.pid'), 'utf8')
    .trim()
    .split(' ');
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  if (stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] !== start) {
    throw new Error(`the stack's kafka pid file is stale (pid ${pid}); run scripts/stack up`);
  }
  return Number(pid);
}

function brokerPort(): { host: string; port: number } {
  const [host = '127.0.0.1', port = '9092'] = (serviceAddresses().kafkaBrokers[0] ?? '').split(':');
  return { host, port: Number(port) };
}

function portOpen(): Promise<boolean> {
  const { host, port } = brokerPort();
  return new Promise((resolve) => {
    const s = connect({ host, port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

async function killBroker(): Promise<void> {
  process.kill(brokerPid(), 'SIGKILL');
  await until('the broker port to close', async () => !(await portOpen()), { timeoutMs: 20_000 });
}

function stackUp(): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('bash', [join(root, 'scripts/stack'), 'up'], { timeout: 180_000 }, (err, _out, stderr) =>
      err ? reject(new Error(`scripts/stack up failed: ${stderr}`)) : resolve(),
    );
  });
}

const failure = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (err: unknown) => err as Error,
  );

/** Short bounds, so a dead broker costs seconds, not the production defaults. */
const fast: Omit<TxnProducerOptions, 'transactionalId'> = {
  runTimeoutMs: 10_000,
  initTimeoutMs: 5_000,
  endTimeoutMs: 3_000,
  backoff: { baseMs: 50, maxMs: 200 },
};

const { kafka } = loggedKafka('faults-kafka-broker');
let admin: Admin;

beforeAll(async () => {
  brokerPid(); // fails loudly (external broker, stale pid file) before anything else
  admin = kafka.admin();
  await admin.connect();
}, T);
afterAll(async () => {
  await admin?.disconnect().catch(() => undefined);
  // Whatever happened above, leave the shared broker running.
  if (!process.env.KAFKA_BROKERS) await stackUp();
}, T);

describe('broker kill -9 under an open transaction (kafkajs#1416)', () => {
  it(
    'raw kafkajs stays stuck in COMMITTING after the broker is back; TransactionalProducer recreates and commits',
    async () => {
      const rawTopic = await createTopic(admin, 'kill-raw');
      const topic = await createTopic(admin, 'kill-wrapped');
      const rawId = uniqueName('kill-raw');
      const raw = createTxnProducer(kafka, rawId);
      const txp = new TransactionalProducer(kafka, { transactionalId: uniqueName('kill-wrapped'), ...fast });
      try {
        await raw.connect();
        const rawTx = await raw.transaction();
        await rawTx.send({ topic: rawTopic, messages: [{ partition: 0, value: 'raw-doomed' }] });
        await txp.init();
        await txp.run((tx) => tx.send({ topic, messages: [{ partition: 0, value: 'before' }] }));

        // Sent, then the broker dies before the commit.
        const err = await failure(
          txp.run(async (tx) => {
            await tx.send({ topic, messages: [{ partition: 0, value: 'doomed' }] });
            await killBroker();
          }),
        );
        expect(err).toBeInstanceOf(KafkaTxnError);
        const e = err as KafkaTxnError;
        // The commit was attempted: its outcome is unknown to the caller. The broker is away, so the
        // immediate recreate could not finish; the next run retries it.
        expect({ code: e.code, mayHaveCommitted: e.mayHaveCommitted, recreated: e.recreated }).toEqual({
          code: 'SLC_ERR_KAFKA_TXN_FAILED',
          mayHaveCommitted: true,
          recreated: false,
        });
        // Retriable whichever way the commit ended: a connection error (isKafkaRetriable) or, on a
        // loaded machine, the run's deadline (a clean-clone CI run saw the latter).
        expect(e.retriable).toBe(true);

        // Reproduction: the raw producer's commit fails, and from then on it is stuck in COMMITTING.
        expect(await failure(rawTx.commit())).toBeInstanceOf(Error);
        const stuck = await failure(raw.transaction());
        expect(stuck?.name).toBe('KafkaJSNonRetriableError');
        expect(stuck?.message).toMatch(/Cannot call "beginTransaction" in state "COMMITTING"/);

        await stackUp();

        // …even with the broker back.
        const still = await failure(raw.transaction());
        expect(still?.message).toMatch(/Cannot call "beginTransaction" in state "COMMITTING"/);

        await txp.run((tx) => tx.send({ topic, messages: [{ partition: 0, value: 'after' }] }));
        // One recreate failed while the broker was down, the second (in this run) succeeded.
        expect(txp.stats).toMatchObject({ commits: 2, recreates: 2 });
      } finally {
        await txp.close();
        await raw.disconnect().catch(() => undefined);
      }
      // The raw producer's transaction stays open until its transactional id is re-initialised: the
      // same recreate, done here by hand.
      const fence = new TransactionalProducer(kafka, { transactionalId: rawId, ...fast });
      await fence.init();
      await fence.close();

      expect(await readAll(kafka, topic, 'read_uncommitted')).toEqual(['before', 'doomed', 'after']);
      expect(await readAll(kafka, topic, 'read_committed')).toEqual(['before', 'after']);
      expect(await readAll(kafka, rawTopic, 'read_uncommitted')).toEqual(['raw-doomed']);
      expect(await readAll(kafka, rawTopic, 'read_committed')).toEqual([]);
    },
    T,
  );

  it(
    'a run that starts while the broker is dead fails within its bound; after the restart the next run commits',
    async () => {
      await stackUp(); // idempotent: the broker runs even if the test before failed while it was dead
      const topic = await createTopic(admin, 'kill-idle');
      const txp = new TransactionalProducer(kafka, { transactionalId: uniqueName('kill-idle'), ...fast });
      try {
        await txp.init();
        await txp.run((tx) => tx.send({ topic, messages: [{ partition: 0, value: 'before' }] }));
        await killBroker();

        const started = Date.now();
        const err = await failure(
          txp.run((tx) => tx.send({ topic, messages: [{ partition: 0, value: 'while-down' }] })),
        );
        const tookMs = Date.now() - started;
        expect(err).toBeInstanceOf(KafkaTxnError);
        expect((err as KafkaTxnError).mayHaveCommitted).toBe(false);
        // Bounded: here the run's deadline, a disconnect, the wait for the replaced instance, an init.
        expect(tookMs).toBeLessThanOrEqual(txp.maxRunMs);
        const e = err as KafkaTxnError;
        console.log(
          `broker down: run failed after ${tookMs} ms (cause ${(e.cause as Error).name}, abort ${e.abort})`,
        );

        await stackUp();
        await txp.run((tx) => tx.send({ topic, messages: [{ partition: 0, value: 'after' }] }));
        expect(txp.stats.commits).toBe(2);
      } finally {
        await txp.close();
      }
      expect(await readAll(kafka, topic, 'read_committed')).toEqual(['before', 'after']);
    },
    T,
  );
});
