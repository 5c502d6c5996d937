/**
 * What every benchmark shares: environment parameters, the machine line, a bounded measuring loop for
 * micro-benchmarks and a plain-text table. No I/O beyond reading /proc and running `scripts/stack
 * versions` (local).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';

export const root = new URL('../', import.meta.url).pathname;

/** An integer parameter from the environment, with bounds; a bad value stops the run with its name. */
export function envInt(name: string, def: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return def;
  const v = Number(raw);
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new Error(`${name}=${raw}: expected an integer in [${min}, ${max}]`);
  }
  return v;
}

/** The machine line: CPU model, cores, memory, load, Node. */
export function machine(): string {
  const model = cpus()[0]?.model.trim() ?? 'unknown CPU';
  const mem = (totalmem() / 2 ** 30).toFixed(1);
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  return `${model}, ${availableParallelism()} cores, ${mem} GiB; Node ${process.version} (${process.platform}-${process.arch}); load avg ${load}`;
}

/** `scripts/stack versions` as printed (Kafka, FerretDB, ...), or a note why not. */
export function stackVersions(): string {
  try {
    return execFileSync(`${root}scripts/stack`, ['versions'], { encoding: 'utf8', timeout: 30_000 }).trim();
  } catch (err) {
    return `(scripts/stack versions failed: ${(err as Error).message.split('\n')[0]})`;
  }
}

export function packageVersion(name: string): string {
  try {
    return JSON.parse(readFileSync(`${root}node_modules/${name}/package.json`, 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

/** Prints rows as an aligned table; numbers right-aligned. */
export function table(header: string[], rows: Array<Array<string | number>>): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    `| ${r.map((c, i) => (/^[-+\d.,%×x ]+$/.test(c) && i > 0 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' | ')} |`;
  return [
    line(header),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...cells.slice(1).map(line),
  ].join('\n');
}

export function fmt(n: number, digits = 0): string {
  if (!Number.isFinite(n)) return String(n);
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export interface MicroResult {
  name: string;
  /** Operations per wall-clock second, median of the rounds. */
  opsPerSec: number;
  /** Operations per CPU second of this process (all its threads): per core. */
  opsPerCpuSec: number;
  /** Relative spread of the rounds: (max - min) / median. */
  spread: number;
  ops: number;
}

export interface MicroOptions {
  warmupMs: number;
  warmupOps: number;
  rounds: number;
  /** Each round stops at whichever comes first. */
  roundMs: number;
  roundOps: number;
}

export function microOptions(): MicroOptions {
  return {
    warmupMs: envInt('BENCH_WARMUP_MS', 1000, 0, 60_000),
    warmupOps: envInt('BENCH_WARMUP_OPS', 2000, 0, 10_000_000),
    rounds: envInt('BENCH_ROUNDS', 7, 1, 100),
    roundMs: envInt('BENCH_ROUND_MS', 700, 10, 60_000),
    roundOps: envInt('BENCH_ROUND_OPS', 200_000, 1, 100_000_000),
  };
}

/**
 * Runs `fn` in a warm-up, then `rounds` rounds, each bounded in count and time. `fn` may be async
 * (awaited one at a time: concurrency 1). Returns per-round medians; CPU time is this process's
 * user+sys over all rounds, so work on libuv's thread pool (async gunzip) is counted.
 */
export async function measure(
  name: string,
  fn: () => unknown,
  o: MicroOptions,
  isAsync = false,
): Promise<MicroResult> {
  const run = async (maxOps: number, maxMs: number): Promise<{ ops: number; ms: number }> => {
    const t0 = performance.now();
    const end = t0 + maxMs;
    let ops = 0;
    // Check the clock every 16 operations: cheap enough not to show in the result.
    while (ops < maxOps) {
      if (isAsync) await fn();
      else fn();
      ops++;
      if ((ops & 15) === 0 && performance.now() >= end) break;
    }
    return { ops, ms: performance.now() - t0 };
  };
  await run(o.warmupOps, o.warmupMs);
  const rates: number[] = [];
  let ops = 0;
  let wallMs = 0;
  const cpu0 = process.cpuUsage();
  for (let r = 0; r < o.rounds; r++) {
    const x = await run(o.roundOps, o.roundMs);
    rates.push((x.ops / x.ms) * 1000);
    ops += x.ops;
    wallMs += x.ms;
  }
  const cpu = process.cpuUsage(cpu0);
  const cpuSec = (cpu.user + cpu.system) / 1e6;
  rates.sort((a, b) => a - b);
  const median = percentile(rates, 50);
  return {
    name,
    opsPerSec: median,
    opsPerCpuSec: cpuSec > 0 ? ops / cpuSec : (ops / wallMs) * 1000,
    spread: (rates.at(-1)! - rates[0]!) / median,
    ops,
  };
}
