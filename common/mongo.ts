/**
 * The only module that imports the MongoDB driver. It knows the two servers Sluice runs on — MongoDB
 * 7/8 and, locally, FerretDB 1.24 (SQLite) — and hides the differences that matter to us:
 *
 * - FerretDB serves only `{_id}` filters from an index, stops an update batch at its first error, and
 *   can hang on a batch of ~100 updates: {@link applyGuardedUpserts} writes there one document at a
 *   time by `_id` (common/ferretdb-writes.ts).
 * - FerretDB refuses TTL indexes (code 238); {@link ensureRetention} reports that, and the caller
 *   deletes expired buckets itself with bounded, index-driven deletes.
 * - FerretDB's SQLite backend serves no query from an index; {@link explainUsesIndex} reads both
 *   explain shapes so tests can assert index use on MongoDB.
 */

import {
  type AnyBulkWriteOperation,
  type Collection,
  type Db,
  type Document,
  MongoBulkWriteError,
  MongoClient,
  type MongoClientOptions,
  MongoServerError,
} from 'mongodb';
import { applyOneByOne } from './ferretdb-writes.ts';

export type { AnyBulkWriteOperation, Collection, Db, Document, MongoClient };

export const DUPLICATE_KEY = 11000;

/** Sluice's documents have string ids (`seriesId:bucketStart`, series ids). */
export interface Doc extends Document {
  _id: string;
}
const NOT_IMPLEMENTED = 238;

export interface Backend {
  kind: 'mongodb' | 'ferretdb';
  /** The MongoDB version the server reports (FerretDB reports the one it emulates). */
  version: string;
  /** Whether an unordered bulk write goes on past a failed op and reports each failure's index. */
  bulkContinuesOnError: boolean;
}

export interface Store {
  client: MongoClient;
  db: Db;
  backend: Backend;
}

export interface ConnectStoreOptions {
  appName?: string;
  /**
   * On FerretDB, never abandon a request on the client side: no socket, connect or monitor timeouts,
   * so a request ends only with the store's answer or with the store process (connect's writes,
   * connect/unsettled.ts). The driver's monitor otherwise interrupts in-use connections when a
   * heartbeat times out (a stopped store), while their requests may still run when it resumes. Not
   * on MongoDB: its guard is atomic, and a replica set needs those timeouts to fail over.
   */
  neverAbandon?: boolean;
  /** Extra driver options (tests). */
  client?: MongoClientOptions;
}

export async function connectStore(
  url: string,
  dbName: string,
  opts: ConnectStoreOptions = {},
): Promise<Store> {
  const base: MongoClientOptions = {
    appName: opts.appName ?? 'sluice',
    serverSelectionTimeoutMS: 10_000,
    maxPoolSize: 20,
    // Our own retries re-read the guard; the driver's would replay a write blindly.
    retryWrites: false,
    ...opts.client,
  };
  let client = new MongoClient(url, base);
  await client.connect();
  const info = await client.db('admin').command({ buildInfo: 1 });
  const ferret = 'ferretdbVersion' in info;
  if (ferret && opts.neverAbandon) {
    await client.close();
    client = new MongoClient(url, { ...base, connectTimeoutMS: 0, socketTimeoutMS: 0 });
    await client.connect();
  }
  return {
    client,
    db: client.db(dbName),
    backend: {
      kind: ferret ? 'ferretdb' : 'mongodb',
      version: String(info.version),
      bulkContinuesOnError: !ferret,
    },
  };
}

/** True for the duplicate-key error a replayed guarded upsert ends in: "already applied". */
export function isDuplicateKey(err: unknown): boolean {
  return (
    (err instanceof MongoServerError || err instanceof MongoBulkWriteError) && err.code === DUPLICATE_KEY
  );
}

/**
 * A guarded upsert of document `_id` for the records `from..to` of input partition `partition`:
 * applies `update` unless a write covering offset `from` or later of that partition was applied
 * already, and records `to` in `o.<partition>`. A replay matches no document; the upsert then inserts
 * a duplicate `_id`, which fails with E11000: "already applied".
 */
export function guardedUpsert(
  _id: string,
  partition: number,
  offsets: number | { from: number; to: number },
  update: Document,
): AnyBulkWriteOperation<Doc> {
  const { from, to } = typeof offsets === 'number' ? { from: offsets, to: offsets } : offsets;
  const guard = `o.${partition}`;
  return {
    updateOne: {
      filter: { _id, [guard]: { $not: { $gte: from } } },
      update: { ...update, $set: { ...(update.$set ?? {}), [guard]: to } },
      upsert: true,
    },
  };
}

export interface BulkOutcome {
  /** Ops that changed or created a document. */
  applied: number;
  /** Ops whose guard found them applied before (E11000): skipped, never retried. */
  alreadyApplied: number;
}

/**
 * Applies guarded upserts as one unordered bulk write. Delivery: every op is applied exactly once
 * across any number of calls with the same ops (the guard absorbs replays); an error other than
 * "already applied" is thrown, and the caller retries the whole batch.
 */
export async function applyGuardedUpserts(
  coll: Collection<Doc>,
  ops: AnyBulkWriteOperation<Doc>[],
  backend: Backend,
): Promise<BulkOutcome> {
  if (ops.length === 0) return { applied: 0, alreadyApplied: 0 };
  if (!backend.bulkContinuesOnError) return applyOneByOne(coll, ops);
  try {
    const r = await coll.bulkWrite(ops, { ordered: false });
    return { applied: r.upsertedCount + r.modifiedCount, alreadyApplied: 0 };
  } catch (err) {
    if (!(err instanceof MongoBulkWriteError)) throw err;
    const errors = Array.isArray(err.writeErrors) ? err.writeErrors : [err.writeErrors];
    if (errors.length > 0 && errors.every((e) => e.code === DUPLICATE_KEY)) {
      return { applied: err.result.upsertedCount + err.result.modifiedCount, alreadyApplied: errors.length };
    }
    throw err;
  }
}

/**
 * Makes documents of `coll` expire `seconds` after their `field` date. Returns 'ttl' when the server
 * does it (a TTL index), 'unsupported' when the caller must delete expired documents itself.
 */
export async function ensureRetention(
  coll: Collection<Doc>,
  field: string,
  seconds: number,
): Promise<'ttl' | 'unsupported'> {
  try {
    await coll.createIndex({ [field]: 1 }, { name: `${field}_ttl`, expireAfterSeconds: seconds });
    return 'ttl';
  } catch (err) {
    if (err instanceof MongoServerError && err.code === NOT_IMPLEMENTED) return 'unsupported';
    throw err;
  }
}

export interface IndexUse {
  indexed: boolean;
  /** MongoDB plan stages, or FerretDB's SQLite plan lines. */
  plan: string[];
}

/** Reads an explain result of either server: was the query served by an index, with no full scan? */
export function explainUsesIndex(explain: Document): IndexUse {
  const qp = explain.queryPlanner ?? explain.stages?.[0]?.$cursor?.queryPlanner;
  if (qp?.winningPlan) {
    const stages: string[] = [];
    const walk = (p: Document | undefined): void => {
      if (!p) return;
      stages.push(String(p.stage));
      walk(p.inputStage);
      walk(p.queryPlan);
      for (const s of p.inputStages ?? []) walk(s);
    };
    walk(qp.winningPlan);
    const indexed =
      !stages.includes('COLLSCAN') &&
      stages.some((s) => /^(IXSCAN|IDHACK|EXPRESS_|COUNT_SCAN|DISTINCT_SCAN)/.test(s));
    return { indexed, plan: stages };
  }
  if (Array.isArray(qp?.Plan)) {
    const plan = qp.Plan.map(String);
    const indexed =
      plan.every((l: string) => !/detail=SCAN /.test(l)) &&
      plan.some((l: string) => /USING (COVERING )?INDEX|PRIMARY KEY/.test(l));
    return { indexed, plan };
  }
  return { indexed: false, plan: [JSON.stringify(explain).slice(0, 500)] };
}
