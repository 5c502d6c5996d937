import { describe, expect, it } from 'vitest';
import { CounterState } from '../../agent/counters.ts';
import { counter, gauge, TICKS } from '../../agent/model.ts';
import { buildPayloads, countSamples, passToSeries } from '../../agent/payload.ts';
import { AgentPayload, Kind } from '../../proto/index.ts';

const host = { hostname: 'h1', os: 'linux', arch: 'x64', agentVersion: '0.1.0' };
const stamp = { job: 'node', instance: 'h1:9100' };

describe('passToSeries', () => {
  it('stamps job/instance, drops empty labels, sorts labels; gauges as values, counters with deltas', () => {
    const state = new CounterState();
    const points = [
      gauge('node_disk_info', 1, { device: 'vda', model: '', major: '254', minor: '0' }),
      counter('node_cpu_seconds_total', 28621, TICKS, { mode: 'user', cpu: '0' }, 'cpu'),
      gauge('node_load1', 0.42, { instance: 'overridden' }),
    ];
    const first = passToSeries(points, stamp, state, 1_000);
    expect(first.duplicates).toBe(0);
    expect(first.series).toEqual([
      {
        name: 'node_disk_info',
        labels: [
          { name: 'device', value: 'vda' },
          { name: 'instance', value: 'h1:9100' },
          { name: 'job', value: 'node' },
          { name: 'major', value: '254' },
          { name: 'minor', value: '0' },
        ],
        kind: Kind.GAUGE,
        gauge: [{ tMs: 1_000, v: 1 }],
      },
      {
        name: 'node_cpu_seconds_total',
        labels: [
          { name: 'cpu', value: '0' },
          { name: 'instance', value: 'h1:9100' },
          { name: 'job', value: 'node' },
          { name: 'mode', value: 'user' },
        ],
        kind: Kind.COUNTER,
        counter: [{ tMs: 1_000, v: 286.21, d: 0, tpMs: 0, reset: false }],
      },
      {
        name: 'node_load1',
        labels: [
          { name: 'instance', value: 'h1:9100' },
          { name: 'job', value: 'node' },
        ],
        kind: Kind.GAUGE,
        gauge: [{ tMs: 1_000, v: 0.42 }],
      },
    ]);
    const second = passToSeries(
      [counter('node_cpu_seconds_total', 28700, TICKS, { mode: 'user', cpu: '0' }, 'cpu')],
      stamp,
      state,
      16_000,
    );
    expect(second.series[0]?.counter).toEqual([{ tMs: 16_000, v: 287, d: 0.79, tpMs: 1_000, reset: false }]);
  });

  it('a second point with the same identity in one pass is skipped and counted', () => {
    const r = passToSeries(
      [gauge('a', 1, { x: '1' }), gauge('a', 2, { x: '1' })],
      stamp,
      new CounterState(),
      1,
    );
    expect(r.series).toHaveLength(1);
    expect(r.series[0]?.gauge?.[0]?.v).toBe(1);
    expect(r.duplicates).toBe(1);
  });
});

describe('buildPayloads', () => {
  it('splits at maxSeries, one seq per payload, and encodes what AgentPayload decodes', () => {
    const series = passToSeries(
      [1, 2, 3, 4, 5].map((i) => gauge(`g${i}`, i)),
      stamp,
      new CounterState(),
      5_000,
    ).series;
    let seq = 41;
    const out = buildPayloads(series, {
      agentId: 'a-1',
      host,
      createdMs: 5_001,
      maxSeries: 2,
      nextSeq: () => seq++,
    });
    expect(out.map((p) => [p.seq, p.series, p.samples])).toEqual([
      [41, 2, 2],
      [42, 2, 2],
      [43, 1, 1],
    ]);
    const decoded = out.map((p) => AgentPayload.decode(p.bytes));
    expect(decoded[2]).toMatchObject({
      agentId: 'a-1',
      seq: 43,
      host,
      createdMs: 5_001,
      series: [
        {
          name: 'g5',
          labels: [
            { name: 'instance', value: 'h1:9100' },
            { name: 'job', value: 'node' },
          ],
          kind: Kind.GAUGE,
          gauge: [{ tMs: 5_000, v: 5 }],
        },
      ],
    });
    expect(decoded.flatMap((d) => d.series.map((s) => s.name))).toEqual(['g1', 'g2', 'g3', 'g4', 'g5']);
    expect(countSamples(out[0]!.bytes)).toBe(2);
    expect(
      buildPayloads([], { agentId: 'a', host, createdMs: 1, maxSeries: 2, nextSeq: () => seq++ }),
    ).toEqual([]);
    expect(seq).toBe(44);
  });
});
