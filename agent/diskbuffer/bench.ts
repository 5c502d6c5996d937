/**
 * Disk buffer benchmark: `node agent/diskbuffer/bench.ts`.
 *
 * 1. Append throughput per fsync policy next to a plain file append of the same bytes in the same run
 *    (writeSync, plus writeSync+fdatasync per record as the peer of 'always'), as a ratio.
 * 2. Drain rate (read + ack) from a cold page cache: `sync; echo 3 > /proc/sys/vm/drop_caches` when
 *    permitted (root), else from a freshly written file (noted in the output).
 *
 * Bounded: each case stops at BENCH_RECORDS records or BENCH_SECONDS seconds, whichever comes first.
 * Parameters by environment: BENCH_RECORD_BYTES (default 4096), BENCH_RECORDS (20000),
 * BENCH_SECONDS (5), BENCH_DRAIN_MB (256), BENCH_DIR (a temp dir under the OS temp dir).
 */
import { execSync } from 'node:child_process';
import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { cpus, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { type FsyncPolicy, open } from './index.ts';

const RECORD = Number(process.env.BENCH_RECORD_BYTES ?? 4096);
const MAX_RECORDS = Number(process.env.BENCH_RECORDS ?? 20_000);
const MAX_MS = Number(process.env.BENCH_SECONDS ?? 5) * 1000;
const DRAIN_MB = Number(process.env.BENCH_DRAIN_MB ?? 256);
const base = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), 'sluice-bench-diskbuffer-'));
const payload = Buffer.alloc(RECORD, 0xa5);

interface Row {
  case: string;
  records: number;
  seconds: number;
}

function timed(name: string, step: () => void): Row {
  const t0 = performance.now();
  let n = 0;
  while (n < MAX_RECORDS && performance.now() - t0 < MAX_MS) {
    step();
    n++;
  }
  return { case: name, records: n, seconds: (performance.now() - t0) / 1000 };
}

function plain(sync: boolean): Row {
  const path = join(base, `plain-${sync}.dat`);
  const fd = openSync(path, 'a');
  try {
    return timed(sync ? 'plain write + fdatasync' : 'plain write', () => {
      writeSync(fd, payload);
      if (sync) fdatasyncSync(fd);
    });
  } finally {
    closeSync(fd);
    rmSync(path);
  }
}

async function buffered(fsync: FsyncPolicy): Promise<Row> {
  const dir = join(base, `buf-${fsync}`);
  const buf = await open(dir, { fsync, maxBytes: 8 * 1024 * 1024 * 1024 });
  const row = timed(`diskbuffer fsync=${fsync}`, () => buf.append(payload));
  await buf.close();
  rmSync(dir, { recursive: true });
  return row;
}

function dropCaches(): string {
  try {
    execSync('sync');
    writeFileSync('/proc/sys/vm/drop_caches', '3');
    return 'page cache dropped (echo 3 > /proc/sys/vm/drop_caches)';
  } catch (err) {
    return `page cache NOT dropped (${(err as Error).message.split('\n')[0]}): freshly written file, likely cached`;
  }
}

async function drain(): Promise<{ row: Row; mb: number; note: string }> {
  const dir = join(base, 'drain');
  const n = Math.ceil((DRAIN_MB * 1024 * 1024) / RECORD);
  const w = await open(dir, { fsync: 'never', maxBytes: 16 * 1024 * 1024 * 1024 });
  for (let i = 0; i < n; i++) w.append(payload);
  await w.close();
  const note = dropCaches();
  const t0 = performance.now();
  const r = await open(dir, { fsync: 'never', maxBytes: 16 * 1024 * 1024 * 1024 });
  const openS = (performance.now() - t0) / 1000;
  let got = 0;
  let bytes = 0;
  for (;;) {
    const batch = r.read(256);
    if (batch.length === 0) break;
    for (const x of batch) bytes += x.bytes.length;
    got += batch.length;
    r.ack(batch[batch.length - 1]?.id as number);
  }
  const seconds = (performance.now() - t0) / 1000;
  await r.close();
  rmSync(dir, { recursive: true });
  if (got !== n) throw new Error(`drained ${got} of ${n}`);
  return {
    row: { case: `drain from cold (open ${openS.toFixed(2)} s incl.)`, records: got, seconds },
    mb: bytes / 1024 / 1024,
    note,
  };
}

function fmt(rows: Array<Row & { ratio?: string }>): string {
  const head = ['case', 'records', 'seconds', 'records/s', 'MB/s', 'vs plain'];
  const lines = rows.map((r) => [
    r.case,
    String(r.records),
    r.seconds.toFixed(2),
    (r.records / r.seconds).toFixed(0),
    ((r.records * RECORD) / r.seconds / 1024 / 1024).toFixed(1),
    r.ratio ?? '',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] as string).length)));
  const row = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(' | ')} |`;
  return [row(head), row(widths.map((w) => '-'.repeat(w))), ...lines.map(row)].join('\n');
}

try {
  console.log(`node ${process.version} ${process.platform}-${process.arch}, kernel ${release()}`);
  console.log(`cpu ${cpus()[0]?.model} x${cpus().length}, memory ${(totalmem() / 2 ** 30).toFixed(1)} GiB`);
  console.log(
    `dir ${base}; record ${RECORD} bytes; ≤ ${MAX_RECORDS} records or ${MAX_MS / 1000} s per case\n`,
  );
  const p = plain(false);
  const ps = plain(true);
  const rate = (r: Row) => r.records / r.seconds;
  const rows: Array<Row & { ratio?: string }> = [p, ps];
  for (const policy of ['never', 'interval', 'always'] as const) {
    const r = await buffered(policy);
    const peer = policy === 'always' ? ps : p;
    rows.push({ ...r, ratio: `${(rate(r) / rate(peer)).toFixed(2)}× ${peer.case}` });
  }
  const d = await drain();
  rows.push({ ...d.row, ratio: `${(d.mb / d.row.seconds).toFixed(0)} MB/s payload` });
  console.log(fmt(rows));
  console.log(`\ndrain: ${d.mb.toFixed(0)} MiB; ${d.note}`);
} finally {
  rmSync(base, { recursive: true, force: true });
}
