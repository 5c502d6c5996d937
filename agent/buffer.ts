/**
 * The agent's payload buffer: where encoded payloads wait until ingest accepts them.
 *
 * Contract (agent/diskbuffer's DiskBuffer, which the agent process uses, implements the same interface;
 * MemoryQueue below is the in-memory one, for tests and embedding):
 * - `append(bytes, meta?)` adds one encoded payload at the tail (`meta`: its sample count and sample
 *   time range, so that a drop can be counted without decoding it). It never blocks and never fails for lack of
 *   room: when a bound (bytes or count) would be exceeded, the OLDEST payloads are dropped and counted
 *   (P2: the agent drops the oldest data and says so). A single payload larger than the byte bound is
 *   dropped itself.
 * - `read(max)` peeks at up to `max` payloads from the head, oldest first, without removing them: a
 *   payload stays until acknowledged, so a send that fails leaves it in place (head-of-line).
 * - `ackOne(id)` removes exactly that payload, in any order (the sender's live and backfill lanes finish
 *   out of order); `ack(id)` may be cumulative (the disk buffer's acks every id ≤ id).
 * - `ack(id)` removes a payload once ingest accepted it (or refused it for good). Acknowledging an id
 *   that is no longer there (dropped by the bound meanwhile) is a no-op. A payload the bound drops
 *   while its send is in flight is counted by that send's outcome when the consumer brackets the send
 *   with `sending(id)` … `sent(id)` (the disk buffer: not a drop if ackOne follows); without them it is
 *   counted at once, even if the send then succeeds (erring on the side of reporting a loss).
 * - `ackDropped(id, 'rejected_4xx')` removes it like ack, for a payload ingest refused for good, and
 *   counts it as dropped (the disk buffer persists the count with the ack; it travels in the agent's
 *   drop report, agent/drops.ts).
 *
 * Delivery: at-least-once from append to ack. A payload acknowledged by ingest whose ack did not happen
 * (crash between the two) is sent again with the same (agentId, seq); the processor's dedup absorbs it.
 * Durability across process death is the disk buffer's; MemoryQueue loses its content on exit.
 * Single-threaded use only (one event loop).
 */

export interface BufferedPayload {
  id: number;
  bytes: Uint8Array;
}

/** What a payload holds, for drop accounting (the disk buffer stores it in the record header). */
export interface PayloadMeta {
  samples: number;
  minTimeMs: number;
  maxTimeMs: number;
}

export interface PayloadBuffer {
  /** Returns the payload's id (0: dropped at once as too large, counted). */
  append(bytes: Uint8Array, meta?: PayloadMeta): number;
  read(max: number): BufferedPayload[];
  ack(id: number): void;
  /** Removes exactly this payload, wherever it is (the sender's lanes finish in any order). */
  ackOne(id: number): void;
  ackDropped(id: number, reason: 'rejected_4xx'): void;
  /**
   * Optional: the payload is being sent, until `sent(id)` (called whatever the outcome, after its ack).
   * A bounded buffer that evicts it meanwhile then counts it dropped only if no ack came (DiskBuffer).
   */
  sending?(id: number): void;
  sent?(id: number): void;
  /** Payloads waiting. */
  readonly count: number;
  /** Bytes waiting. */
  readonly bytes: number;
}

export type DropReason = 'queue_full' | 'too_large' | 'rejected_4xx';

export interface MemoryQueueOptions {
  maxBytes: number;
  maxPayloads: number;
  /** Called once per dropped payload (for metrics and logs). */
  onDrop?: (bytes: Uint8Array, reason: DropReason) => void;
}

/** A bounded in-memory FIFO implementing {@link PayloadBuffer}. */
export class MemoryQueue implements PayloadBuffer {
  readonly #o: MemoryQueueOptions;
  #items: BufferedPayload[] = [];
  #head = 0;
  #bytes = 0;
  #nextId = 1;

  constructor(o: MemoryQueueOptions) {
    this.#o = o;
  }

  get count(): number {
    return this.#items.length - this.#head;
  }

  get bytes(): number {
    return this.#bytes;
  }

  append(bytes: Uint8Array): number {
    if (bytes.length > this.#o.maxBytes) {
      this.#o.onDrop?.(bytes, 'too_large');
      return 0;
    }
    while (
      this.count > 0 &&
      (this.count + 1 > this.#o.maxPayloads || this.#bytes + bytes.length > this.#o.maxBytes)
    ) {
      const oldest = this.#shift();
      this.#o.onDrop?.(oldest.bytes, 'queue_full');
    }
    const id = this.#nextId++;
    this.#items.push({ id, bytes });
    this.#bytes += bytes.length;
    return id;
  }

  read(max: number): BufferedPayload[] {
    return this.#items.slice(this.#head, this.#head + Math.max(0, max));
  }

  ack(id: number): void {
    const head = this.#items[this.#head];
    if (head?.id === id) {
      this.#shift();
      return;
    }
    const i = this.#items.findIndex((x, j) => j >= this.#head && x.id === id);
    if (i < 0) return;
    this.#bytes -= (this.#items[i] as BufferedPayload).bytes.length;
    this.#items.splice(i, 1);
  }

  /** ack(id), then onDrop (MemoryQueue keeps no counters of its own). */
  ackDropped(id: number, reason: 'rejected_4xx'): void {
    const item = this.read(this.count).find((x) => x.id === id);
    this.ack(id);
    if (item) this.#o.onDrop?.(item.bytes, reason);
  }

  /** Here the same as ack(id): MemoryQueue's ack removes exactly one payload. */
  ackOne(id: number): void {
    this.ack(id);
  }

  #shift(): BufferedPayload {
    const item = this.#items[this.#head] as BufferedPayload;
    this.#items[this.#head] = undefined as never;
    this.#head++;
    this.#bytes -= item.bytes.length;
    // Compact now and then so the array does not grow with the history.
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }
}
