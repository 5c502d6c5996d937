/**
 * What collectors produce: points of one pass, before counter deltas and before the wire format.
 *
 * Counters keep their **raw integer** as read from /proc (ticks, sectors, ms, µs, bytes) plus the unit
 * conversion, so that the delta is taken on integers and converted afterwards (agent-metrics.md §7.3):
 * value = raw × mul ÷ div. Raw values above 2^53 arrive as bigint.
 */

export type Raw = number | bigint;
export type Labels = Record<string, string>;

/** value = raw × mul ÷ div */
export interface Unit {
  mul: number;
  div: number;
}

export const AS_IS: Unit = { mul: 1, div: 1 };
export const TICKS: Unit = { mul: 1, div: 100 };
export const MILLIS: Unit = { mul: 1, div: 1000 };
export const MICROS: Unit = { mul: 1, div: 1_000_000 };
export const SECTORS: Unit = { mul: 512, div: 1 };

/**
 * How a counter that went down is read: `reset` (the counter restarted: d = raw), `cpu` (jitter of the
 * kernel's per-CPU times: d = 0, keep the higher value, unless the CPU's idle fell ≥ 300 ticks),
 * `wrap32` (a 32-bit counter wrapped: d = raw + 2^32 − prev).
 */
export type Backwards = 'reset' | 'cpu' | 'wrap32';

export interface GaugePoint {
  kind: 'gauge';
  name: string;
  labels: Labels;
  value: number;
}

export interface CounterPoint {
  kind: 'counter';
  name: string;
  labels: Labels;
  raw: Raw;
  unit: Unit;
  backwards?: Backwards;
}

export type Point = GaugePoint | CounterPoint;

export function gauge(name: string, value: number, labels: Labels = {}): GaugePoint {
  return { kind: 'gauge', name, labels, value };
}

export function counter(
  name: string,
  raw: Raw,
  unit: Unit = AS_IS,
  labels: Labels = {},
  backwards?: Backwards,
): CounterPoint {
  return backwards
    ? { kind: 'counter', name, labels, raw, unit, backwards }
    : { kind: 'counter', name, labels, raw, unit };
}

/** Parses a non-negative decimal integer; bigint when above 2^53. NaN for anything else. */
export function parseRaw(s: string | undefined): Raw {
  if (s === undefined || !/^\d+$/.test(s)) return Number.NaN;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : BigInt(s);
}

export function isRaw(r: Raw): boolean {
  return typeof r === 'bigint' || Number.isFinite(r);
}

export function convert(raw: Raw, unit: Unit): number {
  return (Number(raw) * unit.mul) / unit.div;
}

export type SortedLabels = Array<{ name: string; value: string }>;

/**
 * Labels as sent: empty values dropped (Prometheus stores `model=""` as no label), `job` and `instance`
 * stamped (they override a collector's own), sorted by name.
 */
export function finalLabels(labels: Labels, stamp: Labels): SortedLabels {
  const all = { ...labels, ...stamp };
  return Object.keys(all)
    .filter((k) => all[k] !== '')
    .sort()
    .map((name) => ({ name, value: all[name] as string }));
}

/** Identity of a series: name and sorted labels, unambiguous (JSON-escaped values). */
export function seriesKey(name: string, labels: SortedLabels): string {
  return `${name}{${labels.map((l) => `${l.name}=${JSON.stringify(l.value)}`).join(',')}}`;
}
