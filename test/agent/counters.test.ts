import { describe, expect, it } from 'vitest';
import { CounterState } from '../../agent/counters.ts';
import {
  AS_IS,
  type Backwards,
  type CounterPoint,
  counter,
  SECTORS,
  TICKS,
  type Unit,
} from '../../agent/model.ts';

function pt(name: string, raw: number | bigint, unit: Unit = AS_IS, labels = {}, backwards?: Backwards) {
  const point: CounterPoint = counter(name, raw, unit, labels, backwards);
  return { key: `${name}${JSON.stringify(labels)}`, point };
}

function cpu(cpuN: string, mode: string, raw: number) {
  return pt('node_cpu_seconds_total', raw, TICKS, { cpu: cpuN, mode }, 'cpu');
}

describe('counter deltas (agent-metrics.md §7 test vectors)', () => {
  it('first observation d = 0, tp = 0; then increase; then a reset sends the raw value', () => {
    const s = new CounterState();
    expect(s.observe([pt('x_total', 1000)], 15_000)).toEqual([
      { tMs: 15_000, v: 1000, d: 0, tpMs: 0, reset: false },
    ]);
    expect(s.observe([pt('x_total', 1500)], 30_000)).toEqual([
      { tMs: 30_000, v: 1500, d: 500, tpMs: 15_000, reset: false },
    ]);
    expect(s.observe([pt('x_total', 200)], 45_000)).toEqual([
      { tMs: 45_000, v: 200, d: 200, tpMs: 30_000, reset: true },
    ]);
  });

  it('cpu jitter: iowait 1500 → 1499 sends 0 and keeps 1500', () => {
    const s = new CounterState();
    s.observe([cpu('0', 'iowait', 1500), cpu('0', 'idle', 160232)], 1000);
    expect(s.observe([cpu('0', 'iowait', 1499), cpu('0', 'idle', 160300)], 2000)).toEqual([
      { tMs: 2000, v: 15, d: 0, tpMs: 1000, reset: false },
      { tMs: 2000, v: 1603, d: 0.68, tpMs: 1000, reset: false },
    ]);
    // The kept value is the higher one: 1501 is one tick above it.
    expect(s.observe([cpu('0', 'iowait', 1501), cpu('0', 'idle', 160400)], 3000)[0]).toEqual({
      tMs: 3000,
      v: 15.01,
      d: 0.01,
      tpMs: 2000,
      reset: false,
    });
  });

  it('cpu hotplug: idle 160232 → 100 resets every mode of that CPU (guest too), not the other CPU', () => {
    const s = new CounterState();
    const guest = (raw: number) =>
      pt('node_cpu_guest_seconds_total', raw, TICKS, { cpu: '0', mode: 'user' }, 'cpu');
    s.observe([cpu('0', 'idle', 160232), cpu('0', 'user', 5000), guest(40), cpu('1', 'user', 7000)], 1000);
    expect(
      s.observe([cpu('0', 'idle', 100), cpu('0', 'user', 30), guest(2), cpu('1', 'user', 6999)], 2000),
    ).toEqual([
      { tMs: 2000, v: 1, d: 1, tpMs: 1000, reset: true },
      { tMs: 2000, v: 0.3, d: 0.3, tpMs: 1000, reset: true },
      { tMs: 2000, v: 0.02, d: 0.02, tpMs: 1000, reset: true },
      { tMs: 2000, v: 70, d: 0, tpMs: 1000, reset: false },
    ]);
  });

  it('idle falling by 299 ticks is still jitter', () => {
    const s = new CounterState();
    s.observe([cpu('0', 'idle', 1000), cpu('0', 'user', 50)], 1);
    expect(s.observe([cpu('0', 'idle', 701), cpu('0', 'user', 40)], 2)).toEqual([
      { tMs: 2, v: 10, d: 0, tpMs: 1, reset: false },
      { tMs: 2, v: 0.5, d: 0, tpMs: 1, reset: false },
    ]);
  });

  it('32-bit wrap: 4294967000 → 100 is an increase of 396', () => {
    const s = new CounterState();
    const sn = (raw: number) => pt('node_softnet_processed_total', raw, AS_IS, { cpu: '0' }, 'wrap32');
    s.observe([sn(4294967000)], 1);
    expect(s.observe([sn(100)], 2)).toEqual([{ tMs: 2, v: 100, d: 396, tpMs: 1, reset: false }]);
  });

  it('delta on the integer, unit second: 2153266 → 2153278 sectors is 6144 bytes', () => {
    const s = new CounterState();
    const rb = (raw: number) => pt('node_disk_read_bytes_total', raw, SECTORS, { device: 'vda' });
    s.observe([rb(2153266)], 1);
    expect(s.observe([rb(2153278)], 2)).toEqual([
      { tMs: 2, v: 1_102_478_336, d: 6144, tpMs: 1, reset: false },
    ]);
  });

  it('values above 2^53 subtract exactly as bigint', () => {
    const s = new CounterState();
    s.observe([pt('b_total', 2n ** 60n)], 1);
    const [out] = s.observe([pt('b_total', 2n ** 60n + 3n)], 2);
    expect(out?.d).toBe(3);
    expect(out?.v).toBe(2 ** 60);
  });

  it('a series absent for N passes is forgotten; returning, it is a first observation again', () => {
    const s = new CounterState(3);
    s.observe([pt('a_total', 10), pt('b_total', 1)], 1);
    s.observe([pt('b_total', 2)], 2);
    s.observe([pt('b_total', 3)], 3);
    expect(s.size).toBe(2);
    expect(s.observe([pt('a_total', 15), pt('b_total', 4)], 4)[0]).toEqual({
      tMs: 4,
      v: 15,
      d: 5,
      tpMs: 1,
      reset: false,
    });
    for (let t = 5; t <= 7; t++) s.observe([pt('b_total', t)], t);
    expect(s.size).toBe(1);
    expect(s.observe([pt('a_total', 20)], 8)[0]).toEqual({ tMs: 8, v: 20, d: 0, tpMs: 0, reset: false });
  });

  it('round-trips through JSON, bigint included; malformed entries are skipped', () => {
    const s = new CounterState();
    s.observe([pt('a_total', 7), pt('b_total', 2n ** 60n)], 100);
    const json = JSON.parse(JSON.stringify(s.toJSON()));
    const r = CounterState.fromJSON({ ...json, junk: 'x', bad: [1] });
    expect(r.size).toBe(2);
    expect(r.observe([pt('a_total', 9), pt('b_total', 2n ** 60n + 1n)], 200)).toEqual([
      { tMs: 200, v: 9, d: 2, tpMs: 100, reset: false },
      { tMs: 200, v: 2 ** 60, d: 1, tpMs: 100, reset: false },
    ]);
    expect(CounterState.fromJSON(null).size).toBe(0);
  });
});
