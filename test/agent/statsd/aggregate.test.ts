import { describe, expect, it } from 'vitest';
import {
  type AggregatorOptions,
  bucketIndex,
  parseLine,
  StatsdAggregator,
} from '../../../agent/statsd/index.ts';
import { HISTOGRAM_SCHEMA } from '../../../processor/aggregate.ts';
import { Kind } from '../../../proto/index.ts';

const STAMP = { job: 'app', instance: 'host-1' };
const base: AggregatorOptions = {
  stamp: STAMP,
  maxSeries: 100,
  maxSetMembers: 1000,
  maxHistogramBuckets: 160,
  forgetAfterPasses: 3,
};

function agg(o: Partial<AggregatorOptions> = {}) {
  const a = new StatsdAggregator({ ...base, ...o });
  const feed = (...lines: string[]) =>
    lines.map((l) => {
      const p = parseLine(l);
      if (!p.ok) throw new Error(`${l}: ${p.error}`);
      return a.record(p.metric);
    });
  return { a, feed };
}

const labels = (extra: Record<string, string> = {}) =>
  Object.entries({ ...extra, ...STAMP })
    .sort(([x], [y]) => (x < y ? -1 : 1))
    .map(([name, value]) => ({ name, value }));

/** Bucket index from the schema-3 definition: bucket i covers (2^((i-1)/8), 2^(i/8)]. */
function expectedIndex(x: number): number {
  return Math.ceil(Math.log2(Math.abs(x)) * 8);
}

describe('StatsdAggregator', () => {
  it('counters: increment ÷ rate as d, a running total as v, the previous sample time as tp', () => {
    const { a, feed } = agg();
    expect(feed('hits:1|c|@0.1', 'hits:3|c', 'hits:2|c|@0.5')).toEqual([undefined, undefined, undefined]);
    expect(a.drain(1000)).toEqual([
      {
        name: 'hits',
        labels: labels(),
        kind: Kind.COUNTER,
        counter: [{ tMs: 1000, v: 17, d: 17, tpMs: 0, reset: false }],
      },
    ]);
    // An interval without a line: no sample. The next one carries tp of the last sample.
    expect(a.drain(2000)).toEqual([]);
    feed('hits:0.5|c|@0.25', 'hits:4|c');
    expect(a.drain(3000)[0]?.counter).toEqual([{ tMs: 3000, v: 17 + 2 + 4, d: 6, tpMs: 1000, reset: false }]);
    // `hits:0|c` is a line: a sample with d = 0.
    feed('hits:0|c');
    expect(a.drain(4000)[0]?.counter).toEqual([{ tMs: 4000, v: 23, d: 0, tpMs: 3000, reset: false }]);
  });

  it('gauges: sets and signed deltas in order, deltas apply to the value kept from earlier intervals', () => {
    const { a, feed } = agg();
    feed('temp:10|g', 'temp:+5|g', 'temp:-2.5|g');
    expect(a.drain(1000)).toEqual([
      { name: 'temp', labels: labels(), kind: Kind.GAUGE, gauge: [{ tMs: 1000, v: 12.5 }] },
    ]);
    feed('temp:-0.5|g');
    expect(a.drain(2000)[0]?.gauge).toEqual([{ tMs: 2000, v: 12 }]);
    feed('temp:3|g', 'temp:+1|g');
    expect(a.drain(3000)[0]?.gauge).toEqual([{ tMs: 3000, v: 4 }]);
    // A delta on a gauge never seen starts from 0.
    feed('fresh:-7|g');
    expect(a.drain(4000)[0]?.gauge).toEqual([{ tMs: 4000, v: -7 }]);
  });

  it('sets: the number of distinct members per interval', () => {
    const { a, feed } = agg();
    feed('users:alice|s', 'users:bob|s', 'users:alice|s', 'users:carol|s');
    expect(a.drain(1000)).toEqual([
      { name: 'users', labels: labels(), kind: Kind.GAUGE, gauge: [{ tMs: 1000, v: 3 }] },
    ]);
    feed('users:alice|s');
    expect(a.drain(2000)[0]?.gauge).toEqual([{ tMs: 2000, v: 1 }]);
  });

  it('timers, histograms, distributions: schema-3 buckets of the interval, weighted by round(1/rate)', () => {
    const { a, feed } = agg();
    const obs: Array<[number, number]> = [
      [1, 1],
      [2, 1],
      [3, 4],
      [100, 1],
      [100.5, 10],
      [0.001, 1],
      [0, 2],
      [-5, 1],
    ];
    feed(
      'rt:1|ms',
      'rt:2|ms',
      'rt:3|ms|@0.25',
      'rt:100|ms',
      'rt:100.5|ms|@0.1',
      'rt:0.001|ms',
      'rt:0|ms|@0.5',
      'rt:-5|ms',
    );
    const positive: Record<number, number> = {};
    const negative: Record<number, number> = {};
    let count = 0;
    let sum = 0;
    let zero = 0;
    for (const [x, w] of obs) {
      count += w;
      sum += x * w;
      if (x === 0) zero += w;
      else {
        const m = x > 0 ? positive : negative;
        m[expectedIndex(x)] = (m[expectedIndex(x)] ?? 0) + w;
      }
    }
    expect(positive).toEqual({ 0: 1, 8: 1, 13: 4, 54: 11, [-79]: 1 });
    expect(a.drain(5000)).toEqual([
      {
        name: 'rt',
        labels: labels(),
        kind: Kind.HISTOGRAM,
        histogram: [
          {
            tMs: 5000,
            count,
            sum,
            zeroCount: zero,
            schema: 3,
            zeroThreshold: 0,
            positive,
            negative: { 19: 1 },
          },
        ],
      },
    ]);
    expect([count, sum, zero]).toEqual([21, 1 + 2 + 12 + 100 + 1005 + 0.001 - 5, 2]);
    expect(negative).toEqual({ 19: 1 });
    // The next interval starts empty.
    feed('rt:8|h', 'rt:8|d');
    expect(a.drain(6000)[0]?.histogram?.[0]).toMatchObject({
      count: 2,
      sum: 16,
      positive: { 24: 2 },
      negative: {},
    });
  });

  it('bucket indexes agree with the schema definition, exactly at powers of two and around them', () => {
    expect(3).toBe(HISTOGRAM_SCHEMA);
    for (const x of [1, 2, 4, 0.5, 0.25, 1024, 2 ** -20, 2 ** 40, 1.5, 3, 7, 10, 1e-9, 123456.789]) {
      expect(bucketIndex(x), String(x)).toBe(expectedIndex(x));
    }
    const base = 2 ** (1 / 8);
    for (let i = -40; i <= 40; i++) {
      // Just inside bucket i from above and below its bounds (base^(i-1), base^i].
      const hi = base ** i * (1 - 1e-9);
      const lo = base ** (i - 1) * (1 + 1e-9);
      expect(bucketIndex(hi)).toBe(i);
      expect(bucketIndex(lo)).toBe(i);
    }
    expect(bucketIndex(Number.MAX_VALUE)).toBe(8192);
    expect(bucketIndex(Number.MIN_VALUE)).toBe(-1074 * 8);
  });

  it('tags are labels, job and instance stamped over them; empty values are no label', () => {
    const { a, feed } = agg();
    feed(
      'req:1|c|#route:/a,code:200',
      'req:1|c|#code:200,route:/a',
      'req:1|c|#flag',
      'req:1|c',
      'req:1|c|#job:x',
    );
    const out = a.drain(1000);
    expect(out.map((s) => [s.labels, s.counter?.[0]?.d])).toEqual([
      [labels({ code: '200', route: '/a' }), 2],
      [labels(), 3],
    ]);
  });

  it('one series however its tags are written, also once the identity cache was cleared', () => {
    const { a, feed } = agg({ maxSeries: 1 }); // cache bound: 2 tag texts
    expect(
      feed('a:1|c|#x:1,y:2', 'a:1|c|#y:2,x:1', 'a:1|c|#x:1,,y:2', 'a:1|c|#x:1,y:2', `a:1|c|#x:1,y:2,`),
    ).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(a.drain(1000)).toEqual([
      {
        name: 'a',
        labels: labels({ x: '1', y: '2' }),
        kind: Kind.COUNTER,
        counter: [{ tMs: 1000, v: 5, d: 5, tpMs: 0, reset: false }],
      },
    ]);
  });

  it('refuses a new series beyond maxSeries, and frees slots of forgotten series', () => {
    const { a, feed } = agg({ maxSeries: 2, forgetAfterPasses: 2 });
    expect(feed('a:1|c', 'b:1|g', 'c:1|c', 'a:1|c|#k:v', 'a:2|c')).toEqual([
      undefined,
      undefined,
      'series_limit',
      'series_limit',
      undefined,
    ]);
    expect(a.drain(1000).map((s) => s.name)).toEqual(['a', 'b']);
    feed('a:1|c');
    a.drain(2000); // b idle 1
    feed('a:1|c');
    a.drain(3000); // b idle 2: forgotten
    expect(a.size).toBe(1);
    expect(feed('c:1|c')).toEqual([undefined]);
    // a, idle for 2 drains, is forgotten: it comes back as a first sample (v restarts, tp = 0).
    a.drain(4000);
    a.drain(5000);
    feed('a:5|c');
    expect(a.drain(6000).find((s) => s.name === 'a')?.counter).toEqual([
      { tMs: 6000, v: 5, d: 5, tpMs: 0, reset: false },
    ]);
  });

  it('one StatsD type per name; a refused line changes nothing', () => {
    const { a, feed } = agg();
    expect(feed('x:1|c', 'x:1|g', 'x:1|c|#k:v', 'x:1|ms|#k:w', 't:1|ms', 't:2|h', 't:3|d')).toEqual([
      undefined,
      'type_conflict',
      undefined,
      'type_conflict',
      undefined,
      undefined,
      undefined,
    ]);
    expect(a.drain(1000).map((s) => [s.name, s.kind])).toEqual([
      ['x', Kind.COUNTER],
      ['x', Kind.COUNTER],
      ['t', Kind.HISTOGRAM],
    ]);
  });

  it('set members are bounded across all sets per interval', () => {
    const { a, feed } = agg({ maxSetMembers: 3 });
    expect(feed('s1:a|s', 's1:b|s', 's2:a|s', 's2:b|s', 's1:a|s')).toEqual([
      undefined,
      undefined,
      undefined,
      'set_limit',
      undefined,
    ]);
    expect(a.drain(1000).map((s) => s.gauge?.[0]?.v)).toEqual([2, 1]);
    expect(feed('s2:b|s')).toEqual([undefined]);
  });

  it('histogram buckets are bounded per series and interval', () => {
    const { a, feed } = agg({ maxHistogramBuckets: 2 });
    expect(feed('h:1|h', 'h:2|h', 'h:4|h', 'h:2|h', 'h:0|h')).toEqual([
      undefined,
      undefined,
      'histogram_buckets',
      undefined,
      undefined,
    ]);
    expect(a.drain(1000)[0]?.histogram?.[0]).toMatchObject({
      count: 4,
      sum: 5,
      zeroCount: 1,
      positive: { 0: 1, 8: 2 },
    });
  });

  it('refuses a value whose total would not be finite', () => {
    const { a, feed } = agg();
    expect(feed('g:1e308|g', 'g:+1e308|g', 'c:1e308|c', 'c:1e308|c', 'h:1e308|h', 'h:1e308|h')).toEqual([
      undefined,
      'value_overflow',
      undefined,
      'value_overflow',
      undefined,
      'value_overflow',
    ]);
    expect(a.drain(1000).map((s) => s.gauge?.[0]?.v ?? s.counter?.[0]?.d ?? s.histogram?.[0]?.sum)).toEqual([
      1e308, 1e308, 1e308,
    ]);
    // A refused first line of a series leaves nothing behind: no series, no slot, no type for its name.
    expect(feed('big:1e308|h|@0.1')).toEqual(['value_overflow']);
    expect(a.size).toBe(3);
    expect(feed('big:1|g')).toEqual([undefined]);
    expect(a.drain(2000).map((s) => [s.name, s.kind])).toEqual([['big', Kind.GAUGE]]);
  });

  it('a clock gone backwards does not produce tp ≥ t', () => {
    const { a, feed } = agg();
    feed('c:1|c');
    a.drain(5000);
    feed('c:1|c');
    expect(a.drain(4000)[0]?.counter).toEqual([{ tMs: 4000, v: 2, d: 1, tpMs: 0, reset: false }]);
  });

  it('pending is true between a recorded line and the next drain', () => {
    const { a, feed } = agg();
    expect(a.pending).toBe(false);
    feed('c:1|c');
    expect(a.pending).toBe(true);
    a.drain(1);
    expect(a.pending).toBe(false);
  });
});
