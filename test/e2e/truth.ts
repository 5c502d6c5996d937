/**
 * Synthetic agents and the ground truth of their rollups, computed here from the raw samples, with
 * no code of the pipeline (only the proto contract). Values are integers and dyadic fractions, so
 * every sum is exact in floating point.
 */
import type { IAgentPayload, ISeries } from '../../proto/index.ts';

const M = 60_000;
const H = 3_600_000;
export const KIND = { gauge: 1, counter: 2, histogram: 3 } as const;

interface Obs {
  series: string;
  name: string;
  labels: Record<string, string>;
  kind: keyof typeof KIND;
  t: number;
  v: number;
  d: number;
  tp: number;
  r: boolean;
  h?: { count: number; sum: number; zero: number; pos: Record<number, number>; neg: Record<number, number> };
}

export interface AgentPlan {
  agentId: string;
  /** Payloads by seq, samples in time order. */
  payloads: Map<number, IAgentPayload>;
  /** The order the test sends them in (repeats included). */
  sendOrder: number[];
  observations: Obs[];
}

function key(name: string, labels: Record<string, string>): string {
  return `${name}{${Object.entries(labels)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join(',')}}`;
}

/**
 * One agent: 6 payloads of 4 samples per series at 15 s steps. Payload 1 is three hours older than
 * the rest (a backlog) and is sent last; payloads 3 and 4 are sent out of order; payload 6 twice.
 * The first sample of every payload from 2 on lies exactly on a minute boundary.
 */
export function planAgent(agentId: string, recentStart: number, agentIndex: number): AgentPlan {
  const times = new Map<number, number[]>();
  times.set(
    1,
    [0, 1, 2, 3].map((i) => recentStart - 3 * H + i * 15_000),
  );
  for (let seq = 2; seq <= 6; seq++)
    times.set(
      seq,
      [0, 1, 2, 3].map((i) => recentStart + (seq - 2) * M + i * 15_000),
    );
  const observations: Obs[] = [];
  const payloads = new Map<number, IAgentPayload>();
  const counterValues = [5, 9, 12, 12.5, 20, 27, 31, 2, 4, 8.25, 9, 15, 16, 30, 31, 33, 34, 40, 41, 50];
  let step = 0;
  let prevCounter: { t: number; v: number } | undefined;
  for (let seq = 1; seq <= 6; seq++) {
    const gaugeS: NonNullable<ISeries['gauge']> = [];
    const counterS: NonNullable<ISeries['counter']> = [];
    const histS: NonNullable<ISeries['histogram']> = [];
    for (const t of times.get(seq)!) {
      const gv = ((step * 7 + agentIndex * 3) % 11) - 4 + (step % 2 ? 0.5 : 0.25);
      gaugeS.push({ tMs: t, v: gv });
      observations.push({
        series: key('sluice_test_gauge', { agent: agentId }),
        name: 'sluice_test_gauge',
        labels: { agent: agentId },
        kind: 'gauge',
        t,
        v: gv,
        d: 0,
        tp: 0,
        r: false,
      });
      const cv = counterValues[step % counterValues.length]! + agentIndex;
      const reset = prevCounter !== undefined && cv < prevCounter.v;
      const d = prevCounter === undefined ? 0 : reset ? cv : cv - prevCounter.v;
      const tp = prevCounter?.t ?? 0;
      counterS.push({ tMs: t, v: cv, d, tpMs: tp, reset });
      observations.push({
        series: key('sluice_test_total', { agent: agentId }),
        name: 'sluice_test_total',
        labels: { agent: agentId },
        kind: 'counter',
        t,
        v: cv,
        d,
        tp,
        r: reset,
      });
      prevCounter = { t, v: cv };
      const pos: Record<number, number> = { [1 + (step % 3)]: 2, 5: 1 };
      const neg: Record<number, number> = step % 4 === 0 ? { 2: 1 } : {};
      const count = 3 + (step % 4 === 0 ? 1 : 0) + 1;
      const h = { count, sum: 10.5 + step, zero: 1, pos, neg };
      histS.push({
        tMs: t,
        count,
        sum: h.sum,
        zeroCount: 1,
        schema: 3,
        zeroThreshold: 0,
        positive: pos,
        negative: neg,
      });
      observations.push({
        series: key('sluice_test_seconds', { agent: agentId }),
        name: 'sluice_test_seconds',
        labels: { agent: agentId },
        kind: 'histogram',
        t,
        v: 0,
        d: 0,
        tp: 0,
        r: false,
        h,
      });
      step++;
    }
    payloads.set(seq, {
      agentId,
      seq,
      host: { hostname: agentId, os: 'linux', arch: 'x64', agentVersion: 'test' },
      createdMs: times.get(seq)!.at(-1)!,
      series: [
        {
          name: 'sluice_test_gauge',
          labels: [{ name: 'agent', value: agentId }],
          kind: KIND.gauge,
          gauge: gaugeS,
        },
        {
          name: 'sluice_test_total',
          labels: [{ name: 'agent', value: agentId }],
          kind: KIND.counter,
          counter: counterS,
        },
        {
          name: 'sluice_test_seconds',
          labels: [{ name: 'agent', value: agentId }],
          kind: KIND.histogram,
          histogram: histS,
        },
      ],
    });
  }
  return { agentId, payloads, sendOrder: [2, 4, 3, 5, 6, 6, 1], observations };
}

export type Expected = Record<string, Record<string, unknown>>;

/** The rollup documents the pipeline must produce, keyed `series|resolution|bucketStartMs`. */
export function expectedRollups(tenant: string, observations: Obs[]): Expected {
  const out: Expected = {};
  for (const res of [M, H]) {
    const buckets = new Map<string, Obs[]>();
    for (const o of observations) {
      // Right-closed buckets (start, start + res]: a sample on a boundary closes the bucket before it.
      const start = Math.ceil(o.t / res) * res - res;
      const k = `${o.series}|${res / 1000}|${start}`;
      buckets.set(k, [...(buckets.get(k) ?? []), o]);
    }
    for (const [k, obs] of buckets) {
      const o0 = obs[0]!;
      const doc: Record<string, unknown> = { tenant, name: o0.name, kind: o0.kind, n: obs.length };
      if (o0.kind === 'histogram') {
        const hp: Record<string, number> = {};
        const hn: Record<string, number> = {};
        for (const o of obs) {
          for (const [i, c] of Object.entries(o.h!.pos)) hp[i] = (hp[i] ?? 0) + c;
          for (const [i, c] of Object.entries(o.h!.neg)) hn[i] = (hn[i] ?? 0) + c;
        }
        Object.assign(doc, {
          hc: obs.reduce((a, o) => a + o.h!.count, 0),
          hs: obs.reduce((a, o) => a + o.h!.sum, 0),
          hz: obs.reduce((a, o) => a + o.h!.zero, 0),
          // A side with no observations has no field at all (nothing was ever $inc'ed there).
          ...(Object.keys(hp).length ? { hp } : {}),
          ...(Object.keys(hn).length ? { hn } : {}),
        });
      } else {
        const byT = [...obs].sort((a, b) => a.t - b.t);
        const f = byT[0]!;
        const l = byT.at(-1)!;
        Object.assign(doc, {
          sum: obs.reduce((a, o) => a + o.v, 0),
          sumsq: obs.reduce((a, o) => a + o.v * o.v, 0),
          min: Math.min(...obs.map((o) => o.v)),
          max: Math.max(...obs.map((o) => o.v)),
          first: { t: f.t, v: f.v, d: f.d, r: f.r },
          last: { t: l.t, v: l.v, d: l.d, tp: l.tp },
        });
        if (o0.kind === 'counter')
          Object.assign(doc, {
            inc: obs.reduce((a, o) => a + o.d, 0),
            resets: obs.filter((o) => o.r).length,
          });
      }
      out[k] = doc;
    }
  }
  return out;
}
