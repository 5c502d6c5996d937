/**
 * The host collector: reads /proc and /sys (roots configurable) once per pass and turns them into
 * points with the pure parsers. Each collector fails alone: its error is recorded, the others go on
 * (a missing source means missing series, never zeros).
 */
import { readdir, readFile, statfs } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { gauge, type Point } from '../model.ts';
import { filesystemPoints, parseMountinfo, StatfsGuard, selectMounts } from './filesystem.ts';
import { NETCLASS_FILES, type NetclassFiles, netclassPoints } from './netclass.ts';
import {
  PRESSURE,
  bootTime as parseBootTime,
  parseDiskstats,
  parseFileNr,
  parseLoadavg,
  parseMeminfo,
  parseNetDev,
  parsePressure,
  parseSingle,
  parseStat,
  parseVmstat,
} from './procfs.ts';

export interface HostCollectorOptions {
  procRoot: string;
  sysRoot: string;
  rootfs: string;
  diskExclude?: RegExp | undefined;
  mountExclude?: RegExp | undefined;
  fstypeExclude?: RegExp | undefined;
  netdevExclude?: RegExp | undefined;
  statfsTimeoutMs: number;
  /** uname(2) strings; default from node:os (tests inject fixed ones). */
  uname?: () => Record<'sysname' | 'release' | 'version' | 'machine' | 'nodename', string>;
}

export interface CollectorResult {
  name: string;
  ok: boolean;
  error?: string;
  durationS: number;
}

export interface Pass {
  points: Point[];
  collectors: CollectorResult[];
  /** `btime` read this pass (Unix seconds), if /proc/stat was readable. */
  bootTime: number | undefined;
}

async function readOrUndefined(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

function timeZone(now: Date): Point {
  const name =
    new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' })
      .formatToParts(now)
      .find((p) => p.type === 'timeZoneName')?.value ?? '';
  return gauge('node_time_zone_offset_seconds', -now.getTimezoneOffset() * 60, { time_zone: name });
}

export class HostCollector {
  readonly #o: HostCollectorOptions;
  readonly #statfs: StatfsGuard;

  constructor(o: HostCollectorOptions) {
    this.#o = o;
    this.#statfs = new StatfsGuard(statfs, o.statfsTimeoutMs);
  }

  /** Mounts whose statfs is still pending. */
  get stuckMounts(): number {
    return this.#statfs.stuck;
  }

  #proc(...p: string[]): string {
    return join(this.#o.procRoot, ...p);
  }

  #sys(...p: string[]): string {
    return join(this.#o.sysRoot, ...p);
  }

  /** One pass; `nowMs` is the pass timestamp (node_time_seconds). */
  async collect(nowMs: number): Promise<Pass> {
    const o = this.#o;
    let bootTime: number | undefined;
    const collectors: Array<[string, () => Promise<Point[]>]> = [
      [
        'stat',
        async () => {
          const text = await readFile(this.#proc('stat'), 'utf8');
          const points = parseStat(text);
          bootTime = parseBootTime(text);
          return points;
        },
      ],
      ['loadavg', async () => parseLoadavg(await readFile(this.#proc('loadavg'), 'utf8'))],
      ['meminfo', async () => parseMeminfo(await readFile(this.#proc('meminfo'), 'utf8'))],
      ['time', async () => [gauge('node_time_seconds', nowMs / 1000), timeZone(new Date(nowMs))]],
      ['uname', async () => this.#uname()],
      ['diskstats', async () => this.#diskstats()],
      ['filesystem', async () => this.#filesystems()],
      ['netdev', async () => parseNetDev(await readFile(this.#proc('net/dev'), 'utf8'), o.netdevExclude)],
      ['netclass', async () => this.#netclass()],
      ['pressure', async () => this.#pressure()],
      ['filefd', async () => parseFileNr(await readFile(this.#proc('sys/fs/file-nr'), 'utf8'))],
      ['vmstat', async () => parseVmstat(await readFile(this.#proc('vmstat'), 'utf8'))],
      [
        'entropy',
        async () => [
          ...parseSingle(
            'node_entropy_available_bits',
            await readFile(this.#proc('sys/kernel/random/entropy_avail'), 'utf8'),
          ),
          ...parseSingle(
            'node_entropy_pool_size_bits',
            await readFile(this.#proc('sys/kernel/random/poolsize'), 'utf8'),
          ),
        ],
      ],
    ];
    const results = await Promise.all(
      collectors.map(async ([name, run]) => {
        const t0 = performance.now();
        try {
          const points = await run();
          return { points, r: { name, ok: true, durationS: (performance.now() - t0) / 1000 } };
        } catch (err) {
          const error = (err as NodeJS.ErrnoException).code ?? String(err);
          return { points: [], r: { name, ok: false, error, durationS: (performance.now() - t0) / 1000 } };
        }
      }),
    );
    return {
      points: results.flatMap((x) => x.points),
      collectors: results.map((x) => x.r),
      bootTime,
    };
  }

  async #uname(): Promise<Point[]> {
    const u = this.#o.uname?.() ?? {
      sysname: os.type(),
      release: os.release(),
      version: os.version(),
      machine: os.machine(),
      nodename: os.hostname(),
    };
    const domainname = (await readOrUndefined(this.#proc('sys/kernel/domainname')))?.trim() ?? '';
    return [gauge('node_uname_info', 1, { ...u, domainname })];
  }

  async #diskstats(): Promise<Point[]> {
    const { points, devices } = parseDiskstats(
      await readFile(this.#proc('diskstats'), 'utf8'),
      this.#o.diskExclude,
    );
    for (const d of devices) {
      const rotational = (await readOrUndefined(this.#sys('block', d.device, 'queue/rotational')))?.trim();
      points.push(
        gauge('node_disk_info', 1, {
          device: d.device,
          major: d.major,
          minor: d.minor,
          rotational: rotational ?? '',
        }),
      );
    }
    return points;
  }

  async #filesystems(): Promise<Point[]> {
    const text =
      (await readOrUndefined(this.#proc('1/mountinfo'))) ??
      (await readFile(this.#proc('self/mountinfo'), 'utf8'));
    const mounts = selectMounts(parseMountinfo(text), {
      rootfs: this.#o.rootfs,
      mountExclude: this.#o.mountExclude,
      fstypeExclude: this.#o.fstypeExclude,
    });
    const rootPrefix = this.#o.rootfs.replace(/\/+$/, '');
    const stats = await Promise.all(mounts.map((m) => this.#statfs.stat(rootPrefix + m.mountpoint)));
    return mounts.flatMap((m, i) => {
      const s = stats[i];
      return s?.ok ? filesystemPoints(m, s.stat) : filesystemPoints(m, undefined, s?.error);
    });
  }

  async #netclass(): Promise<Point[]> {
    const out: Point[] = [];
    for (const device of (await readdir(this.#sys('class/net'))).sort()) {
      const files: NetclassFiles = {};
      await Promise.all(
        NETCLASS_FILES.map(async (f) => {
          const v = await readOrUndefined(this.#sys('class/net', device, f));
          if (v !== undefined) files[f] = v;
        }),
      );
      const points = netclassPoints(device, files);
      // rx_nohandler belongs with /proc/net/dev's counters, so it follows that filter.
      out.push(
        ...points.filter(
          (p) => p.name !== 'node_network_receive_nohandler_total' || !this.#o.netdevExclude?.test(device),
        ),
      );
    }
    return out;
  }

  async #pressure(): Promise<Point[]> {
    const out: Point[] = [];
    let found = 0;
    for (const resource of Object.keys(PRESSURE)) {
      try {
        out.push(...parsePressure(resource, await readFile(this.#proc('pressure', resource), 'utf8')));
        found++;
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        // psi=0 at boot: the files exist but reading fails; the whole family goes.
        if (code === 'EOPNOTSUPP') return [];
        if (code !== 'ENOENT') throw err;
      }
    }
    if (found === 0) throw Object.assign(new Error('no /proc/pressure'), { code: 'ENOENT' });
    return out;
  }
}
