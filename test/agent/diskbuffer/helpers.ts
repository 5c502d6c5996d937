/** Shared helpers for the disk buffer tests: temp dirs, deterministic content, a faulty fs, a fake clock. */

import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  BufferedRecord,
  DiskBuffer,
  DropCounters,
  FileSystem,
} from '../../../agent/diskbuffer/index.ts';
import { nodeFs } from '../../../agent/diskbuffer/index.ts';
import { prng } from '../../support/prng.ts';

const dirs: string[] = [];

/** A fresh directory; `fast` puts it on tmpfs (/dev/shm) when there is one (for loops of many opens). */
export function tempDir(prefix = 'sluice-diskbuffer-', fast = false): string {
  const base = fast && existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  const d = mkdtempSync(join(base, prefix));
  dirs.push(d);
  return d;
}

export function removeTempDirs(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** The bytes a test appends as record number `n` (deterministic, 8..(8+spread) bytes, starts with n). */
export function content(n: number, spread = 200): Uint8Array {
  const r = prng(n * 7919 + 13);
  const b = new Uint8Array(8 + Math.floor(r() * spread));
  new DataView(b.buffer).setFloat64(0, n, true);
  for (let i = 8; i < b.length; i++) b[i] = Math.floor(r() * 256);
  return b;
}

/** The record number written by `content`, or -1 when the bytes are not exactly content(n). */
export function numberOf(bytes: Uint8Array, spread = 200): number {
  if (bytes.length < 8) return -1;
  const n = new DataView(bytes.buffer, bytes.byteOffset, 8).getFloat64(0, true);
  if (!Number.isSafeInteger(n) || n < 0) return -1;
  return Buffer.from(content(n, spread)).equals(Buffer.from(bytes)) ? n : -1;
}

/**
 * Reads and acks everything, `batch` at a time. The records' bytes are copied before the ack: read()'s
 * bytes are only valid until their record is acknowledged (the buffer reuses its read buffers).
 */
export function drain(buf: DiskBuffer, batch = 7): BufferedRecord[] {
  const out: BufferedRecord[] = [];
  for (;;) {
    const got = buf.read(batch);
    if (got.length === 0) return out;
    out.push(...got.map((r) => ({ ...r, bytes: r.bytes.slice() })));
    buf.ack((got[got.length - 1] as BufferedRecord).id);
  }
}

export function dropped(d: DropCounters): number {
  return Object.values(d).reduce((n, c) => n + c.records, 0);
}

export function segmentFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => /^seg-[0-9a-f]{16}\.log$/.test(n))
    .sort();
}

export function segmentBytes(dir: string): number {
  return segmentFiles(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
}

export class FakeClock {
  mono = 1_000;
  wall = Date.UTC(2026, 0, 1);
  monoMs = (): number => this.mono;
  wallMs = (): number => this.wall;
}

function errno(code: string, syscall: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: simulated, ${syscall}`), { code, syscall });
}

/**
 * A filesystem that fails on command: `budget` bytes of writes before ENOSPC (a write crossing it is
 * short, like the kernel's), `readOnly` (EROFS on anything that writes), `failFdatasync` (EIO on the
 * next n fdatasyncs). Reads always work.
 */
export class FaultyFs implements FileSystem {
  budget = Number.POSITIVE_INFINITY;
  readOnly = false;
  failFdatasync = 0;
  written = 0;
  readonly #fs: FileSystem = nodeFs;

  #writing(syscall: string): void {
    if (this.readOnly) throw errno('EROFS', syscall);
  }

  mkdir = (p: string): void => this.#fs.mkdir(p);
  readdir = (p: string): string[] => this.#fs.readdir(p);
  size = (p: string): number | undefined => this.#fs.size(p);
  readFile = (p: string): Uint8Array => this.#fs.readFile(p);
  readInto = (p: string, into: Uint8Array, length: number, position?: number): number =>
    this.#fs.readInto(p, into, length, position);
  open = (p: string, flags: 'a' | 'wx' | 'w' | 'r'): number => {
    if (flags !== 'r') this.#writing('open');
    return this.#fs.open(p, flags);
  };
  write = (fd: number, data: Uint8Array, offset: number, length: number): number => {
    this.#writing('write');
    const room = this.budget - this.written;
    if (room <= 0) throw errno('ENOSPC', 'write');
    const n = this.#fs.write(fd, data, offset, Math.min(length, room));
    this.written += n;
    return n;
  };
  fsync = (fd: number): void => this.#fs.fsync(fd);
  fdatasync = (fd: number): void => {
    if (this.failFdatasync > 0) {
      this.failFdatasync--;
      throw errno('EIO', 'fdatasync');
    }
    this.#fs.fdatasync(fd);
  };
  ftruncate = (fd: number, len: number): void => this.#fs.ftruncate(fd, len);
  truncate = (p: string, len: number): void => {
    this.#writing('truncate');
    this.#fs.truncate(p, len);
  };
  close = (fd: number): void => this.#fs.close(fd);
  rename = (a: string, b: string): void => {
    this.#writing('rename');
    this.#fs.rename(a, b);
  };
  unlink = (p: string): void => {
    this.#writing('unlink');
    this.#fs.unlink(p);
  };
}

/** A copy of `dir` in a fresh temp directory (to break it without touching the original). */
export function copyDir(dir: string): string {
  const d = tempDir('sluice-diskbuffer-copy-', true);
  cpSync(dir, d, { recursive: true });
  return d;
}

export { prng };
