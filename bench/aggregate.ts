/**
 * The processor's aggregation step, in one process, no I/O:
 *
 *     node bench/aggregate.ts     # BENCH_PAYLOADS_PER_FLUSH=50 BENCH_SERIES=200 BENCH_SAMPLES=1
 *                                 # BENCH_MAX_CYCLES=400 BENCH_TIME_MS=10000 BENCH_PARTITIONS=8
 *
 * One cycle is one processor flush of one raw partition: BENCH_PAYLOADS_PER_FLUSH raw records (each from
 * its own agent, BENCH_SERIES series × BENCH_SAMPLES samples: gauges, counters, 1 in 20 a native
 * histogram with ~20 buckets, bench/payloads.ts) are decoded (`decodeRaw`), recorded (`recordPayload`
 * into an `Aggregator`), then the map is drained and encoded (`drain` + `toBatches` into
 * BENCH_PARTITIONS rollups partitions), exactly what processor/partition.ts does between two
 * transactions. Each phase is timed by this process's CPU time (user + sys), so the rates are per core.
 *
 * The peer baseline is the least any aggregator must do with the same decoded payloads: a plain
 * `Map` keyed by name + labels + bucket, adding count and sum per resolution (no series-id hash, no
 * min/max/first/last, no histogram buckets). Its ratio shows what the full partial aggregate costs.
 *
 * Bounded: a warm-up of ≤ BENCH_WARMUP_CYCLES cycles or BENCH_WARMUP_MS, then ≤ BENCH_MAX_CYCLES cycles
 * or BENCH_TIME_MS, whichever comes first.
 */
import { Aggregator } from '../processor/aggregate.ts';
import { type Decoded, decodeRaw, recordPayload, toBatches } from '../processor/records.ts';
import { type IAgentPayload, RawRecord } from '../proto/index.ts';
import { envInt, fmt, machine, packageVersion, table } from './lib.ts';
import { buildPayload, kindCounts } from './payloads.ts';

const PER_FLUSH = envInt('BENCH_PAYLOADS_PER_FLUSH', 50, 1, 100_000);
const SERIES = envInt('BENCH_SERIES', 200, 1, 10_000);
const SAMPLES = envInt('BENCH_SAMPLES', 1, 1, 1000);
const PARTITIONS = envInt('BENCH_PARTITIONS', 8, 1, 1024);
const WINDOWS = envInt('BENCH_WINDOWS', 4, 1, 64);
const WARMUP_CYCLES = envInt('BENCH_WARMUP_CYCLES', 20, 0, 100_000);
const WARMUP_MS = envInt('BENCH_WARMUP_MS', 2000, 0, 600_000);
const MAX_CYCLES = envInt('BENCH_MAX_CYCLES', 400, 1, 1_000_000);
const TIME_MS = envInt('BENCH_TIME_MS', 10_000, 100, 600_000);
const BATCH_MAX_BYTES = 512 << 10; // SLUICE_PROCESSOR_BATCH_MAX_BYTES default
const CAPS = { maxEntries: 200_000, maxBytes: 64 << 20 }; // the processor's defaults

// BENCH_WINDOWS distinct flush windows of raw records (the bytes the processor reads from Kafka), each
// 15 s after the previous one, so buckets move on as they would.
const start = Math.floor(Date.now() / 60_000) * 60_000 - 3_600_000;
const windows: Buffer[][] = [];
for (let w = 0; w < WINDOWS; w++) {
  const records: Buffer[] = [];
  for (let a = 0; a < PER_FLUSH; a++) {
    const t0 = start + w * 15_000 * SAMPLES + (a % 15) * 1000;
    const times = Array.from({ length: SAMPLES }, (_, k) => t0 + k * 15_000);
    const payload = buildPayload({
      agentId: `agent-${String(a).padStart(5, '0')}`,
      seq: w + 1,
      times,
      series: SERIES,
      previousMs: w === 0 ? 0 : t0 - 15_000,
    });
    records.push(
      Buffer.from(RawRecord.encode({ payload, tenant: 'bench', receivedMs: times.at(-1)! + 100 }).finish()),
    );
  }
  windows.push(records);
}
const samplesPerCycle = PER_FLUSH * SERIES * SAMPLES;

/** The peer baseline: count and sum per (name, labels, resolution, bucket) in a plain Map. */
function plainSum(into: Map<string, { n: number; sum: number }>, payload: IAgentPayload): number {
  let n = 0;
  for (const s of payload.series ?? []) {
    const id = `${s.name}${(s.labels ?? []).map((l) => `\0${l.name}\0${l.value}`).join('')}`;
    const points: Array<{ t: number; v: number }> = [];
    for (const g of s.gauge ?? []) points.push({ t: Number(g.tMs), v: g.v ?? 0 });
    for (const c of s.counter ?? []) points.push({ t: Number(c.tMs), v: c.v ?? 0 });
    for (const h of s.histogram ?? []) points.push({ t: Number(h.tMs), v: h.sum ?? 0 });
    for (const p of points) {
      for (const res of [60_000, 3_600_000]) {
        const key = `${id}|${res}|${Math.ceil(p.t / res)}`;
        const e = into.get(key);
        if (e) {
          e.n++;
          e.sum += p.v;
        } else into.set(key, { n: 1, sum: p.v });
      }
      n++;
    }
  }
  return n;
}

interface Phase {
  cpuUs: number;
}
const phases = {
  decode: { cpuUs: 0 },
  record: { cpuUs: 0 },
  drain: { cpuUs: 0 },
  encode: { cpuUs: 0 },
  plain: { cpuUs: 0 },
};
function timed<T>(p: Phase, fn: () => T): T {
  const c0 = process.cpuUsage();
  const r = fn();
  const c = process.cpuUsage(c0);
  p.cpuUs += c.user + c.system;
  return r;
}

const stats = { cycles: 0, samples: 0, partials: 0, batches: 0, batchBytes: 0, plainEntries: 0 };
function cycle(i: number, count: boolean): void {
  const records = windows[i % WINDOWS]!;
  const decoded = timed(count ? phases.decode : { cpuUs: 0 }, () => records.map((r) => decodeRaw(r)!));
  const agg = new Aggregator(CAPS);
  const n = timed(count ? phases.record : { cpuUs: 0 }, () => {
    let s = 0;
    for (const d of decoded as Decoded[]) s += recordPayload(agg, d.tenant, d.payload);
    return s;
  });
  if (n !== samplesPerCycle) throw new Error(`recorded ${n} samples, expected ${samplesPerCycle}`);
  const partials = timed(count ? phases.drain : { cpuUs: 0 }, () => agg.drain());
  const batches = timed(count ? phases.encode : { cpuUs: 0 }, () =>
    toBatches(partials, PARTITIONS, 0, BATCH_MAX_BYTES),
  );
  const plain = new Map<string, { n: number; sum: number }>();
  const m = timed(count ? phases.plain : { cpuUs: 0 }, () => {
    let s = 0;
    for (const d of decoded) s += plainSum(plain, d.payload);
    return s;
  });
  if (m !== samplesPerCycle) throw new Error('baseline miscounted');
  if (!count) return;
  stats.cycles++;
  stats.samples += n;
  stats.partials += partials.length;
  stats.batches += batches.length;
  stats.batchBytes += batches.reduce((a, b) => a + b.value.length, 0);
  stats.plainEntries += plain.size;
}

{
  const end = performance.now() + WARMUP_MS;
  for (let i = 0; i < WARMUP_CYCLES && performance.now() < end; i++) cycle(i, false);
}
const t0 = performance.now();
const cpu0 = process.cpuUsage();
for (let i = 0; i < MAX_CYCLES && performance.now() - t0 < TIME_MS; i++) cycle(i, true);
const wallMs = performance.now() - t0;
const cpuAll = process.cpuUsage(cpu0);

const perCore = (p: Phase, units: number) => (units / p.cpuUs) * 1e6;
const k = kindCounts(SERIES);
console.log(`machine: ${machine()}`);
console.log(`protobufjs ${packageVersion('protobufjs')}`);
console.log(
  `flush: ${PER_FLUSH} payloads × ${SERIES} series × ${SAMPLES} sample(s) = ${samplesPerCycle} samples (per payload ${k.gauge} gauges, ${k.counter} counters, ${k.histogram} histograms), ${PARTITIONS} rollups partitions`,
);
console.log(
  `measured: ${stats.cycles} cycles in ${fmt(wallMs / 1000, 1)} s wall, ${fmt((cpuAll.user + cpuAll.system) / 1e6, 1)} s CPU (GC included); ${fmt(stats.partials / stats.cycles)} partials and ${fmt(stats.batches / stats.cycles, 1)} rollups messages (${fmt(stats.batchBytes / stats.cycles / 1024)} KiB) per flush\n`,
);
const pipeline = phases.decode.cpuUs + phases.record.cpuUs + phases.drain.cpuUs + phases.encode.cpuUs;
const rows: Array<Array<string | number>> = [
  [
    'decodeRaw (RawRecord.decode)',
    fmt(perCore(phases.decode, stats.samples)),
    '',
    fmt(phases.decode.cpuUs / stats.cycles / 1000, 2),
    '',
  ],
  [
    'recordPayload → Aggregator',
    fmt(perCore(phases.record, stats.samples)),
    '',
    fmt(phases.record.cpuUs / stats.cycles / 1000, 2),
    `${fmt(phases.record.cpuUs / phases.plain.cpuUs, 2)}×`,
  ],
  [
    'peer: plain Map count+sum (baseline)',
    fmt(perCore(phases.plain, stats.samples)),
    '',
    fmt(phases.plain.cpuUs / stats.cycles / 1000, 2),
    '1.00×',
  ],
  [
    'drain',
    '',
    fmt(perCore(phases.drain, stats.partials)),
    fmt(phases.drain.cpuUs / stats.cycles / 1000, 2),
    '',
  ],
  [
    'toBatches (deltas + RollupBatch.encode)',
    '',
    fmt(perCore(phases.encode, stats.partials)),
    fmt(phases.encode.cpuUs / stats.cycles / 1000, 2),
    '',
  ],
  [
    'step: decode + record + drain + toBatches',
    fmt((stats.samples / pipeline) * 1e6),
    '',
    fmt(pipeline / stats.cycles / 1000, 2),
    '',
  ],
];
console.log(
  table(['phase', 'samples/s per core', 'partials/s per core', 'CPU ms per flush', '× baseline'], rows),
);
