/**
 * Ingest's CPU path per payload, in one process, no I/O:
 *
 *     node bench/decode.ts          # BENCH_SERIES=200 BENCH_SAMPLES=1 BENCH_ROUNDS=7 BENCH_ROUND_MS=700
 *
 * Rows (one realistic payload, see bench/payloads.ts: gauges, counters, 1 in 20 a native histogram):
 *   - `AgentPayload.decode`: protobufjs' decode alone, the peer baseline (what any protobuf intake pays);
 *   - `validatePayload`: ingest's decode + validation (ingest/validate.ts), with the service's default
 *     limits; the ratio to the baseline is the validation overhead;
 *   - the same two after `gunzipSync` of the agent's gzip body (the CPU ingest spends per gzip request;
 *     ingest itself calls the async `gunzip` on libuv's pool, measured in the last row through
 *     `gunzipBounded`, one request at a time, so that row adds the thread-pool round trip).
 *
 * ops/s is the median of BENCH_ROUNDS rounds, each bounded by BENCH_ROUND_MS and BENCH_ROUND_OPS, after a
 * warm-up bounded by BENCH_WARMUP_MS and BENCH_WARMUP_OPS. "per core" divides operations by this
 * process's CPU seconds (user + sys, all threads). Each row checks once that the result is valid.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { gunzipBounded } from '../ingest/body.ts';
import { type Limits, validatePayload } from '../ingest/validate.ts';
import { AgentPayload } from '../proto/index.ts';
import { envInt, fmt, machine, measure, microOptions, packageVersion, table } from './lib.ts';
import { buildPayload, encodePayload, kindCounts } from './payloads.ts';

const SERIES = envInt('BENCH_SERIES', 200, 1, 10_000);
const SAMPLES = envInt('BENCH_SAMPLES', 1, 1, 1000);
const opts = microOptions();

// The service's defaults (ingest/config.ts).
const limits: Limits = {
  maxSeries: 10_000,
  maxLabels: 32,
  maxNameBytes: 256,
  maxLabelValueBytes: 2048,
  maxSamplesPerSeries: 1000,
  maxHistogramBuckets: 320,
  maxAgeMs: 7 * 86_400_000,
  maxFutureMs: 600_000,
};
const MAX_DECOMPRESSED = 983_040;

const now = Date.now();
const times = Array.from({ length: SAMPLES }, (_, k) => now - (SAMPLES - k) * 15_000);
const raw = encodePayload(
  buildPayload({
    agentId: 'bench-agent-0001',
    seq: 2,
    times,
    series: SERIES,
    previousMs: times[0]! - 15_000,
  }),
);
const gz = gzipSync(raw);
const samples = SERIES * SAMPLES;

const check = validatePayload(raw, limits, now);
if (!check.ok || check.samples !== samples) {
  throw new Error(`the benchmark payload is not valid: ${JSON.stringify(check)}`);
}

const rows = [];
rows.push(await measure('AgentPayload.decode (baseline)', () => AgentPayload.decode(raw), opts));
rows.push(
  await measure('validatePayload (decode + validate)', () => validatePayload(raw, limits, now), opts),
);
rows.push(
  await measure(
    'gunzipSync + AgentPayload.decode (baseline)',
    () => AgentPayload.decode(gunzipSync(gz, { maxOutputLength: MAX_DECOMPRESSED })),
    opts,
  ),
);
rows.push(
  await measure(
    'gunzipSync + validatePayload',
    () => validatePayload(gunzipSync(gz, { maxOutputLength: MAX_DECOMPRESSED }), limits, now),
    opts,
  ),
);
rows.push(
  await measure(
    'gunzipBounded (async, as ingest) + validatePayload',
    async () => {
      const b = await gunzipBounded(gz, MAX_DECOMPRESSED);
      if (!b.ok) throw new Error('gunzip failed');
      return validatePayload(b.body, limits, now);
    },
    opts,
    true,
  ),
);

const k = kindCounts(SERIES);
console.log(`machine: ${machine()}`);
console.log(`protobufjs ${packageVersion('protobufjs')}`);
console.log(
  `payload: ${SERIES} series × ${SAMPLES} sample(s) = ${samples} samples (${k.gauge} gauges, ${k.counter} counters, ${k.histogram} histograms); ${raw.length} bytes, ${gz.length} gzipped`,
);
console.log(
  `rounds: ${opts.rounds} × ≤${opts.roundMs} ms / ≤${opts.roundOps} ops, warm-up ≤${opts.warmupMs} ms / ≤${opts.warmupOps} ops\n`,
);
const baseline = [rows[0]!, rows[0]!, rows[2]!, rows[2]!, rows[2]!];
console.log(
  table(
    [
      'path',
      'ops/s',
      'ops/s per core',
      'samples/s per core',
      'µs/op (per core)',
      'spread',
      '× baseline time',
    ],
    rows.map((r, i) => [
      r.name,
      fmt(r.opsPerSec),
      fmt(r.opsPerCpuSec),
      fmt(r.opsPerCpuSec * samples),
      fmt(1e6 / r.opsPerCpuSec, 1),
      `${fmt(r.spread * 100, 1)}%`,
      `${fmt(baseline[i]!.opsPerCpuSec / r.opsPerCpuSec, 2)}×`,
    ]),
  ),
);
