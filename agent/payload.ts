/**
 * From one pass's points to encoded AgentPayloads. Pure: labels are finalised (job/instance stamped,
 * empty values dropped, sorted), counters go through the delta state, series are split into payloads
 * of at most `maxSeries`, each with its own seq.
 */
import { AgentPayload, type IAgentDrops, type ISeries, Kind } from '../proto/index.ts';
import type { CounterState } from './counters.ts';
import { type CounterPoint, finalLabels, type Labels, type Point, seriesKey } from './model.ts';

export interface HostInfo {
  hostname: string;
  os: string;
  arch: string;
  agentVersion: string;
}

export interface PassSeries {
  series: ISeries[];
  /** Points dropped because an earlier point of the same pass had the same name and labels. */
  duplicates: number;
}

/**
 * Turns one pass (every point stamped `tMs`) into series: gauges as values, counters with their delta
 * to the previous pass (this advances `counters`).
 */
export function passToSeries(
  points: Point[],
  stamp: Labels,
  counters: CounterState,
  tMs: number,
): PassSeries {
  const seen = new Set<string>();
  let duplicates = 0;
  const series: ISeries[] = [];
  const counterPoints: Array<{ key: string; point: CounterPoint; series: ISeries }> = [];
  for (const p of points) {
    const labels = finalLabels(p.labels, stamp);
    const key = seriesKey(p.name, labels);
    if (seen.has(key)) {
      duplicates++;
      continue;
    }
    seen.add(key);
    if (p.kind === 'gauge') {
      series.push({ name: p.name, labels, kind: Kind.GAUGE, gauge: [{ tMs, v: p.value }] });
    } else {
      const s: ISeries = { name: p.name, labels, kind: Kind.COUNTER, counter: [] };
      series.push(s);
      counterPoints.push({ key, point: p, series: s });
    }
  }
  const samples = counters.observe(counterPoints, tMs);
  counterPoints.forEach((c, i) => {
    c.series.counter = [samples[i] as NonNullable<ISeries['counter']>[number]];
  });
  return { series, duplicates };
}

export interface EncodedPayload {
  seq: number;
  bytes: Uint8Array;
  series: number;
  samples: number;
}

export interface PayloadContext {
  agentId: string;
  host: HostInfo;
  createdMs: number;
  maxSeries: number;
  /** Allocates the next seq (SeqAllocator.next). */
  nextSeq: () => number;
  /** The cumulative drop report (agent/drops.ts dropReport), carried by every payload built. */
  drops?: IAgentDrops | undefined;
}

function sampleCount(s: ISeries): number {
  return (s.gauge?.length ?? 0) + (s.counter?.length ?? 0) + (s.histogram?.length ?? 0);
}

/**
 * Splits `series` into payloads of at most `maxSeries` and encodes them, each with the drop report.
 * No series → no payload.
 */
export function buildPayloads(series: ISeries[], ctx: PayloadContext): EncodedPayload[] {
  const out: EncodedPayload[] = [];
  for (let i = 0; i < series.length; i += ctx.maxSeries) {
    const chunk = series.slice(i, i + ctx.maxSeries);
    const seq = ctx.nextSeq();
    const bytes = AgentPayload.encode({
      agentId: ctx.agentId,
      seq,
      host: ctx.host,
      series: chunk,
      createdMs: ctx.createdMs,
      ...(ctx.drops ? { drops: ctx.drops } : {}),
    }).finish();
    out.push({ seq, bytes, series: chunk.length, samples: chunk.reduce((n, s) => n + sampleCount(s), 0) });
  }
  return out;
}

/** Samples in an encoded payload (for counting what a drop lost). */
export function countSamples(bytes: Uint8Array): number {
  try {
    return AgentPayload.decode(bytes).series.reduce((n, s) => n + sampleCount(s), 0);
  } catch {
    return 0;
  }
}
