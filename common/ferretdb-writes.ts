/**
 * Guarded upserts on FerretDB 1.24 (SQLite), one document at a time by `_id`.
 *
 * FerretDB serves a filter from an index only when it is exactly `{_id: <string>}` (with the
 * expression index our FerretDB main adds); any other filter — the offset guard included — reads
 * the whole collection, and an update batch of about 100 documents can hang the server. So here the
 * guard is checked by a read by `_id` and applied by an update by `_id`; a new document is created by
 * an insert, which fails with E11000 if another writer created it first (then we read again).
 *
 * Delivery: exactly once with one writer per input partition, which the consumer group provides.
 * Unlike MongoDB's atomic filter, a second writer of the *same* range at the same moment (a zombie
 * connect process in the instant before it notices it lost its partition) could apply an op twice;
 * README lists this among the local store's differences.
 */
import type { AnyBulkWriteOperation, Collection, Document } from 'mongodb';
import type { BulkOutcome, Doc } from './mongo.ts';

const DUPLICATE_KEY = 11000;

function setPath(doc: Document, path: string, value: unknown): void {
  const parts = path.split('.');
  let at = doc;
  for (const p of parts.slice(0, -1)) {
    at[p] ??= {};
    at = at[p];
  }
  at[parts.at(-1)!] = value;
}

function getPath(doc: Document | null, path: string): unknown {
  let at: unknown = doc;
  for (const p of path.split('.')) at = at && typeof at === 'object' ? (at as Document)[p] : undefined;
  return at;
}

/** The document an upsert with `update` creates when nothing matches (our operator subset). */
export function materialise(_id: string, update: Document): Doc {
  const doc: Doc = { _id };
  for (const op of ['$setOnInsert', '$inc', '$min', '$max', '$set'] as const) {
    for (const [k, v] of Object.entries(update[op] ?? {})) setPath(doc, k, v);
  }
  return doc;
}

export async function applyOneByOne(
  coll: Collection<Doc>,
  ops: AnyBulkWriteOperation<Doc>[],
): Promise<BulkOutcome> {
  const out: BulkOutcome = { applied: 0, alreadyApplied: 0 };
  for (const op of ops) {
    if (!('updateOne' in op)) throw new Error('only updateOne upserts are supported');
    const { filter, update } = op.updateOne as { filter: Document; update: Document };
    const _id = String(filter._id);
    const guardKey = Object.keys(filter).find((k) => k !== '_id');
    const from = guardKey ? Number(filter[guardKey].$not.$gte) : undefined;
    for (let attempt = 0; ; attempt++) {
      const cur = await coll.findOne({ _id }, guardKey ? { projection: { [guardKey]: 1 } } : undefined);
      if (cur && guardKey && Number(getPath(cur, guardKey) ?? -1) >= (from as number)) {
        out.alreadyApplied++;
        break;
      }
      if (cur) {
        await coll.updateOne({ _id }, update as never);
        out.applied++;
        break;
      }
      try {
        await coll.insertOne(materialise(_id, update));
        out.applied++;
        break;
      } catch (err) {
        if ((err as { code?: number }).code !== DUPLICATE_KEY || attempt > 2) throw err;
      }
    }
  }
  return out;
}
