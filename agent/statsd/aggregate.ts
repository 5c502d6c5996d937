/**
 * StatsD metrics aggregated per collection interval into Sluice series. Pure state: `record()` takes
 * one parsed line, `drain(nowMs)` returns the interval's series and starts the next interval. No
 * timers, no I/O; the driver (intake.ts) and the agent's pass (agent.ts) call it.
 *
 * Mapping (one sample per series and interval, only for series that received a line in it):
 * - counter `c` → Sluice COUNTER: `d` = the interval's increment (Σ value ÷ rate), `v` = the running
 *   total the agent keeps per series (from its first line, or since it was last forgotten), `tp` = the
 *   time of the series' previous sample (0 on its first: the first increment counts, unlike a host
 *   counter's first reading). `reset` is never set: the agent's own total never goes backwards.
 * - gauge `g` → GAUGE: the value after the interval's sets and deltas (a delta applies to the value
 *   kept from earlier intervals, 0 when there is none);
 * - timer `ms`, histogram `h`, distribution `d` → HISTOGRAM at schema 3, zero threshold 0 (only 0 is
 *   in the zero bucket): count, sum, buckets of the interval's observations; timers keep the unit sent
 *   (milliseconds), nothing is converted or pre-computed;
 * - set `s` → GAUGE: the number of distinct members seen in the interval.
 *
 * Bounds (each refusal returns a reason, which the driver counts): `maxSeries` series held (a new one
 * beyond it: `series_limit`); one StatsD type per metric name (`type_conflict`: a name is one kind of
 * Prometheus metric); `maxSetMembers` distinct set members held per interval, all sets together
 * (`set_limit`); `maxHistogramBuckets` populated buckets per histogram per interval, below ingest's
 * per-sample cap (`histogram_buckets`); a value whose total would not be finite (`value_overflow`).
 * A series without a line for `forgetAfterPasses` drains is forgotten: its slot is freed, its counter
 * total and gauge value are gone (a returning counter starts again from its increment, tp = 0).
 */
import type { ISeries } from '../../proto/index.ts';
import { Kind } from '../../proto/index.ts';
import { finalLabels, type Labels, type SortedLabels, seriesKey } from '../model.ts';
import { HistogramAcc, SCHEMA } from './histogram.ts';
import type { StatsdMetric, StatsdType } from './parse.ts';

export type RecordError =
  | 'series_limit'
  | 'type_conflict'
  | 'set_limit'
  | 'histogram_buckets'
  | 'value_overflow';

export interface AggregatorOptions {
  /** job and instance, stamped as on host series. */
  stamp: Labels;
  maxSeries: number;
  maxSetMembers: number;
  maxHistogramBuckets: number;
  forgetAfterPasses: number;
}

type Class = 'counter' | 'gauge' | 'histogram' | 'set';

const CLASS: Record<StatsdType, Class> = {
  c: 'counter',
  g: 'gauge',
  ms: 'histogram',
  h: 'histogram',
  d: 'histogram',
  s: 'set',
};

interface Entry {
  cls: Class;
  name: string;
  labels: SortedLabels;
  touched: boolean;
  idle: number;
  /** Counter: running total, this interval's increment, time of the previous sample (0: none). */
  total: number;
  inc: number;
  prevT: number;
  /** Gauge: current value. */
  value: number;
  members?: Set<string>;
  hist?: HistogramAcc;
}

export class StatsdAggregator {
  readonly #o: AggregatorOptions;
  readonly #series = new Map<string, Entry>();
  readonly #ids = new Map<string, { key: string; labels: SortedLabels }>();
  /** name → [class, series of that name held]. */
  readonly #names = new Map<string, [Class, number]>();
  #setMembers = 0;
  #touched = 0;

  constructor(o: AggregatorOptions) {
    this.#o = o;
  }

  /** Series held (sent or waiting to be forgotten). */
  get size(): number {
    return this.#series.size;
  }

  /** Whether any line was recorded since the last drain. */
  get pending(): boolean {
    return this.#touched > 0;
  }

  /** Records one line; returns why it was refused, or undefined. A refused line changes nothing. */
  record(m: StatsdMetric): RecordError | undefined {
    const cls = CLASS[m.type];
    const { key, labels } = this.#identity(m);
    let e = this.#series.get(key);
    const named = this.#names.get(m.name);
    if (!e) {
      if (named && named[0] !== cls) return 'type_conflict';
      if (this.#series.size >= this.#o.maxSeries) return 'series_limit';
      e = { cls, name: m.name, labels, touched: false, idle: 0, total: 0, inc: 0, prevT: 0, value: 0 };
      if (cls === 'set') e.members = new Set();
      if (cls === 'histogram') e.hist = new HistogramAcc();
    } else if (e.cls !== cls) return 'type_conflict';

    const bad = this.#apply(e, m);
    if (bad) return bad;
    if (!this.#series.has(key)) {
      // Held only once its first line is in: a refused first line leaves no empty series behind.
      this.#series.set(key, e);
      this.#names.set(m.name, [cls, (named?.[1] ?? 0) + 1]);
    }
    if (!e.touched) {
      e.touched = true;
      this.#touched++;
    }
    return undefined;
  }

  /**
   * The series key and final labels of a line. Sorting and escaping labels is most of the cost of a
   * line, so they are cached by name and tag text as received; the cache is bounded (cleared at
   * 2 × maxSeries entries) and skips long tag sections.
   */
  #identity(m: StatsdMetric): { key: string; labels: SortedLabels } {
    const c = m.tagText !== undefined && m.tagText.length <= 512 ? `${m.name}|${m.tagText}` : undefined;
    let id = c === undefined ? undefined : this.#ids.get(c);
    if (!id) {
      const labels = finalLabels(m.tags, this.#o.stamp);
      id = { key: seriesKey(m.name, labels), labels };
      if (c !== undefined) {
        if (this.#ids.size >= 2 * this.#o.maxSeries) this.#ids.clear();
        this.#ids.set(c, id);
      }
    }
    return id;
  }

  #apply(e: Entry, m: StatsdMetric): RecordError | undefined {
    switch (e.cls) {
      case 'counter': {
        const inc = e.inc + m.value / m.rate;
        if (!Number.isFinite(e.total + inc)) return 'value_overflow';
        e.inc = inc;
        return undefined;
      }
      case 'gauge': {
        const v = m.delta ? e.value + m.value : m.value;
        if (!Number.isFinite(v)) return 'value_overflow';
        e.value = v;
        return undefined;
      }
      case 'set': {
        const members = e.members as Set<string>;
        const member = m.member as string;
        if (members.has(member)) return undefined;
        if (this.#setMembers >= this.#o.maxSetMembers) return 'set_limit';
        members.add(member);
        this.#setMembers++;
        return undefined;
      }
      case 'histogram': {
        const h = e.hist as HistogramAcc;
        // round(1/rate): an observation sampled at 0.1 stands for 10; bucket counts are integers.
        const weight = Math.max(1, Math.round(1 / m.rate));
        if (!Number.isFinite(h.sum + m.value * weight)) return 'value_overflow';
        if (h.buckets >= this.#o.maxHistogramBuckets && h.opensBucket(m.value)) return 'histogram_buckets';
        h.observe(m.value, weight);
        return undefined;
      }
    }
  }

  /**
   * Ends the interval at `nowMs`: one series per series that received a line since the last drain,
   * labels final (job/instance stamped, sorted); forgets series idle for `forgetAfterPasses` drains.
   * What is drained is gone from here: the caller appends it to the buffer in the same synchronous
   * step (agent.ts), so a line counted here is in exactly one payload, or lost with the process.
   */
  drain(nowMs: number): ISeries[] {
    const out: ISeries[] = [];
    for (const [key, e] of this.#series) {
      if (!e.touched) {
        if (++e.idle >= this.#o.forgetAfterPasses) this.#forget(key, e);
        continue;
      }
      e.touched = false;
      e.idle = 0;
      out.push(this.#emit(e, nowMs));
    }
    this.#touched = 0;
    this.#setMembers = 0;
    return out;
  }

  #emit(e: Entry, tMs: number): ISeries {
    const base = { name: e.name, labels: e.labels };
    switch (e.cls) {
      case 'counter': {
        e.total += e.inc;
        // A previous sample at or after now (the clock went back) is not a previous sample: ingest
        // refuses tp ≥ t, and a refused payload would take the host metrics with it.
        const tpMs = e.prevT > 0 && e.prevT < tMs ? e.prevT : 0;
        const s = { tMs, v: e.total, d: e.inc, tpMs, reset: false };
        e.inc = 0;
        e.prevT = tMs;
        return { ...base, kind: Kind.COUNTER, counter: [s] };
      }
      case 'gauge':
        return { ...base, kind: Kind.GAUGE, gauge: [{ tMs, v: e.value }] };
      case 'set': {
        const members = e.members as Set<string>;
        const v = members.size;
        members.clear();
        return { ...base, kind: Kind.GAUGE, gauge: [{ tMs, v }] };
      }
      case 'histogram': {
        const h = e.hist as HistogramAcc;
        e.hist = new HistogramAcc();
        const sample = {
          tMs,
          count: h.count,
          sum: h.sum,
          zeroCount: h.zero,
          schema: SCHEMA,
          zeroThreshold: 0,
          positive: Object.fromEntries(h.positive),
          negative: Object.fromEntries(h.negative),
        };
        return { ...base, kind: Kind.HISTOGRAM, histogram: [sample] };
      }
    }
  }

  #forget(key: string, e: Entry): void {
    this.#series.delete(key);
    const named = this.#names.get(e.name);
    if (named && --named[1] <= 0) this.#names.delete(e.name);
  }
}
