/**
 * From raw records to aggregator input, and from partial aggregates to rollup batches. Pure.
 */
import {
  type IAgentPayload,
  type IRollupDelta,
  type KindValue,
  RawRecord,
  RollupBatch,
} from '../proto/index.ts';
import { type Aggregator, KIND, type KindCode, type Partial, type SeriesMeta } from './aggregate.ts';
import { seriesId, sortLabels } from './series.ts';

export interface Decoded {
  tenant: string;
  receivedMs: number;
  payload: IAgentPayload;
}

/** Decodes a raw record; null when it cannot be decoded or lacks its identity (counted, skipped). */
export function decodeRaw(value: Buffer | null): Decoded | null {
  if (!value) return null;
  try {
    const r = RawRecord.decode(value);
    if (!r.payload || !r.tenant || !r.payload.agentId) return null;
    return { tenant: r.tenant, receivedMs: Number(r.receivedMs), payload: r.payload };
  } catch {
    return null;
  }
}

/** Records every sample of a payload into the aggregator; returns the number of samples. */
export function recordPayload(agg: Aggregator, tenant: string, payload: IAgentPayload): number {
  let n = 0;
  for (const s of payload.series ?? []) {
    const kind = s.kind as KindCode;
    if (kind !== KIND.GAUGE && kind !== KIND.COUNTER && kind !== KIND.HISTOGRAM) continue;
    const labels = sortLabels((s.labels ?? []).map((l) => ({ name: l.name ?? '', value: l.value ?? '' })));
    const name = s.name ?? '';
    const meta: SeriesMeta = { sid: seriesId(tenant, name, labels), tenant, name, labels, kind };
    if (kind === KIND.GAUGE) {
      for (const g of s.gauge ?? []) agg.record(meta, { kind: 1, t: Number(g.tMs), v: g.v ?? 0 });
      n += s.gauge?.length ?? 0;
    } else if (kind === KIND.COUNTER) {
      for (const c of s.counter ?? [])
        agg.record(meta, {
          kind: 2,
          t: Number(c.tMs),
          v: c.v ?? 0,
          d: c.d ?? 0,
          tp: Number(c.tpMs ?? 0),
          reset: !!c.reset,
        });
      n += s.counter?.length ?? 0;
    } else {
      for (const h of s.histogram ?? [])
        agg.record(meta, {
          kind: 3,
          t: Number(h.tMs),
          count: Number(h.count ?? 0),
          sum: h.sum ?? 0,
          zero: Number(h.zeroCount ?? 0),
          schema: h.schema ?? 0,
          positive: Object.entries(h.positive ?? {}).map(
            ([i, c]) => [Number(i), Number(c)] as [number, number],
          ),
          negative: Object.entries(h.negative ?? {}).map(
            ([i, c]) => [Number(i), Number(c)] as [number, number],
          ),
        });
      n += s.histogram?.length ?? 0;
    }
  }
  return n;
}

export function toDelta(p: Partial): IRollupDelta {
  const d: IRollupDelta = {
    seriesId: p.meta.sid,
    tenant: p.meta.tenant,
    name: p.meta.name,
    labels: p.meta.labels,
    kind: p.meta.kind as unknown as KindValue,
    res: p.res / 1000,
    endMs: p.end,
    n: p.n,
  };
  if (p.meta.kind === KIND.HISTOGRAM) {
    Object.assign(d, {
      hc: p.hc,
      hs: p.hs,
      hz: p.hz,
      hp: Object.fromEntries(p.hp ?? []),
      hn: Object.fromEntries(p.hn ?? []),
    });
  } else {
    Object.assign(d, { sum: p.sum, sumsq: p.sumsq, min: p.min, max: p.max, first: p.first, last: p.last });
    if (p.meta.kind === KIND.COUNTER) Object.assign(d, { inc: p.inc, resets: p.resets });
  }
  return d;
}

/** The rollups partition of a series: stable, from its id's first 32 bits. */
export function rollupPartition(sid: string, partitions: number): number {
  return Buffer.from(sid, 'base64url').readUInt32BE(0) % partitions;
}

/**
 * Groups deltas into rollups messages: one or more per rollups partition, each under `maxBytes`.
 */
export function toBatches(
  partials: Partial[],
  partitions: number,
  rawPartition: number,
  maxBytes: number,
): Array<{ partition: number; value: Buffer }> {
  const byPartition = new Map<number, IRollupDelta[]>();
  for (const p of partials) {
    const q = rollupPartition(p.meta.sid, partitions);
    const list = byPartition.get(q) ?? [];
    byPartition.set(q, list);
    list.push(toDelta(p));
  }
  const out: Array<{ partition: number; value: Buffer }> = [];
  for (const [partition, deltas] of byPartition) {
    let chunk: IRollupDelta[] = [];
    let size = 0;
    const emit = () => {
      if (chunk.length === 0) return;
      out.push({
        partition,
        value: Buffer.from(RollupBatch.encode({ deltas: chunk, rawPartition }).finish()),
      });
      chunk = [];
      size = 0;
    };
    for (const d of deltas) {
      const labelBytes = (d.labels ?? []).reduce(
        (a, l) => a + (l.name?.length ?? 0) + (l.value?.length ?? 0) + 4,
        0,
      );
      const buckets = Object.keys(d.hp ?? {}).length + Object.keys(d.hn ?? {}).length;
      const s = 224 + (d.name?.length ?? 0) + labelBytes + buckets * 12;
      if (size + s > maxBytes) emit();
      chunk.push(d);
      size += s;
    }
    emit();
  }
  return out;
}
