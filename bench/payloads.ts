/**
 * Realistic synthetic agent payloads for the benchmarks: node_exporter-like names and labels, mostly
 * gauges, a quarter counters (with valid deltas), one series in twenty a native histogram (schema 3,
 * ~20 populated buckets). Deterministic: the same arguments give the same payload.
 */
import { AgentPayload, type IAgentPayload, type ISeries, Kind } from '../proto/index.ts';

const NAMES = [
  'node_cpu_seconds',
  'node_memory_bytes',
  'node_filesystem_avail_bytes',
  'node_network_receive_bytes',
  'node_disk_io_time_seconds',
  'node_load1',
  'node_netstat_tcp_conns',
  'app_queue_depth',
];

export interface SeriesKindCounts {
  gauge: number;
  counter: number;
  histogram: number;
}

/** Kind of series `i`: 1 in 20 histogram, 1 in 4 counter, the rest gauges. */
export function kindOf(i: number): 'gauge' | 'counter' | 'histogram' {
  if (i % 20 === 19) return 'histogram';
  if (i % 4 === 1) return 'counter';
  return 'gauge';
}

export function kindCounts(series: number): SeriesKindCounts {
  const c = { gauge: 0, counter: 0, histogram: 0 };
  for (let i = 0; i < series; i++) c[kindOf(i)]++;
  return c;
}

export interface PayloadSpec {
  agentId: string;
  seq: number;
  /** Sample times, one sample per series per entry (ascending). */
  times: number[];
  series: number;
  /** Time of the sample before `times[0]` (a counter's `tp`); 0 for a first observation. */
  previousMs: number;
}

/** The name and labels of series `i` of an agent (unique per agent). */
export function seriesIdentity(agentId: string, i: number): { name: string; labels: Record<string, string> } {
  const kind = kindOf(i);
  const base = NAMES[i % NAMES.length]!;
  const name = kind === 'counter' ? `${base}_total` : kind === 'histogram' ? 'app_request_seconds' : base;
  return {
    name,
    labels: { instance: agentId, job: 'node', device: `dev${i}`, mode: i % 2 ? 'user' : 'idle' },
  };
}

export function buildPayload(p: PayloadSpec): IAgentPayload {
  const series: ISeries[] = [];
  for (let i = 0; i < p.series; i++) {
    const { name, labels } = seriesIdentity(p.agentId, i);
    const s: ISeries = {
      name,
      labels: Object.entries(labels).map(([n, value]) => ({ name: n, value })),
    };
    const kind = kindOf(i);
    if (kind === 'gauge') {
      s.kind = Kind.GAUGE;
      s.gauge = p.times.map((t, k) => ({ tMs: t, v: ((p.seq * 31 + i * 7 + k) % 1000) + 0.25 }));
    } else if (kind === 'counter') {
      s.kind = Kind.COUNTER;
      let prev = p.previousMs;
      s.counter = p.times.map((t, k) => {
        const step = (p.seq - 1) * p.times.length + k;
        const c = { tMs: t, v: 1000 + step * (i + 1), d: prev === 0 ? 0 : i + 1, tpMs: prev };
        prev = t;
        return c;
      });
    } else {
      s.kind = Kind.HISTOGRAM;
      s.histogram = p.times.map((t, k) => {
        const positive: Record<number, number> = {};
        let count = 1; // the zero bucket
        for (let b = 0; b < 20; b++) {
          const c = 1 + ((i + b + k + p.seq) % 5);
          positive[b - 30] = c; // buckets around 2^(-30/8) ≈ 75 ms
          count += c;
        }
        return { tMs: t, count, sum: count * 0.08, zeroCount: 1, schema: 3, zeroThreshold: 0, positive };
      });
    }
    series.push(s);
  }
  return {
    agentId: p.agentId,
    seq: p.seq,
    createdMs: p.times.at(-1) ?? 0,
    host: { hostname: p.agentId, os: 'linux', arch: 'x64', agentVersion: 'bench' },
    series,
  };
}

export function encodePayload(p: IAgentPayload): Buffer {
  return Buffer.from(AgentPayload.encode(p).finish());
}
