import { describe, expect, it } from 'vitest';
import { DedupState } from '../../processor/dedup.ts';

const fresh = (maxRanges = 100) => new DedupState({ maxRanges, horizonMs: 1000 });

describe('DedupState', () => {
  it('remembers every applied seq, including lower ones after higher ones', () => {
    const d = fresh();
    for (const s of [1, 2, 3, 10, 11, 5]) d.add('a', s, 0);
    expect([1, 2, 3, 5, 10, 11].every((s) => d.has('a', s))).toBe(true);
    expect([0, 4, 6, 9, 12].some((s) => d.has('a', s))).toBe(false);
    expect(d.has('b', 1)).toBe(false);
    expect(d.takeChanges()).toEqual([
      ['a', { agentId: 'a', floor: 0, rangeStart: [1, 5, 10], rangeEnd: [3, 5, 11], lastMs: 0 }],
    ]);
    d.add('a', 4, 7);
    d.add('a', 0, 7);
    // 0..5 is now contiguous from the floor: it folds into the floor.
    expect(d.takeChanges()).toEqual([
      ['a', { agentId: 'a', floor: 6, rangeStart: [10], rangeEnd: [11], lastMs: 7 }],
    ]);
    expect(d.takeChanges()).toEqual([]);
  });

  it('merges a seq that closes a gap between two ranges', () => {
    const d = fresh();
    for (const s of [10, 12]) d.add('a', s, 0);
    d.add('a', 11, 0);
    expect(d.takeChanges()[0]?.[1]).toMatchObject({ rangeStart: [10], rangeEnd: [12] });
  });

  it('round-trips through its persisted form', () => {
    const d = fresh();
    for (const s of [3, 4, 9]) d.add('x', s, 5);
    const restored = fresh();
    for (const [id, rec] of d.takeChanges()) restored.load(id, rec);
    expect([3, 4, 9].map((s) => restored.has('x', s))).toEqual([true, true, true]);
    expect([2, 5, 8, 10].map((s) => restored.has('x', s))).toEqual([false, false, false, false]);
  });

  it('gives up the oldest gap past maxRanges, and counts it', () => {
    const d = fresh(2);
    for (const s of [2, 4, 6]) d.add('a', s, 0);
    // Ranges [2,2] [4,4] [6,6] > 2: the gap below 2 and [2,2] fold into the floor 3.
    expect(d.gapsForgotten).toBe(1);
    expect(d.has('a', 1)).toBe(true);
    expect(d.has('a', 3)).toBe(false);
    expect(d.takeChanges()[0]?.[1]).toMatchObject({ floor: 3, rangeStart: [4, 6], rangeEnd: [4, 6] });
  });

  it('forgets agents idle past the horizon with a tombstone', () => {
    const d = fresh();
    d.add('old', 1, 0);
    d.add('new', 1, 900);
    d.takeChanges();
    expect(d.expire(1500)).toBe(1);
    expect(d.takeChanges()).toEqual([['old', null]]);
    expect(d.has('old', 1)).toBe(false);
    expect(d.has('new', 1)).toBe(true);
  });
});
