/**
 * A big backlog (agent-buffer-notes §5.11): a disk buffer holding BACKLOG_MIB of 21 KiB payloads (the
 * size of one pass of this host; default 256 MiB here, 1024 for the full test:
 * `BACKLOG_MIB=1024 npx vitest run test/agent/backlog.test.ts`), then, in a child process that only
 * opens and drains it:
 * - open finishes in < 5 s;
 * - RSS through open and drain: the child's VmHWM (its peak) against its RSS after imports and a GC
 *   (the parent also samples VmRSS every 50 ms). The target, idle + 64 MiB whatever the backlog, is NOT
 *   met yet, and this test holds the bound that is: RSS_GUARD_MIB. Measured on the 2-core dev VM:
 *   +59 MiB at 64 MiB of backlog, +100..108 at 256 MiB, +122..143 at 1 GiB, +158 at 2 GiB (open alone:
 *   +41, +88, +108..115, +148; the drain alone, after a GC: +105 at 1 GiB). Two causes in the library:
 *   every segment is read whole (8 MiB) into a new buffer, at open and again when the reader reaches
 *   it, and V8 collects those only once ~64 MB of external memory has piled up; and recovery keeps
 *   every record's header (two objects per record) for all segments until it is done, which grows
 *   with the backlog. Fixes: one reused read buffer in recovery, compact per-segment id/offset arrays,
 *   and segment buffers returned to a small pool once all their records are acknowledged.
 *   Lower RSS_GUARD_MIB as they land.
 * - the drain (read + ack, segments unlinked as they empty) reads ≥ 50 MB/s from a cold page cache:
 *   the segment files' pages are written back and dropped per file (`dd iflag=nocache`, i.e.
 *   posix_fadvise DONTNEED, checked with fincore) before the open and again before the drain, since the
 *   open reads every segment once.
 * Every payload comes back, in order, byte for byte. Free disk space is checked first (2× the backlog).
 * The two time bounds are divided by the machine's load beyond its cores (see the assertions): the
 * figures are printed, and bench/README.md has them from quiet runs.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statfsSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { open } from '../../agent/diskbuffer/index.ts';
import { until } from '../support/wait.ts';

const MIB = 1024 * 1024;
const BACKLOG_MIB = Number(process.env.BACKLOG_MIB ?? 256);
const PAYLOAD = 21 * 1024;
/** The RSS growth this test allows (see the header: the target is 64). */
const RSS_GUARD_MIB = 176;
const RECORDS = Math.ceil((BACKLOG_MIB * MIB) / PAYLOAD);
const ROOT = new URL('../../', import.meta.url).pathname;
const cleanup: Array<() => void> = [];
afterEach(() => {
  for (const f of cleanup.splice(0).reverse()) f();
});

/** Payload `i` (1-based): its number, then a byte pattern of it. */
function payload(i: number, into: Uint8Array): Uint8Array {
  into.fill(i & 0xff);
  new DataView(into.buffer, into.byteOffset).setUint32(0, i, true);
  return into;
}

/** Writes the segment files' dirty pages back and drops them from the page cache; bytes still cached. */
function dropCache(dir: string): number {
  const files = readdirSync(dir)
    .filter((n) => n.startsWith('seg-'))
    .map((n) => join(dir, n));
  execFileSync('sync', files);
  for (const f of files) execFileSync('dd', [`if=${f}`, 'iflag=nocache', 'count=0', 'status=none']);
  const res = execFileSync('fincore', ['--bytes', '--noheadings', '--output', 'RES', ...files], {
    encoding: 'utf8',
  });
  return res
    .split('\n')
    .filter(Boolean)
    .reduce((n, l) => n + Number(l.trim()), 0);
}

const CHILD = `
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
const { open } = await import(${JSON.stringify(join(ROOT, 'agent/diskbuffer/index.ts'))});
const status = (k) => Number(new RegExp(k + ':\\\\s+(\\\\d+)').exec(readFileSync('/proc/self/status', 'utf8'))[1]) * 1024;
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const say = (s) => process.stdout.write(s + '\\n');
globalThis.gc();
say('idle ' + status('VmRSS'));
await lines.next();
let t0 = performance.now();
const buf = await open(process.env.DIR, { maxBytes: 64 * 1024 ** 3, fsync: 'never' });
const st = buf.stats();
say('opened ' + (performance.now() - t0) + ' ' + st.records + ' ' + st.diskBytes + ' ' + status('VmHWM') + ' ' + status('VmRSS'));
await lines.next();
t0 = performance.now();
let n = 0, bytes = 0, bad = 0;
for (;;) {
  const got = buf.read(64);
  if (got.length === 0) break;
  for (const r of got) {
    n++;
    bytes += r.bytes.length;
    const v = new DataView(r.bytes.buffer, r.bytes.byteOffset, r.bytes.byteLength);
    if (r.bytes.length !== ${PAYLOAD} || v.getUint32(0, true) !== n || r.bytes[${PAYLOAD} - 1] !== (n & 0xff)) bad++;
  }
  buf.ack(got[got.length - 1].id);
}
say('drained ' + (performance.now() - t0) + ' ' + n + ' ' + bytes + ' ' + bad + ' ' + buf.stats().segments);
await buf.close();
say('hwm ' + status('VmHWM'));
`;

it(`a ${BACKLOG_MIB} MiB backlog: open < 5 s, RSS < idle + ${RSS_GUARD_MIB} MiB (target 64), cold drain ≥ 50 MB/s`, {
  timeout: 600_000,
}, async () => {
  const base = tmpdir();
  const fs = statfsSync(base);
  const free = fs.bavail * fs.bsize;
  expect(
    free,
    `free space in ${base}: ${(free / MIB).toFixed(0)} MiB, need 2× ${BACKLOG_MIB} MiB`,
  ).toBeGreaterThan(2 * BACKLOG_MIB * MIB);
  const dir = mkdtempSync(join(base, 'sluice-backlog-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));

  const t0 = performance.now();
  const w = await open(dir, { maxBytes: 64 * 1024 ** 3, fsync: 'never' });
  const scratch = new Uint8Array(PAYLOAD);
  for (let i = 1; i <= RECORDS; i++) {
    const t = Date.UTC(2026, 0, 1) + i * 15_000;
    w.append(payload(i, scratch), { samples: 300, minTimeMs: t, maxTimeMs: t });
  }
  await w.close();
  const writeS = (performance.now() - t0) / 1000;
  expect(dropCache(dir)).toBe(0);

  const child: ChildProcess = spawn(process.execPath, ['--expose-gc', '--input-type=module', '-e', CHILD], {
    env: { ...process.env, DIR: dir },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  cleanup.push(() => child.kill('SIGKILL'));
  let out = '';
  child.stdout?.on('data', (d) => (out += d));
  const line = (word: string) =>
    until(
      word,
      () =>
        out
          .split('\n')
          .find((l) => l.startsWith(`${word} `))
          ?.split(' ')
          .slice(1)
          .map(Number),
      {
        timeoutMs: 300_000,
        everyMs: 20,
      },
    );
  let peakRss = 0;
  const sampler = setInterval(() => {
    try {
      const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      peakRss = Math.max(peakRss, Number(m?.[1]) * 1024);
    } catch {
      // exited
    }
  }, 50);
  cleanup.push(() => clearInterval(sampler));

  const [idle] = (await line('idle')) as [number];
  child.stdin?.write('open\n');
  const [openMs, records, diskBytes, openHwm, openRss] = (await line('opened')) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const cachedAfterOpen = dropCache(dir);
  child.stdin?.write('drain\n');
  const [drainMs, drained, bytes, bad, segmentsLeft] = (await line('drained')) as number[];
  const [hwm] = (await line('hwm')) as [number];
  const drainMBs = (bytes as number) / 1e6 / ((drainMs as number) / 1000); // MB = 10^6 bytes
  console.log(
    `${BACKLOG_MIB} MiB backlog (${RECORDS} × ${PAYLOAD} B, ${(diskBytes / MIB).toFixed(0)} MiB of segments): ` +
      `written in ${writeS.toFixed(1)} s; open ${(openMs / 1000).toFixed(2)} s; cold drain ${((drainMs as number) / 1000).toFixed(2)} s = ${drainMBs.toFixed(0)} MB/s; ` +
      `RSS idle ${(idle / MIB).toFixed(1)} MiB, after open ${((openRss as number) / MIB).toFixed(1)} MiB (peak ${((openHwm as number) / MIB).toFixed(1)}), peak ${(hwm / MIB).toFixed(1)} MiB (VmHWM; sampled ${(peakRss / MIB).toFixed(1)} MiB); ` +
      `page cache dropped again after open (${(cachedAfterOpen / MIB).toFixed(0)} MiB left)`,
  );
  expect(records).toBe(RECORDS);
  expect([drained, bytes, bad]).toEqual([RECORDS, RECORDS * PAYLOAD, 0]);
  expect(segmentsLeft).toBeLessThanOrEqual(1);
  // Time bounds scale with how far the shared 2-core machine is loaded beyond its cores (1-minute load
  // average / cores, at least 1): other test files run at the same time (e.g. 100 lock contenders).
  const slack = Math.max(1, (loadavg()[0] ?? 0) / availableParallelism());
  console.log(`time bounds × ${slack.toFixed(2)} (load average ${loadavg()[0]?.toFixed(2)})`);
  expect(openMs).toBeLessThan(5000 * slack);
  expect(hwm - idle).toBeLessThan(RSS_GUARD_MIB * MIB);
  expect(peakRss - idle).toBeLessThan(RSS_GUARD_MIB * MIB);
  expect(drainMBs).toBeGreaterThanOrEqual(50 / slack);
});
