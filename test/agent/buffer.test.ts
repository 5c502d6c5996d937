import { describe, expect, it } from 'vitest';
import { type DropReason, MemoryQueue } from '../../agent/buffer.ts';

const b = (n: number, fill = n) => new Uint8Array(n).fill(fill);

function queue(maxBytes: number, maxPayloads: number) {
  const drops: Array<[number, DropReason]> = [];
  const q = new MemoryQueue({
    maxBytes,
    maxPayloads,
    onDrop: (bytes, reason) => drops.push([bytes[0]!, reason]),
  });
  return { q, drops };
}

describe('MemoryQueue', () => {
  it('read peeks in order without removing; ack removes', () => {
    const { q } = queue(1000, 10);
    q.append(b(10, 1));
    q.append(b(20, 2));
    q.append(b(30, 3));
    expect(q.read(2).map((x) => x.bytes[0])).toEqual([1, 2]);
    expect(q.read(2).map((x) => x.bytes[0])).toEqual([1, 2]);
    expect([q.count, q.bytes]).toEqual([3, 60]);
    const [first, second] = q.read(2);
    q.ack(second!.id); // out of order ack
    expect(q.read(5).map((x) => x.bytes[0])).toEqual([1, 3]);
    q.ack(first!.id);
    q.ack(first!.id); // twice: no-op
    expect(q.read(5).map((x) => x.bytes[0])).toEqual([3]);
    expect([q.count, q.bytes]).toEqual([1, 30]);
  });

  it('count bound drops the oldest and counts it', () => {
    const { q, drops } = queue(1000, 2);
    q.append(b(1, 1));
    q.append(b(1, 2));
    q.append(b(1, 3));
    expect(drops).toEqual([[1, 'queue_full']]);
    expect(q.read(5).map((x) => x.bytes[0])).toEqual([2, 3]);
  });

  it('byte bound drops as many oldest as needed; a payload above the bound is dropped itself', () => {
    const { q, drops } = queue(100, 100);
    q.append(b(40, 1));
    q.append(b(40, 2));
    q.append(b(90, 3));
    expect(drops).toEqual([
      [1, 'queue_full'],
      [2, 'queue_full'],
    ]);
    expect([q.count, q.bytes]).toEqual([1, 90]);
    q.append(b(101, 4));
    expect(drops.at(-1)).toEqual([4, 'too_large']);
    expect([q.count, q.bytes]).toEqual([1, 90]);
  });

  it('ack of a payload the bound dropped meanwhile is a no-op', () => {
    const { q } = queue(1000, 1);
    q.append(b(5, 1));
    const [head] = q.read(1);
    q.append(b(5, 2));
    q.ack(head!.id);
    expect(q.read(5).map((x) => x.bytes[0])).toEqual([2]);
    expect(q.bytes).toBe(5);
  });

  it('stays consistent over many appends and acks (compaction)', () => {
    const { q } = queue(1 << 30, 1 << 20);
    let acked = 0;
    for (let i = 0; i < 5000; i++) {
      q.append(b(3, i % 256));
      if (i % 2 === 1) {
        for (const x of q.read(2)) q.ack(x.id);
        acked += 2;
      }
    }
    expect(acked).toBe(5000);
    expect([q.count, q.bytes]).toEqual([0, 0]);
  });
});
