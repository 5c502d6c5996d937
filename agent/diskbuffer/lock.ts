/**
 * One process per buffer directory.
 *
 * The lock itself is held by the kernel, not by a timestamp: on Linux we bind an abstract Unix socket
 * named after the directory's real path (`\0sluice-diskbuffer:<sha256>`). A second bind of the same name
 * fails with EADDRINUSE, in this process or any other in the same network namespace, and the kernel
 * releases it the instant the holder dies (kill -9 included). So a SIGSTOPped or suspended holder still
 * holds it, and no clock jump can make a live lock look old (agent-buffer-notes §4.12; the reason not to
 * use mtime-based locks such as proper-lockfile).
 *
 * The `LOCK` file only says who holds it, for the error message: `{pid, bootId, startTicks}`. It is also
 * a second guard where the socket cannot see the holder (another network namespace on a shared volume,
 * or a platform without abstract sockets): a LOCK naming another process that is alive refuses the open.
 * A LOCK is stale, and is taken over, when its pid is not running (kill(pid, 0) → ESRCH), or the machine
 * rebooted since (boot id differs), or the pid now belongs to a different process (its start time in
 * /proc/<pid>/stat, in clock ticks since boot, differs: pid reuse). None of these reads a wall clock.
 */
import { createHash } from 'node:crypto';
import { readFileSync, realpathSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { SluiceError } from '../../common/errors.ts';
import { type FileSystem, writeFileAtomic } from './fsys.ts';

export const LOCK_FILE = 'LOCK';

export interface LockInfo {
  pid: number;
  bootId: string | undefined;
  startTicks: number | undefined;
}

/** The disk buffer directory is held by another live process. */
export class BufferLockedError extends SluiceError {
  readonly dir: string;
  readonly holderPid: number | undefined;
  constructor(dir: string, holderPid: number | undefined) {
    super(
      'SLC_ERR_DISKBUFFER_LOCKED',
      `disk buffer directory ${dir} is locked by ${holderPid === undefined ? 'another process (pid unknown)' : `pid ${holderPid}`}`,
    );
    this.dir = dir;
    this.holderPid = holderPid;
  }
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

export function bootId(): string | undefined {
  return readText('/proc/sys/kernel/random/boot_id')?.trim();
}

/** Field 22 of /proc/<pid>/stat: the process start time in clock ticks after boot. */
export function startTicks(pid: number): number | undefined {
  const stat = readText(`/proc/${pid}/stat`);
  if (!stat) return undefined;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const v = Number(fields[19]);
  return Number.isFinite(v) ? v : undefined;
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function readLockInfo(dir: string): LockInfo | undefined {
  try {
    const o = JSON.parse(readText(join(dir, LOCK_FILE)) ?? '');
    if (!Number.isInteger(o.pid) || o.pid <= 0) return undefined;
    return { pid: o.pid, bootId: o.bootId ?? undefined, startTicks: o.startTicks ?? undefined };
  } catch {
    return undefined;
  }
}

/** Whether the process a LOCK file names is still the one that wrote it (see the file header). */
export function holderAlive(info: LockInfo): boolean {
  if (!running(info.pid)) return false;
  const boot = bootId();
  if (info.bootId && boot && info.bootId !== boot) return false;
  const ticks = startTicks(info.pid);
  if (info.startTicks !== undefined && ticks !== undefined && info.startTicks !== ticks) return false;
  return true;
}

export interface Lock {
  /** What the LOCK file said before we took the directory (a stale holder), if anything. */
  readonly tookOverFrom: LockInfo | undefined;
  release(): Promise<void>;
}

/** The abstract socket name that is the lock of the directory whose real path is `real`. */
export function lockSocketName(real: string): string {
  return `sluice-diskbuffer:${createHash('sha256').update(real).digest('hex').slice(0, 40)}`;
}

function bindAbstract(name: string): Promise<Server | 'busy'> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') resolve('busy');
      else reject(err);
    });
    server.listen({ path: `\0${name}` }, () => {
      server.unref();
      resolve(server);
    });
  });
}

/** How long a refused opener waits for the LOCK file to name the live holder (see liveHolder). */
const HOLDER_WAIT_MS = 2000;

/**
 * The pid of the process holding `dir`, for the refusal's message. The winner of a simultaneous start
 * writes LOCK just after it binds the socket, so a loser can read the previous holder's LOCK (a dead
 * pid) or none: it waits, bounded (monotonic clock), for LOCK to name a live process. Undefined when
 * none does by then: "pid unknown" rather than a dead pid.
 */
async function liveHolder(dir: string): Promise<number | undefined> {
  const deadline = performance.now() + HOLDER_WAIT_MS;
  for (;;) {
    const info = readLockInfo(dir);
    if (info && holderAlive(info)) return info.pid;
    if (performance.now() >= deadline) return undefined;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Takes the directory or throws {@link BufferLockedError}. Writing the LOCK info is best effort (a
 * read-only directory still gets a buffer, degraded to memory; the socket is the lock).
 */
export async function acquireLock(fsys: FileSystem, dir: string): Promise<Lock> {
  const real = realpathSync(dir);
  let server: Server | undefined;
  if (process.platform === 'linux') {
    const got = await bindAbstract(lockSocketName(real));
    if (got === 'busy') throw new BufferLockedError(dir, await liveHolder(dir));
    server = got;
  }
  const previous = readLockInfo(dir);
  if (previous && previous.pid !== process.pid && holderAlive(previous)) {
    server?.close();
    throw new BufferLockedError(dir, previous.pid);
  }
  const mine: LockInfo = { pid: process.pid, bootId: bootId(), startTicks: startTicks(process.pid) };
  try {
    writeFileAtomic(fsys, dir, join(dir, LOCK_FILE), Buffer.from(`${JSON.stringify(mine)}\n`));
  } catch {
    // Best effort: see above.
  }
  let released: Promise<void> | undefined;
  return {
    tookOverFrom: previous && previous.pid !== process.pid ? previous : undefined,
    release: () => {
      released ??= new Promise<void>((resolve) => {
        if (readLockInfo(dir)?.pid === process.pid) {
          try {
            fsys.unlink(join(dir, LOCK_FILE));
          } catch {
            // Already gone or read-only: a leftover LOCK of a dead pid is stale by definition.
          }
        }
        if (server) server.close(() => resolve());
        else resolve();
      });
      return released;
    },
  };
}
