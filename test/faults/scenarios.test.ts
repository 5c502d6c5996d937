/**
 * Sluice's promise under faults: every scenario runs the pipeline as separate processes under a steady
 * load, injects its faults, waits for the drain and compares every rollup with the ground truth.
 * One row per scenario; any row with a loss or a double fails the run.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { until } from '../support/wait.ts';
import { formatRows, Harness, type Row, rss, stackPid, stackUp } from './harness.ts';

const rows: Row[] = [];
const T = 20 * 60_000;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

afterAll(() => {
  console.log(`\nfault harness (${new Date().toISOString()})\n${formatRows(rows)}\n`);
});

/** Runs one scenario: start, load, `inject` while loaded, stop the load, drain, record, assert. */
async function scenario(
  name: string,
  inject: (h: Harness) => Promise<string | undefined>,
  opts: Parameters<Harness['start']>[0] & { harnessEnv?: Record<string, string> } = {},
): Promise<Row> {
  const h = new Harness(opts.harnessEnv);
  try {
    await h.start(opts);
    h.load.start();
    const notes = (await inject(h)) ?? '';
    await h.load.stop();
    const row = await h.drain(name, notes);
    rows.push(row);
    return row;
  } finally {
    await h.close();
  }
}

function ok(row: Row): void {
  expect({ lost: row.lost, doubled: row.doubled, counted: row.counted }).toEqual({ lost: 0, doubled: 0, counted: row.sent });
}

describe('fault harness', () => {
  it('1. kill -9 of the processor, several times, including mid-transaction', async () => {
    const row = await scenario('1 processor kill -9', async (h) => {
      // Random points, reproducibly: the delays come from the scenario's own sequence.
      for (const delay of [3000, 5500, 2200]) {
        await pause(delay); // the load runs meanwhile: this is the fault schedule, not a synchronisation
        await h.kill9('processor');
        await h.restart('processor');
      }
      // Mid-transaction: rollups and offsets sent, the commit not (a failpoint kills it there).
      await h.kill9('processor');
      await h.restart('processor', { SLUICE_FAILPOINTS: 'processor.before-commit=3' });
      await h.restartedOnce('processor');
      await pause(2000);
      return `4 kills (1 between sendOffsets and commit); sessions restarted ${h.get('processor').restarts}`;
    });
    ok(row);
  }, T);

  it('4. kill -9 of the Kafka broker, then restart', async () => {
    const row = await scenario('4 broker kill -9', async () => {
      await pause(4000);
      process.kill(stackPid('kafka'), 'SIGKILL');
      await pause(3000); // the broker stays down a while: ingest answers 503, agents retry
      const t = Date.now();
      await stackUp();
      return `broker down ~${Math.round((Date.now() - t) / 1000) + 3} s`;
    });
    ok(row);
  }, T);
});
