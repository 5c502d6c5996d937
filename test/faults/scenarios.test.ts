/**
 * Sluice's promise under faults: every scenario runs the pipeline as separate processes under a steady
 * load, injects its faults, waits for the drain and compares every rollup with the ground truth.
 * One row per scenario; any row with a loss or a double fails the run.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { until } from '../support/wait.ts';
import { formatRows, Harness, killStack, type Row, rss, stackPid, stackUp } from './harness.ts';

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
  opts: Parameters<Harness['start']>[0] & { harnessEnv?: Record<string, string>; drainMs?: number } = {},
): Promise<Row> {
  const h = new Harness(opts.harnessEnv);
  try {
    await h.start(opts);
    h.load.start();
    const notes = (await inject(h)) ?? '';
    await h.load.stop();
    const row = await h.drain(name, notes, opts.drainMs);
    rows.push(row);
    console.log(formatRows([row]));
    return row;
  } finally {
    await h.close();
  }
}

/** 0 lost and 0 doubled in the 1-minute and in the 1-hour documents. */
function ok(row: Row): void {
  const { lost, doubled, counted, lost1h, doubled1h, counted1h } = row;
  expect({ lost, doubled, counted, lost1h, doubled1h, counted1h }, row.diagnosis).toEqual({
    lost: 0,
    doubled: 0,
    counted: row.sent,
    lost1h: 0,
    doubled1h: 0,
    counted1h: row.sent,
  });
}

describe('fault harness', () => {
  it(
    '1. kill -9 of the processor, several times, including mid-transaction',
    async () => {
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
    },
    T,
  );

  it(
    '4. kill -9 of the Kafka broker, then restart',
    async () => {
      const row = await scenario('4 broker kill -9', async () => {
        await pause(4000);
        await killStack('kafka');
        await pause(3000); // the broker stays down a while: ingest answers 503, agents retry
        const t = Date.now();
        await stackUp();
        return `broker down ~${Math.round((Date.now() - t) / 1000) + 3} s`;
      });
      ok(row);
    },
    T,
  );

  it(
    '2. kill -9 of connect between its bulk write and its offset commit',
    async () => {
      const row = await scenario(
        '2 connect kill -9 after write',
        async (h) => {
          await h.restartedOnce('connect'); // its failpoint fires on the 3rd range, under load
          await pause(3000);
          await h.kill9('connect'); // and once more at a random point
          await h.restart('connect', { SLUICE_FAILPOINTS: 'connect.after-write=2' });
          await pause(4000);
          return `failpoint after the bulk write, twice; restarts ${h.get('connect').restarts + 1}; skipped by the guard ${await h.metric('connect', 'sluice_connect_duplicates_skipped_total')} since the last restart`;
        },
        { env: { connect: { SLUICE_FAILPOINTS: 'connect.after-write=3' } } },
      );
      ok(row);
    },
    T,
  );

  it(
    '3. kill -9 of ingest with requests in flight (agents retry: duplicates)',
    async () => {
      const row = await scenario(
        '3 ingest kill -9',
        async (h) => {
          await h.restartedOnce('ingest'); // died after Kafka's ack, before its answer
          await pause(3000);
          await h.kill9('ingest');
          await pause(1000);
          await h.restart('ingest');
          await pause(3000);
          const dups = await h.metric('processor', 'sluice_processor_duplicates_skipped_total');
          return `after-produce failpoint + kill -9; duplicates skipped by (agentId, seq): ${dups}`;
        },
        { env: { ingest: { SLUICE_FAILPOINTS: 'ingest.after-produce=40' } } },
      );
      ok(row);
    },
    T,
  );

  it(
    '5. the store stopped for 60 s, then killed and restarted',
    async () => {
      let refusedWhileStopped = 0;
      const connectRss = { before: 0, during: 0 };
      const row = await scenario(
        '5 store SIGSTOP 60 s + kill -9',
        async (h) => {
          await pause(3000);
          const store = stackPid('ferretdb');
          const connectPid = h.get('connect').proc!.child.pid!;
          connectRss.before = rss(connectPid).rss;
          const refusedBefore = [...h.load.refusals.values()].reduce((a, b) => a + b, 0);
          process.kill(store, 'SIGSTOP');
          try {
            const until60 = Date.now() + 60_000;
            while (Date.now() < until60) {
              await pause(2000);
              connectRss.during = Math.max(connectRss.during, rss(connectPid).rss);
            }
          } finally {
            process.kill(store, 'SIGCONT');
          }
          refusedWhileStopped = [...h.load.refusals.values()].reduce((a, b) => a + b, 0) - refusedBefore;
          await pause(3000);
          await killStack('ferretdb');
          await stackUp();
          await pause(3000);
          return `ingest non-204 while stopped: ${refusedWhileStopped}; connect RSS ${connectRss.before.toFixed(0)} → max ${connectRss.during.toFixed(0)} MB`;
          // FerretDB writes one document at a time: the 60 s backlog took 111–183 s to drain on this
          // machine. The bound leaves room above that.
        },
        { drainMs: 360_000 },
      );
      ok(row);
      expect(refusedWhileStopped).toBe(0);
      // connect does not grow while the store is away: lag stays in Kafka.
      expect(connectRss.during).toBeLessThan(connectRss.before + 64);
    },
    T,
  );

  it(
    '6. Redis down for the whole run: ingest → rollups unaffected',
    async () => {
      const row = await scenario(
        '6 redis down',
        async () => {
          await pause(10_000);
          return 'REDIS_URL → a closed port for every service';
        },
        { harnessEnv: { REDIS_URL: 'redis://127.0.0.1:1' } },
      );
      ok(row);
    },
    T,
  );

  it(
    '7. a zombie processor: frozen past its session, partitions moved, then resumed',
    async () => {
      const row = await scenario(
        '7 zombie processor',
        async (h) => {
          await pause(4000);
          h.signal('processor', 'SIGSTOP');
          // Past the 10 s session timeout: the group moves every partition to processor1.
          await until(
            'processor1 to own every partition',
            async () => (await h.metric('processor1', 'sluice_processor_partitions')) === 4,
            { timeoutMs: 60_000, everyMs: 500 },
          );
          await pause(3000);
          h.signal('processor', 'SIGCONT');
          await pause(6000);
          const fenced = await h.metric('processor', 'sluice_processor_sessions_total', {
            reason: 'restart',
          });
          return `zombie resumed after its partitions moved; its sessions restarted ${fenced}`;
        },
        { processors: 2 },
      );
      ok(row);
    },
    T,
  );

  it(
    '8. a processor restarted onto a large backlog stays under its memory bound',
    async () => {
      let peak = 0;
      let early = 0;
      const row = await scenario(
        '8 backlog catch-up',
        async (h) => {
          await h.load.stop();
          await h.kill9('processor');
          // Ten minutes of the steady load (400 samples/s): 240,000 samples, sent as fast as ingest takes them.
          h.load.start(120);
          await h.load.finish();
          await h.restart('processor');
          const pid = h.get('processor').proc!.child.pid!;
          const watch = setInterval(() => {
            try {
              peak = Math.max(peak, rss(pid).peak);
            } catch {}
          }, 200);
          try {
            await until(
              'the backlog to be processed',
              async () =>
                (await h.metric('processor', 'sluice_processor_consumer_lag')) === 0 &&
                (await h.metric('processor', 'sluice_processor_records_total')) > 0,
              { timeoutMs: 300_000, everyMs: 500 },
            );
          } finally {
            clearInterval(watch);
          }
          early = await h.metric('processor', 'sluice_processor_flushes_total', { cause: 'full' });
          return `peak RSS ${peak.toFixed(0)} MB (bound 512); flushes on a full map: ${early}`;
        },
        {
          // One-second logical steps: few buckets per series, so the store (FerretDB: one document at a time) drains in time.
          load: { agents: 40, series: 50, intervalMs: 0, stepMs: 1000 },
          env: {
            processor: {
              SLUICE_PROCESSOR_MAX_ENTRIES: '2000',
              SLUICE_PROCESSOR_MAX_BYTES: String(64 << 20),
            },
          },
        },
      );
      ok(row);
      expect(peak).toBeLessThan(512);
      expect(early).toBeGreaterThan(0);
    },
    T,
  );
});
