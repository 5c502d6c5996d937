/** Payload builders for ingest tests: valid by default, one field broken at a time by the caller. */
import { AgentPayload, type IAgentPayload, type ISeries, Kind } from '../../proto/index.ts';

export function gaugeSeries(name: string, tMs: number, v = 1, labels: Record<string, string> = {}): ISeries {
  return {
    name,
    kind: Kind.GAUGE,
    labels: Object.entries(labels).map(([n, value]) => ({ name: n, value })),
    gauge: [{ tMs, v }],
  };
}

/** A valid payload with `n` gauge series (and one counter and one histogram when n > 2). */
export function validPayload(agentId: string, seq: number, nowMs: number, n = 3): IAgentPayload {
  const series: ISeries[] = [];
  for (let i = 0; i < n; i++) {
    if (i === 1) {
      series.push({
        name: 'http_requests_total',
        kind: Kind.COUNTER,
        labels: [{ name: 'code', value: '200' }],
        counter: [{ tMs: nowMs - 1000, v: 10, d: 2, tpMs: nowMs - 16_000 }],
      });
    } else if (i === 2) {
      series.push({
        name: 'latency_seconds',
        kind: Kind.HISTOGRAM,
        histogram: [{ tMs: nowMs - 1000, count: 3, sum: 0.5, schema: 3, positive: { 1: 2, 2: 1 } }],
      });
    } else {
      series.push(gaugeSeries(`node_load_${i}`, nowMs - 1000, i, { host: 'h1', cpu: String(i) }));
    }
  }
  return { agentId, seq, createdMs: nowMs, host: { hostname: 'h1', os: 'linux' }, series };
}

export function encode(p: IAgentPayload): Buffer {
  return Buffer.from(AgentPayload.encode(p).finish());
}
