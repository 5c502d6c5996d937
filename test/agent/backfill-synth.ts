/**
 * The synthetic agents' payloads for acceptance tests 9 and 10 (no I/O: the child processes import it
 * too): every value follows from (agent index, seq, sample time), so a test computes the ground truth
 * from what was produced, and the record of one request as the recording proxy saw it.
 */
import { AgentPayload, type IAgentPayload, Kind } from '../../proto/index.ts';

/** The counter's cumulative value at `seq` (its delta to seq − 1 is 3 or 4; seq 1 is a first observation). */
const counterAt = (seq: number) => seq * 3 + Math.floor(seq / 5);

/** One synthetic payload: a gauge and a counter, every value a function of (agent index, seq, tMs). */
export function synthPayload(agentId: string, index: number, seq: number, tMs: number): IAgentPayload {
  const labels = [
    { name: 'instance', value: agentId },
    { name: 'job', value: 'backfill' },
  ];
  return {
    agentId,
    seq,
    createdMs: tMs,
    host: { hostname: agentId, os: 'linux', arch: 'x64', agentVersion: 'test' },
    series: [
      {
        name: 'bf_gauge',
        kind: Kind.GAUGE,
        labels,
        gauge: [{ tMs, v: ((seq * 7 + index * 3) % 11) - 4 + 0.25 }],
      },
      {
        name: 'bf_counter_total',
        kind: Kind.COUNTER,
        labels,
        counter: [
          {
            tMs,
            v: counterAt(seq),
            d: seq === 1 ? 0 : counterAt(seq) - counterAt(seq - 1),
            tpMs: tMs - 1000,
            reset: false,
          },
        ],
      },
    ],
  };
}

export const encode = (p: IAgentPayload): Uint8Array => AgentPayload.encode(p).finish();

/** One request that reached the proxy; times are wall-clock ms. */
export interface Hit {
  agent: string;
  seq: number;
  lane: string;
  backlog: number;
  /** Payload bytes after gunzip (the unit of ingest's grant). */
  bytes: number;
  sampleMs: number;
  arriveMs: number;
  doneMs: number;
  status: number;
  grant: number | undefined;
}
