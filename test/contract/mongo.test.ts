/**
 * The MongoDB-wire contract the sink relies on, against FerretDB locally or a real MongoDB when
 * MONGO_URL is set: guarded upserts in an unordered bulk write, exactly the shape connect writes;
 * replay = E11000 = "already applied"; embedded {t, v} documents ordered by t under $min/$max; and
 * index use read from explain.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyGuardedUpserts,
  type Collection,
  connectStore,
  type Doc,
  ensureRetention,
  explainUsesIndex,
  guardedUpsert,
  type Store,
} from '../../common/mongo.ts';
import { serviceAddresses } from '../../common/services.ts';
import { uniqueName } from '../support/wait.ts';

let store: Store;
let coll: Collection<Doc>;

beforeAll(async () => {
  store = await connectStore(serviceAddresses().mongoUrl, 'sluice_contract');
  coll = store.db.collection<Doc>(uniqueName('rollups'));
});
afterAll(async () => {
  await coll.drop().catch(() => undefined);
  await store.client.close();
});

/** One delta as connect merges it: counts, extremes, first/last samples, a histogram bucket. */
function delta(
  sid: string,
  n: number,
  sum: number,
  min: number,
  max: number,
  first: { t: number; v: number },
  last: { t: number; v: number },
) {
  return {
    $inc: { n, sum, 'hp.3': n },
    $min: { min, first },
    $max: { max, last },
    $setOnInsert: { sid, b: 60 },
  };
}

describe('mongo contract', () => {
  it('applies guarded upserts, skips replays as already applied, and orders {t, v} by t', async () => {
    const first = await applyGuardedUpserts(
      coll,
      [
        guardedUpsert('s1:60', 3, 10, delta('s1', 2, 5, 2, 3, { t: 50, v: 3 }, { t: 55, v: 2 })),
        guardedUpsert('s2:60', 3, 10, delta('s2', 1, 7, 7, 7, { t: 41, v: 7 }, { t: 41, v: 7 })),
      ],
      store.backend,
    );
    expect(first).toEqual({ applied: 2, alreadyApplied: 0 });

    // The same ops again (a replay after a crash before the offset commit): nothing changes.
    const replay = await applyGuardedUpserts(
      coll,
      [
        guardedUpsert('s1:60', 3, 10, delta('s1', 2, 5, 2, 3, { t: 50, v: 3 }, { t: 55, v: 2 })),
        guardedUpsert('s2:60', 3, 10, delta('s2', 1, 7, 7, 7, { t: 41, v: 7 }, { t: 41, v: 7 })),
      ],
      store.backend,
    );
    expect(replay).toEqual({ applied: 0, alreadyApplied: 2 });

    // A later offset of the same partition, and a first offset of another partition, both apply.
    // first.t 45 < 50 replaces first although its v is larger; last.t 52 < 55 does not replace last.
    const later = await applyGuardedUpserts(
      coll,
      [
        guardedUpsert('s1:60', 3, 11, delta('s1', 1, -4, -4, -4, { t: 45, v: 9 }, { t: 52, v: 100 })),
        guardedUpsert('s1:60', 0, 0, delta('s1', 1, 8, 8, 8, { t: 59, v: 8 }, { t: 60, v: 8 })),
      ],
      store.backend,
    );
    expect(later).toEqual({ applied: 2, alreadyApplied: 0 });

    const docs = await coll.find({}).sort({ _id: 1 }).toArray();
    expect(docs).toEqual([
      {
        _id: 's1:60',
        sid: 's1',
        b: 60,
        n: 4,
        sum: 9,
        min: -4,
        max: 8,
        hp: { 3: 4 },
        first: { t: 45, v: 9 },
        last: { t: 60, v: 8 },
        o: { 0: 0, 3: 11 },
      },
      {
        _id: 's2:60',
        sid: 's2',
        b: 60,
        n: 1,
        sum: 7,
        min: 7,
        max: 7,
        hp: { 3: 1 },
        first: { t: 41, v: 7 },
        last: { t: 41, v: 7 },
        o: { 3: 10 },
      },
    ]);
  });

  it('classifies a replay inside a mixed batch without losing the new ops', async () => {
    const c = store.db.collection<Doc>(uniqueName('mixed'));
    try {
      await applyGuardedUpserts(c, [guardedUpsert('a', 0, 5, { $inc: { n: 1 } })], store.backend);
      // FerretDB stops an update batch at its first error: the new ops after the replay must still apply.
      const r = await applyGuardedUpserts(
        c,
        [
          guardedUpsert('z', 0, 5, { $inc: { n: 1 } }),
          guardedUpsert('a', 0, 5, { $inc: { n: 1 } }),
          guardedUpsert('b', 0, 5, { $inc: { n: 1 } }),
          guardedUpsert('a', 0, 6, { $inc: { n: 10 } }),
        ],
        store.backend,
      );
      expect(r).toEqual({ applied: 3, alreadyApplied: 1 });
      expect(
        await c
          .find({}, { projection: { o: 0 } })
          .sort({ _id: 1 })
          .toArray(),
      ).toEqual([
        { _id: 'a', n: 11 },
        { _id: 'b', n: 1 },
        { _id: 'z', n: 1 },
      ]);
    } finally {
      await c.drop();
    }
  });

  it('reports whether retention is a TTL index (MongoDB) or left to the caller (FerretDB)', async () => {
    const c = store.db.collection<Doc>(uniqueName('ttl'));
    try {
      const mode = await ensureRetention(c, 'at', 3600);
      expect(mode).toBe(store.backend.kind === 'mongodb' ? 'ttl' : 'unsupported');
    } finally {
      await c.drop().catch(() => undefined);
    }
  });

  it('reads index use from explain of an _id range scan', async () => {
    const ex = await coll.find({ _id: { $gte: 's1:', $lt: 's1;' } }).explain('queryPlanner');
    const use = explainUsesIndex(ex);
    if (store.backend.kind === 'mongodb') {
      expect(use.indexed, use.plan.join(' > ')).toBe(true);
    } else {
      // FerretDB 1.24 (SQLite) pushes no range filter down and its plans are full scans: recorded here
      // so that a FerretDB that starts using indexes makes this fail and the README is updated.
      expect(use).toEqual({ indexed: false, plan: [expect.stringMatching(/detail=SCAN /)] });
    }
  });
});
