/**
 * Records held in memory while the disk refuses writes (ENOSPC, EROFS, EIO…), oldest first, bounded by
 * bytes. Ids in it are consecutive (records leave only from the head: written back to disk, acked, or
 * dropped as the oldest when the bound is hit), so writing them back keeps a segment's ids gap-free.
 */
import type { DiskBufferStats, Entry } from './options.ts';

export class MemoryOverflow {
  readonly #maxBytes: number;
  readonly #retryMs: number;
  #items: Entry[] = [];
  #bytes = 0;
  /** Set while the disk refuses writes: appends come here. */
  degraded: DiskBufferStats['degraded'];
  #lastRetry = 0;

  constructor(maxBytes: number, retryMs: number) {
    this.#maxBytes = maxBytes;
    this.#retryMs = retryMs;
  }

  /** Whether appends must come here (degraded, or older records are still here: order is kept). */
  get active(): boolean {
    return this.degraded !== undefined || this.#items.length > 0;
  }

  /** Marks the disk as refusing writes since `nowMono` (the first refusal's time is kept). */
  refuse(code: string, message: string, nowMono: number): void {
    this.#lastRetry = nowMono;
    this.degraded = { code, message, sinceMonoMs: this.degraded?.sinceMonoMs ?? nowMono };
  }

  /** Whether the disk should be tried again now (at most every retryIntervalMs, unless `force`). */
  due(nowMono: number, force: boolean): boolean {
    if (!this.active || (!force && nowMono - this.#lastRetry < this.#retryMs)) return false;
    this.#lastRetry = nowMono;
    return true;
  }

  get length(): number {
    return this.#items.length;
  }

  get bytes(): number {
    return this.#bytes;
  }

  get items(): readonly Entry[] {
    return this.#items;
  }

  /** Adds `e` at the tail; returns what had to go (oldest first, possibly `e` itself) to stay bounded. */
  push(e: Entry): Entry[] {
    this.#items.push(e);
    this.#bytes += e.size;
    const dropped: Entry[] = [];
    while (this.#bytes > this.#maxBytes && this.#items.length > 0) dropped.push(this.shift() as Entry);
    return dropped;
  }

  peek(): Entry | undefined {
    return this.#items[0];
  }

  shift(): Entry | undefined {
    const e = this.#items.shift();
    if (e) this.#bytes -= e.size;
    return e;
  }

  /** Forgets the records with ids ≤ `id` (acknowledged). */
  ackThrough(id: number): void {
    while (this.#items[0] && this.#items[0].id <= id) this.shift();
  }

  /** Empties the queue, returning what it held. */
  clear(): Entry[] {
    const all = this.#items;
    this.#items = [];
    this.#bytes = 0;
    return all;
  }
}
