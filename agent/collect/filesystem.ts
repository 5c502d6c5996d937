/**
 * Filesystems: the mount list from mountinfo (pure), and statfs of each mount with a timeout that never
 * stacks a second statfs on a mount whose first one still hangs (a hung NFS mount would otherwise take
 * libuv's thread pool, and with it every file operation of the agent).
 */
import { gauge, type Point } from '../model.ts';

export interface Mount {
  device: string;
  mountpoint: string;
  fstype: string;
  /** mountinfo field 3 */
  majorMinor: string;
  options: string;
  superOptions: string;
}

function unescapeOctal(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(Number.parseInt(oct, 8)));
}

/** Parses /proc/<pid>/mountinfo. Lines without the ` - ` separator are skipped. */
export function parseMountinfo(text: string): Mount[] {
  const out: Mount[] = [];
  for (const line of text.split('\n')) {
    const sep = line.indexOf(' - ');
    if (sep < 0) continue;
    const pre = line.slice(0, sep).split(' ');
    const post = line
      .slice(sep + 3)
      .trim()
      .split(' ');
    if (pre.length < 6 || post.length < 2) continue;
    out.push({
      majorMinor: pre[2] as string,
      mountpoint: unescapeOctal(pre[4] as string),
      options: pre[5] as string,
      fstype: post[0] as string,
      device: unescapeOctal(post[1] as string),
      superOptions: post[post.length - 1] as string,
    });
  }
  return out;
}

export interface MountFilter {
  mountExclude?: RegExp | undefined;
  fstypeExclude?: RegExp | undefined;
  /** Host root as seen by the agent ('/' normally): stripped from mount points, mounts outside skipped. */
  rootfs: string;
}

/**
 * Applies the rootfs prefix, the mount-point and fs-type excludes, then deduplicates identical
 * (device, mountpoint, fstype) — bind mounts and over-mounts list the same one twice.
 */
export function selectMounts(mounts: Mount[], f: MountFilter): Mount[] {
  const root = f.rootfs.replace(/\/+$/, '');
  const seen = new Set<string>();
  const out: Mount[] = [];
  for (const m of mounts) {
    let mountpoint = m.mountpoint;
    if (root) {
      if (mountpoint !== root && !mountpoint.startsWith(`${root}/`)) continue;
      mountpoint = mountpoint.slice(root.length) || '/';
    }
    if (f.mountExclude?.test(mountpoint) || f.fstypeExclude?.test(m.fstype)) continue;
    const key = `${m.device}\0${mountpoint}\0${m.fstype}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ ...m, mountpoint });
  }
  return out;
}

export interface StatfsResult {
  bsize: number;
  blocks: number;
  bfree: number;
  bavail: number;
  files: number;
  ffree: number;
}

function isReadonly(m: Mount): boolean {
  const opts = `${m.options},${m.superOptions}`.split(',');
  return opts.includes('ro') || m.superOptions.split(',').includes('emergency_ro');
}

/** Points of one mount; `stat` undefined = statfs failed or timed out (only readonly and device_error). */
export function filesystemPoints(m: Mount, stat: StatfsResult | undefined, error?: string): Point[] {
  const labels = { device: m.device, mountpoint: m.mountpoint, fstype: m.fstype };
  const errLabels = { ...labels, device_error: stat ? '' : (error ?? 'error') };
  const out: Point[] = [
    gauge('node_filesystem_readonly', isReadonly(m) ? 1 : 0, errLabels),
    gauge('node_filesystem_device_error', stat ? 0 : 1, errLabels),
  ];
  if (stat) {
    out.push(
      gauge('node_filesystem_size_bytes', stat.blocks * stat.bsize, labels),
      gauge('node_filesystem_free_bytes', stat.bfree * stat.bsize, labels),
      gauge('node_filesystem_avail_bytes', stat.bavail * stat.bsize, labels),
      gauge('node_filesystem_files', stat.files, labels),
      gauge('node_filesystem_files_free', stat.ffree, labels),
    );
  }
  return out;
}

export type StatfsFn = (path: string) => Promise<StatfsResult>;

/**
 * statfs with a timeout. A mount whose statfs is still pending is "stuck": it is reported as an error
 * without starting another statfs until the pending one settles.
 */
export class StatfsGuard {
  readonly #statfs: StatfsFn;
  readonly #timeoutMs: number;
  readonly #pending = new Set<string>();

  constructor(statfs: StatfsFn, timeoutMs: number) {
    this.#statfs = statfs;
    this.#timeoutMs = timeoutMs;
  }

  get stuck(): number {
    return this.#pending.size;
  }

  async stat(path: string): Promise<{ ok: true; stat: StatfsResult } | { ok: false; error: string }> {
    if (this.#pending.has(path)) return { ok: false, error: 'statfs still pending (stuck mount)' };
    this.#pending.add(path);
    const call = this.#statfs(path).finally(() => this.#pending.delete(path));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.#timeoutMs);
    });
    try {
      const r = await Promise.race([call, timeout]);
      if (r === 'timeout') {
        call.catch(() => {});
        return { ok: false, error: `statfs timed out after ${this.#timeoutMs} ms` };
      }
      return { ok: true, stat: r };
    } catch (err) {
      return { ok: false, error: (err as NodeJS.ErrnoException).code ?? String(err) };
    } finally {
      clearTimeout(timer);
    }
  }
}
