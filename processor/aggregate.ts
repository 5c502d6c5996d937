/**
 * The partial aggregate of one series over one bucket, and the map of them a processor fills between
 * flushes. Pure: no I/O, no timers.
 *
 * Every field merges commutatively — counts and sums add, extremes take min/max, `first`/`last` take
 * the min/max sample ordered by (t, v, d, r|tp) exactly as MongoDB orders embedded documents — so
 * the deltas of any number of flushes, applied in any order, add up to the aggregate of all samples.
 * Late samples are simply deltas for older buckets: there are no windows and no grace period.
 */
import { bucketEnd, type Label } from './series.ts';

export const KIND = { GAUGE: 1, COUNTER: 2, HISTOGRAM: 3 } as const;
export type KindCode = (typeof KIND)[keyof typeof KIND];
export const RESOLUTIONS_MS = [60_000, 3_600_000] as const;
/** The exponential histogram schema rollups are kept at: base 2^(2^-3) ≈ 1.09, 8 buckets per doubling. */
export const HISTOGRAM_SCHEMA = 3;

export interface First {
  t: number;
  v: number;
  d: number;
  r: boolean;
}
export interface Last {
  t: number;
  v: number;
  d: number;
  tp: number;
}

export interface SeriesMeta {
  sid: string;
  tenant: string;
  name: string;
  labels: Label[];
  kind: KindCode;
}

export interface Partial {
  meta: SeriesMeta;
  res: number;
  end: number;
  n: number;
  sum: number;
  sumsq: number;
  min: number;
  max: number;
  first?: First;
  last?: Last;
  inc: number;
  resets: number;
  hc: number;
  hs: number;
  hz: number;
  /** Histogram buckets (created on the first histogram sample: most partials never need them). */
  hp?: Map<number, number>;
  hn?: Map<number, number>;
}

export type Sample =
  | { kind: 1; t: number; v: number }
  | { kind: 2; t: number; v: number; d: number; tp: number; reset: boolean }
  | {
      kind: 3;
      t: number;
      count: number;
      sum: number;
      zero: number;
      schema: number;
      positive: Iterable<[number, number]>;
      negative: Iterable<[number, number]>;
    };

function cmp(a: number | boolean, b: number | boolean): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
/** MongoDB's order of `{t, v, d, r}` documents: field by field. */
export function compareFirst(a: First, b: First): number {
  return cmp(a.t, b.t) || cmp(a.v, b.v) || cmp(a.d, b.d) || cmp(a.r, b.r);
}
export function compareLast(a: Last, b: Last): number {
  return cmp(a.t, b.t) || cmp(a.v, b.v) || cmp(a.d, b.d) || cmp(a.tp, b.tp);
}

/** Bucket index at `HISTOGRAM_SCHEMA` of a bucket index at a finer `schema` (exact: buckets nest). */
export function downscaleIndex(i: number, schema: number): number {
  const shift = schema - HISTOGRAM_SCHEMA;
  return shift <= 0 ? i : Math.ceil(i / 2 ** shift) + 0; // + 0 turns -0 into 0
}

/** Measured heap cost of one partial with its map entry and key (bench/aggregate.ts), rounded up. */
const ENTRY_BYTES = 640;
const BUCKET_BYTES = 48;

/** Caps of one map. The driver may change them while the map is in use (its share of a process cap). */
export interface Caps {
  maxEntries: number;
  maxBytes: number;
}

/**
 * Partial aggregates keyed by series, resolution and bucket. `full` turns true at either cap; the
 * driver then flushes (`drain`) before recording more. The map never grows past its caps by more
 * than one payload's worth, which the driver bounds by the payload size limit.
 */
export class Aggregator {
  readonly #map = new Map<string, Partial>();
  readonly #caps: Caps;
  #bytes = 0;

  constructor(caps: Caps) {
    this.#caps = caps;
  }

  get entries(): number {
    return this.#map.size;
  }
  get bytes(): number {
    return this.#bytes;
  }
  get full(): boolean {
    return this.#map.size >= this.#caps.maxEntries || this.#bytes >= this.#caps.maxBytes;
  }

  record(meta: SeriesMeta, s: Sample): void {
    for (const res of RESOLUTIONS_MS) this.#apply(this.#partial(meta, res, bucketEnd(s.t, res)), s);
  }

  /** Returns every partial and empties the map. */
  drain(): Partial[] {
    const out = [...this.#map.values()];
    this.#map.clear();
    this.#bytes = 0;
    return out;
  }

  #partial(meta: SeriesMeta, res: number, end: number): Partial {
    const key = `${meta.sid}|${res}|${end}`;
    let p = this.#map.get(key);
    if (!p) {
      p = {
        meta,
        res,
        end,
        n: 0,
        sum: 0,
        sumsq: 0,
        min: Number.POSITIVE_INFINITY,
        max: Number.NEGATIVE_INFINITY,
        inc: 0,
        resets: 0,
        hc: 0,
        hs: 0,
        hz: 0,
      };
      this.#map.set(key, p);
      this.#bytes += ENTRY_BYTES + key.length + meta.name.length;
    }
    return p;
  }

  #apply(p: Partial, s: Sample): void {
    p.n += 1;
    if (s.kind === KIND.HISTOGRAM) {
      p.hc += s.count;
      p.hs += s.sum;
      p.hz += s.zero;
      p.hp ??= new Map();
      p.hn ??= new Map();
      this.#addBuckets(p.hp, s.positive, s.schema);
      this.#addBuckets(p.hn, s.negative, s.schema);
      return;
    }
    p.sum += s.v;
    p.sumsq += s.v * s.v;
    if (s.v < p.min) p.min = s.v;
    if (s.v > p.max) p.max = s.v;
    const d = s.kind === KIND.COUNTER ? s.d : 0;
    const first: First = { t: s.t, v: s.v, d, r: s.kind === KIND.COUNTER && s.reset };
    const last: Last = { t: s.t, v: s.v, d, tp: s.kind === KIND.COUNTER ? s.tp : 0 };
    if (!p.first || compareFirst(first, p.first) < 0) p.first = first;
    if (!p.last || compareLast(last, p.last) > 0) p.last = last;
    if (s.kind === KIND.COUNTER) {
      p.inc += s.d;
      if (s.reset) p.resets += 1;
    }
  }

  #addBuckets(into: Map<number, number>, buckets: Iterable<[number, number]>, schema: number): void {
    for (const [i, c] of buckets) {
      const j = downscaleIndex(i, schema);
      const before = into.get(j);
      if (before === undefined) this.#bytes += BUCKET_BYTES;
      into.set(j, (before ?? 0) + c);
    }
  }
}
