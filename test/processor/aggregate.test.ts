import { describe, expect, it } from 'vitest';
import { Aggregator, downscaleIndex, KIND, type SeriesMeta } from '../../processor/aggregate.ts';
import { bucketEnd, seriesId, sortLabels } from '../../processor/series.ts';

const meta = (kind: 1 | 2 | 3): SeriesMeta => ({ sid: 's', tenant: 't', name: 'm', labels: [], kind });
const caps = { maxEntries: 1000, maxBytes: 1 << 20 };
const M = 60_000;

describe('series identity and buckets', () => {
  it('is independent of label order and distinguishes tenants', () => {
    const a = sortLabels([
      { name: 'b', value: '2' },
      { name: 'a', value: '1' },
    ]);
    expect(a.map((l) => l.name)).toEqual(['a', 'b']);
    expect(seriesId('t', 'm', a)).toBe(seriesId('t', 'm', sortLabels([...a].reverse())));
    expect(seriesId('t', 'm', a)).not.toBe(seriesId('u', 'm', a));
    expect(seriesId('t', 'm', a)).toHaveLength(16);
  });

  it('puts a sample on a boundary in the bucket that ends there', () => {
    expect(bucketEnd(10 * M, M)).toBe(10 * M);
    expect(bucketEnd(10 * M + 1, M)).toBe(11 * M);
    expect(bucketEnd(10 * M - 1, M)).toBe(10 * M);
    expect(bucketEnd(3_600_000, 3_600_000)).toBe(3_600_000);
  });

  it('downscales histogram bucket indexes exactly', () => {
    // schema 4 → 3: indexes pair up (2k-1, 2k) → k.
    expect([1, 2, 3, 4, 0, -1, -2].map((i) => downscaleIndex(i, 4))).toEqual([1, 1, 2, 2, 0, 0, -1]);
    expect(downscaleIndex(5, 3)).toBe(5);
  });
});

describe('Aggregator', () => {
  it('aggregates gauges into 1m and 1h buckets', () => {
    const agg = new Aggregator(caps);
    for (const [t, v] of [
      [M + 1, 4],
      [2 * M, -2],
      [2 * M + 1, 8.5],
    ] as const)
      agg.record(meta(KIND.GAUGE), { kind: 1, t, v });
    const out = agg.drain().map(({ hp, hn, meta: _m, ...p }) => p);
    expect(out).toEqual([
      {
        res: M,
        end: 2 * M,
        n: 2,
        sum: 2,
        sumsq: 20,
        min: -2,
        max: 4,
        first: { t: M + 1, v: 4, d: 0, r: false },
        last: { t: 2 * M, v: -2, d: 0, tp: 0 },
        inc: 0,
        resets: 0,
        hc: 0,
        hs: 0,
        hz: 0,
      },
      {
        res: 3_600_000,
        end: 3_600_000,
        n: 3,
        sum: 10.5,
        sumsq: 92.25,
        min: -2,
        max: 8.5,
        first: { t: M + 1, v: 4, d: 0, r: false },
        last: { t: 2 * M + 1, v: 8.5, d: 0, tp: 0 },
        inc: 0,
        resets: 0,
        hc: 0,
        hs: 0,
        hz: 0,
      },
      {
        res: M,
        end: 3 * M,
        n: 1,
        sum: 8.5,
        sumsq: 72.25,
        min: 8.5,
        max: 8.5,
        first: { t: 2 * M + 1, v: 8.5, d: 0, r: false },
        last: { t: 2 * M + 1, v: 8.5, d: 0, tp: 0 },
        inc: 0,
        resets: 0,
        hc: 0,
        hs: 0,
        hz: 0,
      },
    ]);
    expect(agg.entries).toBe(0);
  });

  it('sums counter deltas and resets, whatever the arrival order', () => {
    const samples = [
      { kind: 2 as const, t: 10_000, v: 5, d: 5, tp: 0, reset: false },
      { kind: 2 as const, t: 20_000, v: 9, d: 4, tp: 10_000, reset: false },
      { kind: 2 as const, t: 30_000, v: 2, d: 2, tp: 20_000, reset: true },
    ];
    const a = new Aggregator(caps);
    const b = new Aggregator(caps);
    for (const s of samples) a.record(meta(KIND.COUNTER), s);
    for (const s of [...samples].reverse()) b.record(meta(KIND.COUNTER), s);
    const pa = a.drain()[0]!;
    expect(pa).toMatchObject({
      n: 3,
      inc: 11,
      resets: 1,
      min: 2,
      max: 9,
      first: { t: 10_000, v: 5, d: 5, r: false },
      last: { t: 30_000, v: 2, d: 2, tp: 20_000 },
    });
    expect(b.drain()[0]).toEqual(pa);
  });

  it('adds histogram buckets at the rollup schema', () => {
    const agg = new Aggregator(caps);
    const h = (positive: Array<[number, number]>) => ({
      kind: 3 as const,
      t: 1000,
      count: 3,
      sum: 6,
      zero: 1,
      schema: 4,
      positive,
      negative: [[-1, 1]] as Array<[number, number]>,
    });
    agg.record(
      meta(KIND.HISTOGRAM),
      h([
        [1, 1],
        [2, 1],
      ]),
    );
    agg.record(meta(KIND.HISTOGRAM), h([[3, 1]]));
    const p = agg.drain()[0]!;
    expect([p.n, p.hc, p.hs, p.hz]).toEqual([2, 6, 12, 2]);
    expect([...(p.hp ?? [])]).toEqual([
      [1, 2],
      [2, 1],
    ]);
    expect([...(p.hn ?? [])]).toEqual([[0, 2]]);
  });

  it('reports full at its entry cap', () => {
    const agg = new Aggregator({ maxEntries: 4, maxBytes: 1 << 20 });
    agg.record(meta(KIND.GAUGE), { kind: 1, t: 1, v: 1 });
    expect(agg.full).toBe(false);
    agg.record(meta(KIND.GAUGE), { kind: 1, t: M + 1, v: 1 });
    agg.record(meta(KIND.GAUGE), { kind: 1, t: 2 * M + 1, v: 1 });
    expect([agg.entries, agg.full]).toEqual([4, true]);
  });
});
