/**
 * Connect's collections: `rollups_1m`, `rollups_1h` (id `seriesId:bucketStart`, expiry in `exp`) and
 * `series` (one document per series, maintained incrementally: $setOnInsert/$min/$max, never
 * recomputed). Retention is a TTL index where the store has them; elsewhere (FerretDB) a sweeper
 * deletes expired documents in bounded rounds.
 */
import { type Collection, type Doc, ensureRetention, type Store } from '../common/mongo.ts';

export const COLLECTIONS = { 60: 'rollups_1m', 3600: 'rollups_1h' } as const;

export interface RollupCollections {
  byRes: Map<number, Collection<Doc>>;
  series: Collection<Doc>;
  /** Collections whose expiry the sweeper must enforce. */
  sweep: Collection<Doc>[];
}

export async function prepareCollections(store: Store): Promise<RollupCollections> {
  const byRes = new Map<number, Collection<Doc>>();
  const sweep: Collection<Doc>[] = [];
  for (const [res, name] of Object.entries(COLLECTIONS)) {
    const c = store.db.collection<Doc>(name);
    byRes.set(Number(res), c);
    if ((await ensureRetention(c, 'exp', 0)) === 'unsupported') {
      await c.createIndex({ exp: 1 }, { name: 'exp_1' });
      sweep.push(c);
    }
  }
  const series = store.db.collection<Doc>('series');
  await series.createIndex({ tenant: 1, name: 1 }, { name: 'tenant_name' });
  return { byRes, series, sweep };
}

/** Deletes up to `rounds × limit` expired documents from each collection; returns how many. */
export async function sweepExpired(
  cols: Collection<Doc>[],
  now: Date,
  limit = 1000,
  rounds = 10,
): Promise<number> {
  let deleted = 0;
  for (const c of cols) {
    for (let i = 0; i < rounds; i++) {
      const ids = (await c.find({ exp: { $lt: now } }, { projection: { _id: 1 }, limit }).toArray()).map(
        (d) => d._id,
      );
      if (ids.length === 0) break;
      deleted += (await c.deleteMany({ _id: { $in: ids } })).deletedCount;
      if (ids.length < limit) break;
    }
  }
  return deleted;
}
