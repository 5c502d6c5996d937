/**
 * Pure parsers of /proc text files into node_exporter-named points (agent-metrics.md §3). No I/O: the
 * driver reads the files and hands their text here, so tests run them on fixtures.
 *
 * Missing fields mean missing series, never zeros (§2.3). Counters keep raw integers (§2.4).
 */
import {
  AS_IS,
  counter,
  gauge,
  isRaw,
  MICROS,
  MILLIS,
  type Point,
  parseRaw,
  SECTORS,
  TICKS,
  type Unit,
} from '../model.ts';

const CPU_MODES = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal'] as const;
const GUEST_MODES = ['user', 'nice'] as const;

function fields(line: string): string[] {
  return line.trim().split(/\s+/);
}

function num(s: string | undefined): number {
  return s === undefined || s.trim() === '' ? Number.NaN : Number(s);
}

/** /proc/stat: per-CPU times (not the aggregate `cpu` line), boot time, context switches, forks… */
export function parseStat(text: string): Point[] {
  const out: Point[] = [];
  for (const line of text.split('\n')) {
    const f = fields(line);
    const key = f[0];
    if (!key) continue;
    const cpu = /^cpu(\d+)$/.exec(key);
    if (cpu) {
      const labels = (mode: string) => ({ cpu: cpu[1] as string, mode });
      CPU_MODES.forEach((mode, i) => {
        const raw = parseRaw(f[i + 1]);
        if (isRaw(raw)) out.push(counter('node_cpu_seconds_total', raw, TICKS, labels(mode), 'cpu'));
      });
      GUEST_MODES.forEach((mode, i) => {
        const raw = parseRaw(f[i + 9]);
        if (isRaw(raw)) out.push(counter('node_cpu_guest_seconds_total', raw, TICKS, labels(mode), 'cpu'));
      });
      continue;
    }
    const scalar = (metric: string, isCounter: boolean) => {
      const raw = parseRaw(f[1]);
      if (!isRaw(raw)) return;
      out.push(isCounter ? counter(metric, raw) : gauge(metric, Number(raw)));
    };
    if (key === 'btime') scalar('node_boot_time_seconds', false);
    else if (key === 'ctxt') scalar('node_context_switches_total', true);
    else if (key === 'intr') scalar('node_intr_total', true);
    else if (key === 'processes') scalar('node_forks_total', true);
    else if (key === 'procs_running') scalar('node_procs_running', false);
    else if (key === 'procs_blocked') scalar('node_procs_blocked', false);
  }
  return out;
}

/** `btime` of /proc/stat (Unix seconds), to tell a reboot from an agent restart. */
export function bootTime(text: string): number | undefined {
  const m = /^btime\s+(\d+)$/m.exec(text);
  return m ? Number(m[1]) : undefined;
}

/** /proc/loadavg: fields 1–3. */
export function parseLoadavg(text: string): Point[] {
  const f = fields(text);
  const out: Point[] = [];
  ['node_load1', 'node_load5', 'node_load15'].forEach((name, i) => {
    const v = num(f[i]);
    if (Number.isFinite(v)) out.push(gauge(name, v));
  });
  return out;
}

/** /proc/meminfo: every line; `kB` → bytes with a `_bytes` suffix, unit-less lines as is. */
export function parseMeminfo(text: string): Point[] {
  const out: Point[] = [];
  for (const line of text.split('\n')) {
    const m = /^([^:\s]+):\s+(\d+)(?:\s+(kB))?\s*$/.exec(line);
    if (!m) continue;
    const key = (m[1] as string).replace(/\((.*)\)/, '_$1');
    const v = Number(m[2]);
    out.push(m[3] ? gauge(`node_memory_${key}_bytes`, v * 1024) : gauge(`node_memory_${key}`, v));
  }
  return out;
}

/** Column (1-based field) → metric of /proc/diskstats; 12 (I/Os in progress) is the one gauge. */
const DISK_FIELDS: Array<[number, string, Unit]> = [
  [4, 'node_disk_reads_completed_total', AS_IS],
  [5, 'node_disk_reads_merged_total', AS_IS],
  [6, 'node_disk_read_bytes_total', SECTORS],
  [7, 'node_disk_read_time_seconds_total', MILLIS],
  [8, 'node_disk_writes_completed_total', AS_IS],
  [9, 'node_disk_writes_merged_total', AS_IS],
  [10, 'node_disk_written_bytes_total', SECTORS],
  [11, 'node_disk_write_time_seconds_total', MILLIS],
  [13, 'node_disk_io_time_seconds_total', MILLIS],
  [14, 'node_disk_io_time_weighted_seconds_total', MILLIS],
  [15, 'node_disk_discards_completed_total', AS_IS],
  [16, 'node_disk_discards_merged_total', AS_IS],
  [17, 'node_disk_discarded_sectors_total', AS_IS],
  [18, 'node_disk_discard_time_seconds_total', MILLIS],
  [19, 'node_disk_flush_requests_total', AS_IS],
  [20, 'node_disk_flush_requests_time_seconds_total', MILLIS],
];

export interface DiskDevice {
  device: string;
  major: string;
  minor: string;
}

/**
 * /proc/diskstats after the device exclude: 14, 18 or 20 fields, only the present ones; shorter lines
 * are skipped. Also returns the devices kept, for `node_disk_info`.
 */
export function parseDiskstats(
  text: string,
  exclude: RegExp | undefined,
): { points: Point[]; devices: DiskDevice[] } {
  const points: Point[] = [];
  const devices: DiskDevice[] = [];
  for (const line of text.split('\n')) {
    const f = fields(line);
    if (f.length < 14) continue;
    const [major, minor, device] = f as [string, string, string];
    if (exclude?.test(device)) continue;
    devices.push({ device, major, minor });
    const labels = { device };
    for (const [col, name, unit] of DISK_FIELDS) {
      const raw = parseRaw(f[col - 1]);
      if (isRaw(raw)) points.push(counter(name, raw, unit, labels));
    }
    const ioNow = num(f[11]);
    if (Number.isFinite(ioNow)) points.push(gauge('node_disk_io_now', ioNow, labels));
  }
  return { points, devices };
}

const NETDEV_COLUMNS = [
  'receive_bytes',
  'receive_packets',
  'receive_errs',
  'receive_drop',
  'receive_fifo',
  'receive_frame',
  'receive_compressed',
  'receive_multicast',
  'transmit_bytes',
  'transmit_packets',
  'transmit_errs',
  'transmit_drop',
  'transmit_fifo',
  'transmit_colls',
  'transmit_carrier',
  'transmit_compressed',
];

/** /proc/net/dev after the device exclude: 16 counters per interface. */
export function parseNetDev(text: string, exclude: RegExp | undefined): Point[] {
  const out: Point[] = [];
  for (const line of text.split('\n').slice(2)) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const device = line.slice(0, colon).trim();
    if (!device || exclude?.test(device)) continue;
    const f = fields(line.slice(colon + 1));
    NETDEV_COLUMNS.forEach((col, i) => {
      const raw = parseRaw(f[i]);
      if (isRaw(raw)) out.push(counter(`node_network_${col}_total`, raw, AS_IS, { device }));
    });
  }
  return out;
}

/** Which line of which /proc/pressure file feeds which metric (cpu `full` is not exported). */
export const PRESSURE: Record<string, Array<['some' | 'full', string]>> = {
  cpu: [['some', 'node_pressure_cpu_waiting_seconds_total']],
  memory: [
    ['some', 'node_pressure_memory_waiting_seconds_total'],
    ['full', 'node_pressure_memory_stalled_seconds_total'],
  ],
  io: [
    ['some', 'node_pressure_io_waiting_seconds_total'],
    ['full', 'node_pressure_io_stalled_seconds_total'],
  ],
  irq: [['full', 'node_pressure_irq_stalled_seconds_total']],
};

/** One /proc/pressure/<resource> file: `total=` in µs. */
export function parsePressure(resource: string, text: string): Point[] {
  const out: Point[] = [];
  for (const [kind, name] of PRESSURE[resource] ?? []) {
    const m = new RegExp(`^${kind}\\b.*\\btotal=(\\d+)`, 'm').exec(text);
    if (m) out.push(counter(name, parseRaw(m[1]), MICROS));
  }
  return out;
}

/** /proc/sys/fs/file-nr: allocated (1) and maximum (3). */
export function parseFileNr(text: string): Point[] {
  const f = fields(text);
  const out: Point[] = [];
  const allocated = num(f[0]);
  const maximum = num(f[2]);
  if (Number.isFinite(allocated)) out.push(gauge('node_filefd_allocated', allocated));
  if (Number.isFinite(maximum)) out.push(gauge('node_filefd_maximum', maximum));
  return out;
}

export const VMSTAT_INCLUDE = /^(oom_kill|pgpg|pswp|pg.*fault).*/;

/** /proc/vmstat lines matching the include regex, as counters named `node_vmstat_<name>`. */
export function parseVmstat(text: string, include: RegExp = VMSTAT_INCLUDE): Point[] {
  const out: Point[] = [];
  for (const line of text.split('\n')) {
    const [name, value] = fields(line);
    if (!name || !include.test(name)) continue;
    const raw = parseRaw(value);
    if (isRaw(raw)) out.push(counter(`node_vmstat_${name}`, raw));
  }
  return out;
}

/** A one-number file (entropy_avail, poolsize) as a gauge; nothing when it does not parse. */
export function parseSingle(name: string, text: string): Point[] {
  const v = num(text);
  return Number.isFinite(v) ? [gauge(name, v)] : [];
}
