/**
 * The store write connect does per rollup document, as the collection grows:
 *
 *     node bench/store.ts      # BENCH_BULK=50 BENCH_SIZES=0,1000,2000,4000,8000 BENCH_TIME_S=90
 *                              # the store: MONGO_URL (default the local stack's, 127.0.0.1:27017)
 *
 * For each collection size in BENCH_SIZES (documents, filled with plain `insertMany` of rollup-shaped
 * documents), one unordered bulk of BENCH_BULK ops of each kind, in a fresh database dropped at the
 * end; the run stops early after BENCH_TIME_S seconds (a bulk in progress is finished):
 *   - guarded upsert, new documents: connect's op (`guardedUpsert`, common/mongo.ts): filter
 *     `{_id, "o.<p>": {$not: {$gte: from}}}`, upsert; what every first delta of a bucket costs;
 *   - guarded upsert, existing documents (the next write range of the same buckets);
 *   - the peer baseline: a plain `{_id}` upsert with the same update, new documents.
 * ms per op shows whether the store finds the document by `_id` (flat) or scans the collection
 * (grows with it). Run it against FerretDB (the local stack) and a MongoDB (MONGO_URL) to compare.
 *
 * Then one check connect depends on: a guarded bulk of BENCH_HANG_BULK (100) ops on existing documents
 * (connect's second write range of the same buckets; its bulks hold up to SLUICE_CONNECT_MAX_OPS=5000).
 * Every bulk is bounded by BENCH_OP_TIMEOUT_S: one without an answer is reported as such and ends the run.
 */
import { connectStore, type Doc, guardedUpsert } from '../common/mongo.ts';
import { serviceAddresses } from '../common/services.ts';
import { uniqueName } from '../test/support/wait.ts';
import { envInt, fmt, machine, stackVersions, table } from './lib.ts';

const BULK = envInt('BENCH_BULK', 50, 1, 100_000);
const HANG_BULK = envInt('BENCH_HANG_BULK', 100, 0, 100_000);
const OP_TIMEOUT_S = envInt('BENCH_OP_TIMEOUT_S', 30, 1, 3600);
const SIZES = (process.env.BENCH_SIZES || '0,1000,2000,4000,8000').split(',').map((x) => {
  const n = Number(x);
  if (!Number.isInteger(n) || n < 0 || n > 10_000_000) throw new Error(`BENCH_SIZES: bad size ${x}`);
  return n;
});
const TIME_S = envInt('BENCH_TIME_S', 90, 1, 3600);

const url = serviceAddresses().mongoUrl;
const store = await connectStore(url, uniqueName('sluice_bench_store').replace(/-/g, '_'), {
  appName: 'sluice-bench',
});
const coll = store.db.collection<Doc>('rollups_1m');
const update = (i: number) => ({
  $setOnInsert: { sid: `s${i}`, tenant: 'bench', name: 'bench_metric', kind: 'gauge' },
  $inc: { n: 4, sum: 10 },
  $min: { min: 1, first: { t: 1, v: 1, d: 0, r: false } },
  $max: { max: 4, last: { t: 4, v: 4, d: 0, tp: 0 } },
});

class Hung extends Error {}
/** One unordered bulk, bounded by BENCH_OP_TIMEOUT_S; ms per op. */
async function timed(ops: Parameters<typeof coll.bulkWrite>[0]): Promise<number> {
  const t0 = performance.now();
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    coll.bulkWrite(ops, { ordered: false }),
    new Promise((_, reject) => {
      timer = setTimeout(
        () => reject(new Hung(`a bulk of ${ops.length} upserts got no answer in ${OP_TIMEOUT_S} s`)),
        OP_TIMEOUT_S * 1000,
      );
    }),
  ]).finally(() => clearTimeout(timer));
  return (performance.now() - t0) / ops.length;
}

const rows: Array<Array<string | number>> = [];
let hang = '';
const deadline = performance.now() + TIME_S * 1000;
let docs = 0;
let offset = 1;
let stopped = '';
try {
  for (const size of SIZES) {
    if (performance.now() > deadline) {
      stopped = `stopped by BENCH_TIME_S=${TIME_S} before ${size} documents`;
      break;
    }
    for (; docs < size; ) {
      const n = Math.min(1000, size - docs);
      await coll.insertMany(
        Array.from({ length: n }, (_, k) => ({
          _id: `f${docs + k}`,
          ...update(docs + k).$setOnInsert,
          n: 1,
        })),
      );
      docs += n;
    }
    const ids = Array.from({ length: BULK }, (_, k) => `${size}-${k}`);
    const guardedNew = await timed(ids.map((id, k) => guardedUpsert(`g${id}`, 0, offset, update(k))));
    offset++;
    const guardedExisting = await timed(ids.map((id, k) => guardedUpsert(`g${id}`, 0, offset, update(k))));
    offset++;
    const plainNew = await timed(
      ids.map((id, k) => ({ updateOne: { filter: { _id: `p${id}` }, update: update(k), upsert: true } })),
    );
    rows.push([
      fmt(size),
      fmt(guardedNew, 2),
      fmt(guardedExisting, 2),
      fmt(plainNew, 2),
      `${fmt(guardedNew / plainNew, 1)}×`,
    ]);
    // The measured documents stay: the next size counts them.
    docs += 2 * BULK;
  }
  if (HANG_BULK > 0) {
    const ids = Array.from({ length: HANG_BULK }, (_, k) => `hang-${k}`);
    const a = await timed(ids.map((id, k) => guardedUpsert(id, 1, offset, update(k))));
    const b = await timed(ids.map((id, k) => guardedUpsert(id, 1, offset + 1, update(k))));
    hang = `guarded bulk of ${HANG_BULK}: new documents ${fmt(a, 2)} ms/op, existing documents ${fmt(b, 2)} ms/op`;
  }
} catch (err) {
  if (!(err instanceof Hung)) throw err;
  hang = `HUNG: ${err.message} (the store never answered; connect would wait the same way)`;
} finally {
  if (!hang.startsWith('HUNG')) await store.db.dropDatabase().catch(() => undefined);
  await store.client.close(true);
}

console.log(`machine: ${machine()}`);
console.log(stackVersions().replace(/^/gm, '  '));
console.log(
  `store: ${store.backend.kind} ${store.backend.version} at ${url}; bulks of ${BULK} unordered upserts; ${stopped || 'all sizes measured'}\n`,
);
console.log(
  table(
    [
      'documents in collection',
      'guarded, new: ms/op',
      'guarded, existing: ms/op',
      'peer: plain _id upsert, new: ms/op',
      'guarded ÷ plain',
    ],
    rows,
  ),
);
if (hang) console.log(`\n${hang}`);
process.exit(hang.startsWith('HUNG') ? 1 : 0);
