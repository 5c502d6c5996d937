/**
 * Rollup deltas → one guarded upsert per document. Pure.
 *
 * All deltas of a write range are merged per document in memory ($inc fields add, $min/$max fields
 * take the extreme, `first`/`last` the extreme sample in MongoDB's embedded-document order), so a
 * document is written once per range however many flushes touched it.
 */
import type { AnyBulkWriteOperation, Doc } from '../common/mongo.ts';
import { guardedUpsert } from '../common/mongo.ts';
import type { IRollupDelta } from '../proto/index.ts';

const KIND_NAMES: Record<number, string> = { 1: 'gauge', 2: 'counter', 3: 'histogram' };

interface Merged {
  _id: string;
  res: number;
  sid: string;
  tenant: string;
  name: string;
  kind: string;
  startMs: number;
  inc: Record<string, number>;
  min: Record<string, unknown>;
  max: Record<string, unknown>;
}

function cmp(a: unknown, b: unknown): number {
  return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
}
/** MongoDB's order for our flat numeric/boolean embedded documents: field by field, in insertion order. */
function compareDocs(a: Record<string, unknown>, b: Record<string, unknown>): number {
  const ka = Object.keys(a);
  for (let i = 0; i < ka.length; i++) {
    const c = cmp(a[ka[i]!], b[ka[i]!]);
    if (c) return c;
  }
  return 0;
}

/** `_id` of a rollup document: series id and bucket start (ms, 13 digits, so ids sort by time). */
export function rollupId(sid: string, startMs: number): string {
  return `${sid}:${String(startMs).padStart(13, '0')}`;
}

export class Merger {
  readonly #docs = new Map<string, Merged>();
  readonly #series = new Map<
    string,
    {
      tenant: string;
      name: string;
      labels: Array<{ name: string; value: string }>;
      kind: string;
      first: number;
      last: number;
    }
  >();

  get size(): number {
    return this.#docs.size;
  }

  add(d: IRollupDelta): void {
    const sid = d.seriesId ?? '';
    const resMs = (d.res ?? 60) * 1000;
    const endMs = Number(d.endMs);
    const startMs = endMs - resMs;
    const key = `${d.res}|${rollupId(sid, startMs)}`;
    let m = this.#docs.get(key);
    if (!m) {
      m = {
        _id: rollupId(sid, startMs),
        res: d.res ?? 60,
        sid,
        tenant: d.tenant ?? '',
        name: d.name ?? '',
        kind: KIND_NAMES[d.kind ?? 0] ?? 'unknown',
        startMs,
        inc: {},
        min: {},
        max: {},
      };
      this.#docs.set(key, m);
    }
    // Every field of the kind is written, zeros included, so every document of a kind has the same shape.
    const add = (f: string, v: number | null | undefined) => {
      m.inc[f] = (m.inc[f] ?? 0) + Number(v ?? 0);
    };
    add('n', Number(d.n ?? 0));
    if (d.kind === 3) {
      add('hc', Number(d.hc ?? 0));
      add('hs', d.hs);
      add('hz', Number(d.hz ?? 0));
      for (const [i, c] of Object.entries(d.hp ?? {})) add(`hp.${i}`, Number(c));
      for (const [i, c] of Object.entries(d.hn ?? {})) add(`hn.${i}`, Number(c));
    } else {
      add('sum', d.sum);
      add('sumsq', d.sumsq);
      if (d.kind === 2) {
        add('inc', d.inc);
        add('resets', Number(d.resets ?? 0));
      }
      this.#extreme(m.min, 'min', d.min ?? 0, -1);
      this.#extreme(m.max, 'max', d.max ?? 0, 1);
      if (d.first)
        this.#extreme(
          m.min,
          'first',
          { t: Number(d.first.t), v: d.first.v ?? 0, d: d.first.d ?? 0, r: !!d.first.r },
          -1,
        );
      if (d.last)
        this.#extreme(
          m.max,
          'last',
          { t: Number(d.last.t), v: d.last.v ?? 0, d: d.last.d ?? 0, tp: Number(d.last.tp ?? 0) },
          1,
        );
    }
    let s = this.#series.get(sid);
    if (!s) {
      s = {
        tenant: d.tenant ?? '',
        name: d.name ?? '',
        labels: (d.labels ?? []).map((l) => ({ name: l.name ?? '', value: l.value ?? '' })),
        kind: m.kind,
        first: startMs,
        last: endMs,
      };
      this.#series.set(sid, s);
    }
    s.first = Math.min(s.first, startMs);
    s.last = Math.max(s.last, endMs);
  }

  #extreme(into: Record<string, unknown>, f: string, v: unknown, sign: 1 | -1): void {
    const cur = into[f];
    if (cur === undefined) {
      into[f] = v;
      return;
    }
    const c =
      typeof v === 'object'
        ? compareDocs(v as Record<string, unknown>, cur as Record<string, unknown>)
        : cmp(v, cur);
    if (c * sign > 0) into[f] = v;
  }

  /**
   * Guarded upserts for the write range `from..to` of rollups partition `partition`, per resolution
   * (seconds → ops). `retentionMs` per resolution sets each document's expiry.
   */
  ops(
    partition: number,
    from: number,
    to: number,
    retentionMs: Record<number, number>,
  ): Map<number, AnyBulkWriteOperation<Doc>[]> {
    const out = new Map<number, AnyBulkWriteOperation<Doc>[]>();
    for (const m of this.#docs.values()) {
      const update: Record<string, unknown> = {
        $setOnInsert: {
          sid: m.sid,
          tenant: m.tenant,
          name: m.name,
          kind: m.kind,
          start: new Date(m.startMs),
          exp: new Date(m.startMs + m.res * 1000 + (retentionMs[m.res] ?? 0)),
        },
      };
      if (Object.keys(m.inc).length) update.$inc = m.inc;
      if (Object.keys(m.min).length) update.$min = m.min;
      if (Object.keys(m.max).length) update.$max = m.max;
      const list = out.get(m.res) ?? [];
      out.set(m.res, list);
      list.push(guardedUpsert(m._id, partition, { from, to }, update));
    }
    return out;
  }

  /** Upserts of the `series` collection: idempotent by construction ($setOnInsert, $min, $max). */
  seriesOps(): AnyBulkWriteOperation<Doc>[] {
    return [...this.#series].map(([sid, s]) => ({
      updateOne: {
        filter: { _id: sid },
        update: {
          $setOnInsert: {
            tenant: s.tenant,
            name: s.name,
            labels: Object.fromEntries(s.labels.map((l) => [l.name, l.value])),
            kind: s.kind,
          },
          $min: { firstSeen: new Date(s.first) },
          $max: { lastSeen: new Date(s.last) },
        },
        upsert: true,
      },
    }));
  }
}
