/**
 * The few filesystem calls the disk buffer makes, behind one interface, so tests can inject ENOSPC,
 * EROFS, EIO, short writes and crash points deterministically (and the driver never imports node:fs
 * directly). All calls are synchronous: the buffer's API is synchronous (the agent appends inside one
 * synchronous block, see agent/agent.ts), and at one payload per interval a blocking fsync is the cost
 * we chose to pay (agent-buffer-notes §4.1).
 */
import * as fs from 'node:fs';

export interface FileSystem {
  mkdir(path: string): void;
  readdir(path: string): string[];
  /** Size in bytes, or undefined when the path does not exist. */
  size(path: string): number | undefined;
  readFile(path: string): Uint8Array;
  /**
   * Reads up to `length` bytes of `path` from byte `position` (default 0) into `into` (no allocation: the
   * disk buffer's segment reads go through a few reused buffers, bufpool.ts); returns how many were read
   * (fewer at EOF).
   */
  readInto(path: string, into: Uint8Array, length: number, position?: number): number;
  /** Opens for appending writes ('a') or creates exclusively ('wx'), or reads a directory ('r'). */
  open(path: string, flags: 'a' | 'wx' | 'w' | 'r'): number;
  /** Writes at the end; may write fewer bytes than given (the caller loops). */
  write(fd: number, data: Uint8Array, offset: number, length: number): number;
  fsync(fd: number): void;
  fdatasync(fd: number): void;
  ftruncate(fd: number, length: number): void;
  truncate(path: string, length: number): void;
  close(fd: number): void;
  rename(from: string, to: string): void;
  unlink(path: string): void;
}

export const nodeFs: FileSystem = {
  mkdir: (p) => {
    fs.mkdirSync(p, { recursive: true });
  },
  readdir: (p) => fs.readdirSync(p),
  size: (p) => {
    try {
      return fs.statSync(p).size;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  },
  readFile: (p) => fs.readFileSync(p),
  readInto: (p, into, length, position = 0) => {
    const fd = fs.openSync(p, 'r');
    try {
      let n = 0;
      while (n < length) {
        const got = fs.readSync(fd, into, n, length - n, position + n);
        if (got === 0) break;
        n += got;
      }
      return n;
    } finally {
      fs.closeSync(fd);
    }
  },
  open: (p, flags) => fs.openSync(p, flags),
  write: (fd, data, offset, length) => fs.writeSync(fd, data, offset, length),
  fsync: (fd) => fs.fsyncSync(fd),
  fdatasync: (fd) => fs.fdatasyncSync(fd),
  ftruncate: (fd, length) => fs.ftruncateSync(fd, length),
  truncate: (p, length) => fs.truncateSync(p, length),
  close: (fd) => fs.closeSync(fd),
  rename: (from, to) => fs.renameSync(from, to),
  unlink: (p) => fs.unlinkSync(p),
};

/** Errors that mean "the disk cannot take writes now": degrade to memory and retry later. */
const UNWRITABLE = new Set(['ENOSPC', 'EROFS', 'EACCES', 'EPERM', 'EDQUOT', 'EIO', 'EFBIG']);

export function errnoOf(err: unknown): string | undefined {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

export function isUnwritable(err: unknown): boolean {
  const code = errnoOf(err);
  return code !== undefined && UNWRITABLE.has(code);
}

/** Writes all of `data` at the end of `fd`, looping over short writes. */
export function writeAll(fsys: FileSystem, fd: number, data: Uint8Array): void {
  let off = 0;
  while (off < data.length) {
    const n = fsys.write(fd, data, off, data.length - off);
    if (n <= 0) throw Object.assign(new Error('write made no progress'), { code: 'EIO' });
    off += n;
  }
}

/** fsync of a directory, so that a create, rename or unlink in it survives a power cut. */
export function fsyncDir(fsys: FileSystem, dir: string): void {
  const fd = fsys.open(dir, 'r');
  try {
    fsys.fsync(fd);
  } finally {
    fsys.close(fd);
  }
}

/** Replaces `path` atomically and durably: temp + fsync + rename + fsync of the directory. */
export function writeFileAtomic(fsys: FileSystem, dir: string, path: string, data: Uint8Array): void {
  const tmp = `${path}.tmp`;
  const fd = fsys.open(tmp, 'w');
  try {
    writeAll(fsys, fd, data);
    fsys.fsync(fd);
  } finally {
    fsys.close(fd);
  }
  fsys.rename(tmp, path);
  fsyncDir(fsys, dir);
}
