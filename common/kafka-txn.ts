/**
 * `TransactionalProducer`: one kafkajs transactional producer per transactional id that stays usable
 * after any failure. kafkajs 2.2.4 leaves a producer unable to transact again in several ways
 * (kafka-notes §3.1–3.2): a throw between `transaction()` and `commit()` without an abort (#430), an
 * EndTxn that fails (commit/abort during a broker death, #1416) leaves its state machine in COMMITTING or
 * ABORTING for good. `run` always ends the transaction it began, and replaces the kafkajs instance when
 * it cannot be reused; CONCURRENT_TRANSACTIONS right after a commit is absorbed by the producer's retry
 * tuning (#1315, `createTxnProducer`) and by `sendOffsetsWithRetry` (#1068).
 *
 * When an instance is replaced ("recreate"): the failure came from `commit()` (EndTxn was attempted; the
 * state machine is in COMMITTING whatever happened), or `abort()` threw (ABORTING), or the run hit its
 * deadline (a kafkajs call may still be running inside the instance), or the producer id itself is broken
 * (UNKNOWN_PRODUCER_ID, OUT_OF_ORDER_SEQUENCE_NUMBER). All are told apart by *where* the failure happened
 * and by error type, never by kafkajs' message text. The old instance is disconnected (bounded); a new one
 * with the same transactional id connects and runs InitProducerId, which bumps the epoch, fences every
 * write still in flight from the old instance and makes the coordinator finish its open transaction.
 *
 * Delivery guarantee of `run(fn)`: everything `fn` sent through the scope (records and consumed offsets)
 * is committed atomically, or none of it.
 *  - `run` resolves: committed; read_committed consumers see it, the offsets are the group's.
 *  - `run` rejects with `mayHaveCommitted: false`: never committed (EndTxn(commit) was never sent). The
 *    records are aborted now, or at the next InitProducerId / the transaction timeout.
 *  - `run` rejects with `mayHaveCommitted: true` (the commit failed or timed out): the outcome is unknown.
 *    The caller must re-read what is committed (offsets, its own state topic) instead of assuming either;
 *    the processor does so by ending the session. Retrying the same content blindly could duplicate it.
 *  - Fenced (`KafkaFencedError`): a newer instance owns the transactional id; nothing of this run is
 *    committed, and this object never transacts again (recreating would fence the new owner in turn).
 * This class never resends anything itself; it is not a source of duplicates.
 */
import { InvariantViolation, SluiceError } from './errors.ts';
import {
  createTxnProducer,
  isFenced,
  isKafkaRetriable,
  type Kafka,
  kafkaErrorType,
  type Producer,
  type ProducerRecord,
  sendOffsetsWithRetry,
  type Transaction,
  type TxnOffsets,
} from './kafka.ts';
import type { Logger } from './log.ts';

/** A transaction could not commit. `cause` is the first failure (kafkajs' error, or our timeout). */
export class KafkaTxnError extends SluiceError {
  /** EndTxn(commit) was sent or may have been: the transaction may be committed after all. */
  readonly mayHaveCommitted: boolean;
  /** What happened to the open transaction: aborted by us, or left to the next InitProducerId. */
  readonly abort: 'aborted' | 'abort_failed' | 'skipped';
  /** The kafkajs instance was replaced by a new, initialised one (the next `run` can proceed). */
  readonly recreated: boolean;
  constructor(
    code: 'SLC_ERR_KAFKA_TXN_FAILED' | 'SLC_ERR_KAFKA_TXN_EXHAUSTED',
    message: string,
    opts: {
      retriable: boolean;
      cause: unknown;
      mayHaveCommitted?: boolean;
      abort?: KafkaTxnError['abort'];
      recreated?: boolean;
    },
  ) {
    super(code, message, opts);
    this.mayHaveCommitted = opts.mayHaveCommitted ?? false;
    this.abort = opts.abort ?? 'skipped';
    this.recreated = opts.recreated ?? false;
  }
}

/** A newer producer with the same transactional id exists (our partition moved). Never retriable. */
export class KafkaFencedError extends SluiceError {
  constructor(transactionalId: string, cause: unknown) {
    super('SLC_ERR_KAFKA_FENCED', `producer ${transactionalId} was fenced by a newer instance`, { cause });
  }
}

/** A kafkajs call did not settle within its bound; the call may still complete inside kafkajs. */
export class KafkaTxnTimeoutError extends SluiceError {
  constructor(what: string, ms: number) {
    super('SLC_ERR_KAFKA_TXN_TIMEOUT', `${what} did not finish within ${ms} ms`, { retriable: true });
  }
}

/** What `fn` may do inside a transaction. Unusable once its `run` has ended. */
export interface TxnScope {
  send(record: ProducerRecord): Promise<void>;
  /** `sendOffsets` with the CONCURRENT_TRANSACTIONS retry (#1068). Call it after the sends. */
  sendOffsets(offsets: TxnOffsets): Promise<void>;
}

export interface TxnProducerOptions {
  transactionalId: string;
  log?: Logger;
  /** Bound on one transaction (begin, fn, commit). Keep it below the producer's 60 s transaction timeout. */
  runTimeoutMs?: number;
  /** Bound on connect + InitProducerId of one instance. */
  initTimeoutMs?: number;
  /** Bound on an abort and on a disconnect. */
  endTimeoutMs?: number;
  /** Recreations allowed without a commit in between; then `run` fails with SLC_ERR_KAFKA_TXN_EXHAUSTED. */
  maxRecreatesInRow?: number;
  /** Backoff before the 2nd, 3rd… recreation in a row: full jitter, doubling from `baseMs`, capped. */
  backoff?: { baseMs: number; maxMs: number };
}

const RECREATE_TYPES = new Set(['UNKNOWN_PRODUCER_ID', 'OUT_OF_ORDER_SEQUENCE_NUMBER']);

export class TransactionalProducer {
  readonly transactionalId: string;
  readonly stats = { commits: 0, aborts: 0, recreates: 0, sendOffsetsRetries: 0 };
  /** Upper bound on how long one `run` takes to settle, whatever Kafka does (for callers' deadlines). */
  readonly maxRunMs: number;
  readonly #kafka: Kafka;
  readonly #log: Logger | undefined;
  readonly #o: Required<Omit<TxnProducerOptions, 'log' | 'transactionalId'>>;
  /** The initialised instance; undefined before `init`, after a failed recreate, and once fenced/closed. */
  #producer: Producer | undefined;
  #initialised = false;
  #fenced: unknown;
  #recreatesInRow = 0;
  #running: Promise<void> | undefined;
  #closed: Promise<void> | undefined;
  /** Disconnects still pending for replaced instances whose kafkajs calls had not settled. */
  readonly #orphans = new Set<Promise<void>>();

  constructor(kafka: Kafka, opts: TxnProducerOptions) {
    this.#kafka = kafka;
    this.transactionalId = opts.transactionalId;
    this.#log = opts.log;
    this.#o = {
      runTimeoutMs: opts.runTimeoutMs ?? 20_000,
      initTimeoutMs: opts.initTimeoutMs ?? 8_000,
      endTimeoutMs: opts.endTimeoutMs ?? 5_000,
      maxRecreatesInRow: opts.maxRecreatesInRow ?? 5,
      backoff: opts.backoff ?? { baseMs: 200, maxMs: 2_000 },
    };
    const { runTimeoutMs: run, initTimeoutMs: init, endTimeoutMs: end, backoff } = this.#o;
    // A pending recreate (backoff, wait for replaced instances, init), the transaction, then on failure
    // an abort, a disconnect and one recreate attempt. 46 s with the defaults when the producer was
    // usable at the start of the run, 64 s when a recreate was pending too.
    this.maxRunMs = backoff.maxMs + 2 * init + run + 2 * end + 2 * init;
  }

  /**
   * Connects and fences: InitProducerId (forced by an empty transaction's abort) bumps the epoch, so any
   * earlier instance with this transactional id can no longer write, and its open transaction is finished
   * or aborted before this resolves. Throws KafkaTxnError (retriable when Kafka was away).
   */
  async init(): Promise<void> {
    if (this.#closed) throw new InvariantViolation('init() after close()');
    if (this.#initialised) throw new InvariantViolation('init() called twice');
    this.#initialised = true;
    let producer: Producer;
    try {
      producer = await this.#createInstance();
    } catch (err) {
      throw new KafkaTxnError('SLC_ERR_KAFKA_TXN_FAILED', `init of ${this.transactionalId} failed`, {
        retriable: isKafkaRetriable(err) || err instanceof KafkaTxnTimeoutError,
        cause: err,
      });
    }
    if (this.#closed) {
      await this.#discard(producer, Promise.resolve());
      throw new InvariantViolation('closed during init()');
    }
    this.#producer = producer;
  }

  /**
   * One transaction: begin, `fn(scope)`, commit (delivery guarantee: file comment). On any failure the
   * transaction is ended (abort, or a recreate whose InitProducerId ends it) before this rejects, with a
   * KafkaTxnError (or KafkaFencedError). One `run` at a time.
   */
  async run(fn: (tx: TxnScope) => Promise<void>): Promise<void> {
    if (this.#closed) throw new InvariantViolation('run() after close()');
    if (!this.#initialised) throw new InvariantViolation('run() before init()');
    if (this.#running) throw new InvariantViolation('run() while another run() is in progress');
    const running = this.#runOnce(fn);
    this.#running = running.then(
      () => undefined,
      () => undefined,
    );
    try {
      await running;
    } finally {
      this.#running = undefined;
    }
  }

  async #runOnce(fn: (tx: TxnScope) => Promise<void>): Promise<void> {
    if (this.#fenced !== undefined) throw new KafkaFencedError(this.transactionalId, this.#fenced);
    const producer = await this.#ready();
    let stage: 'begin' | 'fn' | 'commit' = 'begin';
    let tx: Transaction | undefined;
    let open = true;
    const scope: TxnScope = {
      send: async (record) => {
        if (!open || !tx) throw new InvariantViolation('TxnScope.send after its run() ended');
        await tx.send(record);
      },
      sendOffsets: async (offsets) => {
        if (!open || !tx) throw new InvariantViolation('TxnScope.sendOffsets after its run() ended');
        await sendOffsetsWithRetry(tx, offsets, 40, () => this.stats.sendOffsetsRetries++);
      },
    };
    const body = (async () => {
      tx = await producer.transaction();
      stage = 'fn';
      await fn(scope);
      // Past the deadline the run has already failed: a late fn must never commit behind our back.
      if (!open)
        throw new KafkaTxnTimeoutError(`transaction of ${this.transactionalId}`, this.#o.runTimeoutMs);
      stage = 'commit';
      await tx.commit();
    })();
    try {
      await within(`transaction of ${this.transactionalId}`, this.#o.runTimeoutMs, body);
      open = false;
      this.stats.commits++;
      this.#recreatesInRow = 0;
      return;
    } catch (err) {
      open = false;
      throw await this.#fail(err, stage, tx, producer, body);
    }
  }

  /** Ends a failed transaction and decides whether the instance survives; returns the error to throw. */
  async #fail(
    err: unknown,
    stage: 'begin' | 'fn' | 'commit',
    tx: Transaction | undefined,
    producer: Producer,
    body: Promise<void>,
  ): Promise<Error> {
    const timedOut = err instanceof KafkaTxnTimeoutError;
    const mayHaveCommitted = stage === 'commit';
    if (isFenced(err)) {
      this.#fenced = err;
      this.#producer = undefined;
      await this.#discard(producer, body);
      this.#log?.warn({ transactionalId: this.transactionalId, err }, 'transactional producer fenced');
      return new KafkaFencedError(this.transactionalId, err);
    }
    // After a failed commit the state machine sits in COMMITTING (abort would be refused), and after a
    // timeout a kafkajs call may still run inside the transaction: in both, only a new epoch ends it.
    let abort: KafkaTxnError['abort'] = 'skipped';
    if (tx && !timedOut && !mayHaveCommitted) {
      try {
        await within('abort', this.#o.endTimeoutMs, tx.abort());
        abort = 'aborted';
        this.stats.aborts++;
      } catch (abortErr) {
        abort = 'abort_failed';
        this.#log?.warn({ transactionalId: this.transactionalId, err: abortErr }, 'abort failed');
      }
    }
    const reusable = abort === 'aborted' && !RECREATE_TYPES.has(kafkaErrorType(err) ?? '');
    let recreated = false;
    if (!reusable) {
      this.#producer = undefined;
      await this.#discard(producer, body);
      try {
        await this.#ready();
        recreated = true;
      } catch (recreateErr) {
        // Kafka is likely away: the next run() tries again (bounded by maxRecreatesInRow).
        this.#log?.warn({ transactionalId: this.transactionalId, err: recreateErr }, 'recreate failed');
      }
    }
    this.#log?.warn(
      { transactionalId: this.transactionalId, err, stage, abort, recreated, mayHaveCommitted },
      'transaction failed',
    );
    return new KafkaTxnError('SLC_ERR_KAFKA_TXN_FAILED', `transaction of ${this.transactionalId} failed`, {
      retriable: isKafkaRetriable(err) || timedOut,
      cause: err,
      mayHaveCommitted,
      abort,
      recreated,
    });
  }

  /** The usable instance, recreating it first when needed (with backoff, at most N times in a row). */
  async #ready(): Promise<Producer> {
    if (this.#producer) return this.#producer;
    if (this.#fenced !== undefined) throw new KafkaFencedError(this.transactionalId, this.#fenced);
    if (this.#recreatesInRow >= this.#o.maxRecreatesInRow) {
      throw new KafkaTxnError(
        'SLC_ERR_KAFKA_TXN_EXHAUSTED',
        `${this.transactionalId}: ${this.#recreatesInRow} recreations without a commit; giving up`,
        { retriable: false, cause: undefined },
      );
    }
    const n = this.#recreatesInRow++;
    if (n > 0) {
      const { baseMs, maxMs } = this.#o.backoff;
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(maxMs, baseMs * 2 ** (n - 1))));
    }
    if (this.#closed) throw new InvariantViolation('closed while recreating');
    this.stats.recreates++;
    this.#log?.info({ transactionalId: this.transactionalId, inRow: n + 1 }, 'recreating producer');
    let producer: Producer;
    try {
      producer = await this.#createInstance();
    } catch (err) {
      throw new KafkaTxnError('SLC_ERR_KAFKA_TXN_FAILED', `recreating ${this.transactionalId} failed`, {
        retriable: isKafkaRetriable(err) || err instanceof KafkaTxnTimeoutError,
        cause: err,
      });
    }
    if (this.#closed) {
      await this.#discard(producer, Promise.resolve());
      throw new InvariantViolation('closed while recreating');
    }
    this.#producer = producer;
    return producer;
  }

  /** A new kafkajs instance, connected and fenced (InitProducerId), within `initTimeoutMs`. */
  async #createInstance(): Promise<Producer> {
    // A replaced instance whose kafkajs call is still retrying could, in principle, run a late
    // InitProducerId and fence the new one: give those a moment to settle first. Fencing is always safe
    // (nothing commits twice), it would only cost this instance.
    await within('previous instances', this.#o.initTimeoutMs, Promise.all(this.#orphans)).catch(
      () => undefined,
    );
    const producer = createTxnProducer(this.#kafka, this.transactionalId);
    let abandoned = false;
    const init = (async () => {
      await producer.connect();
      // A connect that finally succeeds after we gave up must not bump the epoch behind our back.
      if (abandoned) return;
      await (await producer.transaction()).abort();
    })();
    try {
      await within(`init of ${this.transactionalId}`, this.#o.initTimeoutMs, init);
      return producer;
    } catch (err) {
      abandoned = true;
      await this.#discard(producer, init);
      throw err;
    }
  }

  /**
   * Disconnects an instance we no longer use (bounded, best effort). kafkajs cannot cancel a call that
   * is still retrying (a connect retries for ever while the broker is down), so the instance is
   * disconnected again once that call settles: no orphan stays connected.
   */
  async #discard(producer: Producer, pending: Promise<unknown>): Promise<void> {
    const again = pending
      .then(
        () => undefined,
        () => undefined,
      )
      .then(() => producer.disconnect())
      .catch(() => undefined);
    this.#orphans.add(again);
    void again.finally(() => this.#orphans.delete(again));
    await within('disconnect', this.#o.endTimeoutMs, producer.disconnect()).catch(() => undefined);
  }

  /**
   * Waits (bounded) for a `run` in progress, then disconnects. Idempotent: returns the same promise.
   * A transaction cut short here is aborted by the broker at the next InitProducerId or its timeout.
   */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      if (this.#running) await within('run in progress', this.maxRunMs, this.#running).catch(() => undefined);
      const p = this.#producer;
      this.#producer = undefined;
      if (p) await within('disconnect', this.#o.endTimeoutMs, p.disconnect()).catch(() => undefined);
      await within('replaced instances', this.#o.endTimeoutMs, Promise.all(this.#orphans)).catch(
        () => undefined,
      );
    })();
    return this.#closed;
  }
}

/** `p`, or a KafkaTxnTimeoutError after `ms`. `p` keeps running; its late rejection is swallowed. */
async function within<T>(what: string, ms: number, p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new KafkaTxnTimeoutError(what, ms)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
