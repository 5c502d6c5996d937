import { describe, expect, it } from 'vitest';
import { Merger, rollupId } from '../../connect/merge.ts';

const base = { seriesId: 'sid1', tenant: 't', name: 'x_total', labels: [{ name: 'a', value: '1' }], res: 60 };

describe('Merger', () => {
  it('merges the deltas of one document into one guarded upsert', () => {
    const m = new Merger();
    m.add({
      ...base,
      kind: 2,
      endMs: 120_000,
      n: 2,
      sum: 10,
      sumsq: 52,
      min: 4,
      max: 6,
      inc: 3,
      resets: 0,
      first: { t: 70_000, v: 4, d: 1, r: false },
      last: { t: 80_000, v: 6, d: 2, tp: 70_000 },
    });
    m.add({
      ...base,
      kind: 2,
      endMs: 120_000,
      n: 1,
      sum: 1,
      sumsq: 1,
      min: 1,
      max: 1,
      inc: 1,
      resets: 1,
      first: { t: 61_000, v: 1, d: 1, r: true },
      last: { t: 61_000, v: 1, d: 1, tp: 50_000 },
    });
    expect(m.size).toBe(1);
    const ops = m.ops(3, 10, 12, { 60: 1000 });
    expect([...ops.keys()]).toEqual([60]);
    expect(ops.get(60)).toEqual([
      {
        updateOne: {
          filter: { _id: 'sid1:0000000060000', 'o.3': { $not: { $gte: 10 } } },
          update: {
            $setOnInsert: {
              sid: 'sid1',
              tenant: 't',
              name: 'x_total',
              kind: 'counter',
              start: new Date(60_000),
              exp: new Date(121_000),
            },
            $inc: { n: 3, sum: 11, sumsq: 53, inc: 4, resets: 1 },
            $min: { min: 1, first: { t: 61_000, v: 1, d: 1, r: true } },
            $max: { max: 6, last: { t: 80_000, v: 6, d: 2, tp: 70_000 } },
            $set: { 'o.3': 12 },
          },
          upsert: true,
        },
      },
    ]);
  });

  it('keeps resolutions and buckets apart and maintains the series document', () => {
    const m = new Merger();
    m.add({
      ...base,
      kind: 1,
      endMs: 120_000,
      n: 1,
      sum: 2,
      sumsq: 4,
      min: 2,
      max: 2,
      first: { t: 100_000, v: 2 },
      last: { t: 100_000, v: 2 },
    });
    m.add({
      ...base,
      kind: 1,
      endMs: 180_000,
      n: 1,
      sum: 3,
      sumsq: 9,
      min: 3,
      max: 3,
      first: { t: 130_000, v: 3 },
      last: { t: 130_000, v: 3 },
    });
    m.add({
      ...base,
      kind: 1,
      res: 3600,
      endMs: 3_600_000,
      n: 2,
      sum: 5,
      sumsq: 13,
      min: 2,
      max: 3,
      first: { t: 100_000, v: 2 },
      last: { t: 130_000, v: 3 },
    });
    const ops = m.ops(0, 5, 5, { 60: 0, 3600: 0 });
    expect(ops.get(60)?.map((o) => ('updateOne' in o ? o.updateOne.filter._id : ''))).toEqual([
      rollupId('sid1', 60_000),
      rollupId('sid1', 120_000),
    ]);
    expect(ops.get(3600)?.map((o) => ('updateOne' in o ? o.updateOne.filter._id : ''))).toEqual([
      rollupId('sid1', 0),
    ]);
    expect(m.seriesOps()).toEqual([
      {
        updateOne: {
          filter: { _id: 'sid1' },
          update: {
            $setOnInsert: { tenant: 't', name: 'x_total', labels: { a: '1' }, kind: 'gauge' },
            $min: { firstSeen: new Date(0) },
            $max: { lastSeen: new Date(3_600_000) },
          },
          upsert: true,
        },
      },
    ]);
  });

  it('adds histogram buckets', () => {
    const m = new Merger();
    m.add({ ...base, kind: 3, endMs: 60_000, n: 1, hc: 3, hs: 4.5, hz: 1, hp: { 1: 2 }, hn: {} });
    m.add({ ...base, kind: 3, endMs: 60_000, n: 1, hc: 1, hs: 0.5, hz: 0, hp: { 1: 1, 4: 1 }, hn: { 2: 1 } });
    const op = m.ops(0, 1, 1, {}).get(60)?.[0];
    expect(op && 'updateOne' in op ? op.updateOne.update : undefined).toMatchObject({
      $inc: { n: 2, hc: 4, hs: 5, hz: 1, 'hp.1': 3, 'hp.4': 1, 'hn.2': 1 },
    });
  });
});
