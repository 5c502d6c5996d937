/**
 * Counter deltas (agent-metrics.md §7, ARCHITECTURE agent/). The agent is the only place that sees a
 * series' samples in order, so it attaches to each counter sample its increase `d` since the previous
 * sample of the same series and that sample's time `tp`.
 *
 * Pure and synchronous: `observe()` takes one pass's counters (one timestamp) and returns their samples;
 * the state is a map series key → last raw integer, its pass time, and passes missed. Rules:
 * - first observation (no state): d = 0, tp = 0;
 * - raw ≥ previous: d = (raw − previous) converted (integers first, unit second);
 * - raw < previous: a reset, d = raw converted, reset = true — except `cpu` series (the kernel's per-CPU
 *   times jitter backwards: d = 0 and the higher previous value is kept, node_exporter PR #2067) unless
 *   that CPU's idle fell by ≥ 300 ticks (hotplug: every series of that CPU is a reset), and `wrap32`
 *   series (d = raw + 2^32 − previous);
 * - a series absent for `forgetAfterPasses` passes is forgotten, so the map stays bounded.
 */
import { type CounterPoint, convert, type Raw } from './model.ts';

export interface CounterSampleOut {
  tMs: number;
  v: number;
  d: number;
  tpMs: number;
  reset: boolean;
}

interface Entry {
  raw: Raw;
  t: number;
  missed: number;
}

/** idle of one CPU falling by this many ticks (3 s) is a hotplug, not jitter. */
export const CPU_HOTPLUG_TICKS = 300;
const TWO_32 = 2 ** 32;

function sub(a: Raw, b: Raw): Raw {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const d = BigInt(a) - BigInt(b);
  return d >= BigInt(Number.MIN_SAFE_INTEGER) && d <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(d) : d;
}

/** The serialised state: key → [raw (number, or decimal string for a bigint), tMs, missed]. */
export type CounterStateJson = Record<string, [number | string, number, number]>;

export class CounterState {
  readonly #entries = new Map<string, Entry>();
  readonly #forgetAfter: number;

  constructor(forgetAfterPasses = 10) {
    this.#forgetAfter = forgetAfterPasses;
  }

  get size(): number {
    return this.#entries.size;
  }

  /**
   * Observes every counter of one pass at `tMs` (keys must be unique within the pass) and returns one
   * sample per input, in order. Series not in this pass age by one pass.
   */
  observe(points: ReadonlyArray<{ key: string; point: CounterPoint }>, tMs: number): CounterSampleOut[] {
    const hotplug = new Set<string>();
    for (const { key, point } of points) {
      if (point.backwards !== 'cpu' || point.name !== 'node_cpu_seconds_total') continue;
      if (point.labels.mode !== 'idle') continue;
      const prev = this.#entries.get(key);
      if (prev && sub(prev.raw, point.raw) >= CPU_HOTPLUG_TICKS) hotplug.add(point.labels.cpu ?? '');
    }
    const seen = new Set<string>();
    const out = points.map(({ key, point }) => {
      seen.add(key);
      const prev = this.#entries.get(key);
      const { raw, unit } = point;
      if (!prev) {
        this.#entries.set(key, { raw, t: tMs, missed: 0 });
        return { tMs, v: convert(raw, unit), d: 0, tpMs: 0, reset: false };
      }
      let kept = raw;
      let d: number;
      let reset = false;
      if (raw >= prev.raw) d = convert(sub(raw, prev.raw), unit);
      else if (point.backwards === 'cpu' && !hotplug.has(point.labels.cpu ?? '')) {
        kept = prev.raw;
        d = 0;
      } else if (point.backwards === 'wrap32') {
        const unwrapped = typeof raw === 'bigint' ? raw + BigInt(TWO_32) : raw + TWO_32;
        d = convert(sub(unwrapped, prev.raw), unit);
      } else {
        d = convert(raw, unit);
        reset = true;
      }
      this.#entries.set(key, { raw: kept, t: tMs, missed: 0 });
      return { tMs, v: convert(kept, unit), d, tpMs: prev.t, reset };
    });
    for (const [key, e] of this.#entries) {
      if (seen.has(key)) continue;
      e.missed++;
      if (e.missed >= this.#forgetAfter) this.#entries.delete(key);
    }
    return out;
  }

  toJSON(): CounterStateJson {
    const out: CounterStateJson = {};
    for (const [k, e] of this.#entries) {
      out[k] = [typeof e.raw === 'bigint' ? e.raw.toString() : e.raw, e.t, e.missed];
    }
    return out;
  }

  /** Restores a saved state; malformed entries are skipped (they become first observations). */
  static fromJSON(json: unknown, forgetAfterPasses = 10): CounterState {
    const s = new CounterState(forgetAfterPasses);
    if (!json || typeof json !== 'object') return s;
    for (const [k, v] of Object.entries(json as Record<string, unknown>)) {
      if (!Array.isArray(v) || v.length !== 3) continue;
      const [raw, t, missed] = v as unknown[];
      const r = typeof raw === 'string' && /^\d+$/.test(raw) ? BigInt(raw) : raw;
      if ((typeof r !== 'number' && typeof r !== 'bigint') || typeof t !== 'number') continue;
      s.#entries.set(k, { raw: r, t, missed: typeof missed === 'number' ? missed : 0 });
    }
    return s;
  }
}
