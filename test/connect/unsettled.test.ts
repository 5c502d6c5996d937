/**
 * Against a private FerretDB process that the test stops (SIGSTOP) and resumes: connect's store writes
 * are never abandoned by the client and never re-issued while an earlier attempt is unsettled, so a
 * range written while the store was stopped applies exactly once (fault scenario 5's double).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyGuardedUpserts,
  type BulkOutcome,
  connectStore,
  type Doc,
  guardedUpsert,
  type Store,
} from '../../common/mongo.ts';
import { UnsettledWrites, type Waiting } from '../../connect/unsettled.ts';
import { freePort } from '../support/pipeline.ts';
import { until } from '../support/wait.ts';

const root = new URL('../../', import.meta.url).pathname;

/** A consumer session's side of the wait: counts its heartbeats; `ended` stands for a rebalance. */
function session(): Waiting & { ticks: number; ended: boolean } {
  const s = {
    ticks: 0,
    ended: false,
    tickMs: 100,
    running: () => !s.ended,
    heartbeat: async () => {
      s.ticks++;
    },
  };
  return s;
}

let ferret: ChildProcess;
let dir: string;
let url: string;
const stores: Store[] = [];

beforeAll(async () => {
  const bin = execFileSync('bash', [join(root, 'scripts/stack'), 'ferretdb-binary'], {
    encoding: 'utf8',
  }).trim();
  dir = mkdtempSync(join(tmpdir(), 'sluice-ferret-'));
  const port = await freePort();
  ferret = spawn(
    bin,
    ['-listen-addr', `127.0.0.1:${port}`, '-sqlite-url', `file:${dir}/`, '-log-level', 'error'],
    {
      stdio: 'ignore',
    },
  );
  url = `mongodb://127.0.0.1:${port}/`;
  const s = await until(
    'the private FerretDB to accept connections',
    () =>
      connectStore(url, 'unsettled', { client: { serverSelectionTimeoutMS: 500 } }).catch(() => undefined),
    { timeoutMs: 60_000, everyMs: 200 },
  );
  stores.push(s);
}, 120_000);

afterAll(async () => {
  ferret?.kill('SIGCONT');
  for (const s of stores) await s.client.close(true).catch(() => undefined);
  ferret?.kill('SIGKILL');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('store writes to a stopped FerretDB', () => {
  it('are waited for, never abandoned nor re-issued, and apply exactly once', async () => {
    // The writer as connect opens it; a short connect timeout that neverAbandon must override, and a
    // frequent monitor so an abandoning client shows itself quickly.
    const fast = { connectTimeoutMS: 1000, heartbeatFrequencyMS: 500, serverSelectionTimeoutMS: 60_000 };
    const writer = await connectStore(url, 'unsettled', { neverAbandon: true, client: fast });
    // The control: the same client without neverAbandon, as connect had it before.
    const abandoning = await connectStore(url, 'unsettled', { client: fast });
    stores.push(writer, abandoning);
    expect(writer.backend.kind).toBe('ferretdb');

    const coll = writer.db.collection<Doc>('docs');
    await coll.insertMany([
      { _id: 'a', n: 10, o: { 0: 4 } },
      { _id: 'b', n: 20, o: { 0: 4 } },
    ]);
    const control = abandoning.db.collection<Doc>('control');
    await control.insertOne({ _id: 'x', n: 1 });
    // Range 5..7 of partition 0: +1 on a and b, and a new document c.
    const ops = ['a', 'b', 'c'].map((id) => guardedUpsert(id, 0, { from: 5, to: 7 }, { $inc: { n: 1 } }));
    let issued = 0;
    // The first attempt is caught by the stop with its update of `a` on the wire (its guard read done).
    const updateOfA = (): Promise<unknown> => {
      issued++;
      return coll.updateOne({ _id: 'a' }, { $inc: { n: 1 }, $set: { 'o.0': 7 } });
    };
    const whole = (): Promise<BulkOutcome> => {
      issued++;
      return applyGuardedUpserts(coll, ops, writer.backend);
    };
    const gate = new UnsettledWrites();

    process.kill(ferret.pid!, 'SIGSTOP');
    const firstSession = session();
    const first = gate.run(0, updateOfA, firstSession);
    // The control client gives up on the same kind of request while the store is stopped (its
    // monitor's heartbeat times out and the pool interrupts in-use connections)...
    let controlOutcome: string | undefined;
    void control.updateOne({ _id: 'x' }, { $inc: { n: 1 } }).then(
      () => {
        controlOutcome = 'answered';
      },
      (err: Error) => {
        controlOutcome = err.name;
      },
    );
    await until('the control request to end', () => controlOutcome, { timeoutMs: 60_000 });
    expect(controlOutcome).toBe('PoolClearedOnNetworkError');
    // ...while connect's writer still waits on its one attempt.
    expect(gate.has(0)).toBe(true);
    expect(issued).toBe(1);

    // The session ends (a rebalance, say) while the attempt is unanswered.
    firstSession.ended = true;
    expect(await first).toEqual({ settled: false });
    expect(gate.has(0)).toBe(true);
    const ticksWhenEnded = firstSession.ticks;

    // A later session's sink in the same process waits for it before its own attempt.
    const secondSession = session();
    const second = gate.run(0, whole, secondSession);
    await until('the second writer to wait a few ticks', () => secondSession.ticks >= 5, {
      timeoutMs: 30_000,
    });
    expect(issued).toBe(1);
    expect(firstSession.ticks).toBe(ticksWhenEnded);

    process.kill(ferret.pid!, 'SIGCONT');
    // The second attempt, issued only after the first was answered, finds a's guard set.
    expect(await second).toEqual({ settled: true, ok: true, value: { applied: 2, alreadyApplied: 1 } });
    expect(issued).toBe(2);
    expect(gate.size).toBe(0);
    const docs = await coll.find({}, { sort: { _id: 1 } }).toArray();
    expect(docs.map((d) => [d._id, d.n, (d.o as Record<string, number>)['0']])).toEqual([
      ['a', 11, 7],
      ['b', 21, 7],
      ['c', 1, 7],
    ]);
    // The hazard itself: the request the control client abandoned (it got an error) still applied
    // once the store resumed. A retry issued after that error would have applied a second time.
    await until(
      'the abandoned request to apply',
      async () => (await control.findOne({ _id: 'x' }))?.n === 2,
      {
        timeoutMs: 30_000,
      },
    );
  }, 120_000);

  it('an attempt that fails is retried only after it settled, and a settled key is free at once', async () => {
    const gate = new UnsettledWrites();
    const w = { running: () => true, heartbeat: async () => undefined, tickMs: 1000 };
    const failed = await gate.run(3, () => Promise.reject(new Error('boom')), w);
    expect(failed.settled && !failed.ok && (failed.error as Error).message).toBe('boom');
    expect(gate.has(3)).toBe(false);
    expect(await gate.run(3, async () => 42, w)).toEqual({ settled: true, ok: true, value: 42 });
    expect(await gate.idle(3, w)).toBe(true);
  });
});
