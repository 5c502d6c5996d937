/**
 * Which `(agentId, seq)` payloads of one raw partition were applied. Pure: no I/O, no timers.
 *
 * Every applied seq is remembered, not only the highest: retries and backfill deliver lower seqs after
 * higher ones. Per agent: `floor` (every seq below it was applied) and sorted, disjoint, non-adjacent
 * ranges of applied seqs above it. A gap stays a gap until its payloads arrive, so a backlog drained
 * hours later is still applied exactly once.
 *
 * Bounds: at most `maxRanges` ranges per agent — past it the oldest gap is given up (the floor jumps
 * over it; counted in `gapsForgotten`, because a payload from that gap arriving later would be taken
 * for a duplicate) — and agents idle for longer than `horizonMs` are forgotten (ingest refuses
 * payloads older than that, so none of theirs can still arrive).
 */
import type { IAgentSeqs } from '../proto/index.ts';

interface AgentState {
  floor: number;
  /** Flattened sorted ranges: [start0, end0, start1, end1, ...], inclusive. */
  ranges: number[];
  lastMs: number;
}

export interface DedupOptions {
  maxRanges: number;
  horizonMs: number;
}

export class DedupState {
  readonly #agents = new Map<string, AgentState>();
  readonly #changed = new Set<string>();
  readonly #opts: DedupOptions;
  gapsForgotten = 0;

  constructor(opts: DedupOptions) {
    this.#opts = opts;
  }

  get agents(): number {
    return this.#agents.size;
  }

  /** Loads persisted states (later records for the same agent replace earlier ones; null = forgotten). */
  load(agentId: string, rec: IAgentSeqs | null): void {
    if (!rec) {
      this.#agents.delete(agentId);
      return;
    }
    const starts = rec.rangeStart ?? [];
    const ends = rec.rangeEnd ?? [];
    const ranges: number[] = [];
    for (let i = 0; i < starts.length; i++) ranges.push(Number(starts[i]), Number(ends[i]));
    this.#agents.set(agentId, { floor: Number(rec.floor ?? 0), ranges, lastMs: Number(rec.lastMs ?? 0) });
  }

  has(agentId: string, seq: number): boolean {
    const a = this.#agents.get(agentId);
    if (!a) return false;
    if (seq < a.floor) return true;
    const r = a.ranges;
    let lo = 0;
    let hi = r.length / 2 - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (seq < r[2 * mid]!) hi = mid - 1;
      else if (seq > r[2 * mid + 1]!) lo = mid + 1;
      else return true;
    }
    return false;
  }

  /** Marks `seq` applied. The caller checked `has` first. */
  add(agentId: string, seq: number, nowMs: number): void {
    let a = this.#agents.get(agentId);
    if (!a) {
      a = { floor: 0, ranges: [], lastMs: nowMs };
      this.#agents.set(agentId, a);
    }
    a.lastMs = Math.max(a.lastMs, nowMs);
    const r = a.ranges;
    // Insert [seq, seq] at its place, then merge with neighbours it touches.
    let i = 0;
    while (i < r.length && r[i]! < seq) i += 2;
    r.splice(i, 0, seq, seq);
    if (i + 2 < r.length && r[i + 2] === seq + 1) {
      r[i + 1] = r[i + 3]!;
      r.splice(i + 2, 2);
    }
    if (i >= 2 && r[i - 1] === seq - 1) {
      r[i - 1] = r[i + 1]!;
      r.splice(i, 2);
    }
    this.#normalise(a);
    this.#changed.add(agentId);
  }

  #normalise(a: AgentState): void {
    const r = a.ranges;
    while (r.length >= 2 && r[0]! <= a.floor) {
      a.floor = Math.max(a.floor, r[1]! + 1);
      r.splice(0, 2);
    }
    while (r.length / 2 > this.#opts.maxRanges) {
      // Give up the oldest gap: everything up to the end of the first range counts as applied.
      a.floor = r[1]! + 1;
      r.splice(0, 2);
      this.gapsForgotten++;
    }
  }

  /** Forgets agents idle past the horizon; they are reported by `takeChanges` as null (a tombstone). */
  expire(nowMs: number): number {
    let n = 0;
    for (const [id, a] of this.#agents) {
      if (nowMs - a.lastMs > this.#opts.horizonMs) {
        this.#agents.delete(id);
        this.#changed.add(id);
        n++;
      }
    }
    return n;
  }

  /** The agents changed since the last call, with their full state (null when forgotten). */
  takeChanges(): Array<[string, IAgentSeqs | null]> {
    const out: Array<[string, IAgentSeqs | null]> = [];
    for (const id of this.#changed) {
      const a = this.#agents.get(id);
      if (!a) {
        out.push([id, null]);
        continue;
      }
      const rangeStart: number[] = [];
      const rangeEnd: number[] = [];
      for (let i = 0; i < a.ranges.length; i += 2) {
        rangeStart.push(a.ranges[i]!);
        rangeEnd.push(a.ranges[i + 1]!);
      }
      out.push([id, { agentId: id, floor: a.floor, rangeStart, rangeEnd, lastMs: a.lastMs }]);
    }
    this.#changed.clear();
    return out;
  }
}
