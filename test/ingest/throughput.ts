/**
 * Rough single-process ingest throughput over loopback, against the stack's Kafka:
 *
 *     node test/ingest/throughput.ts            # PAYLOADS=3000 SERIES=200 CONCURRENCY=32 GZIP=0
 *
 * Spawns `node scripts/sluice.ts ingest` (its own process, a random topic prefix), sends a bounded
 * number of valid payloads from this process with undici, and prints payloads/s, samples/s and latency
 * percentiles. Client, ingest and Kafka share this machine's cores, so this is a floor, not a ceiling.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { cpus } from 'node:os';
import { gzipSync } from 'node:zlib';
import { Pool } from 'undici';
import { serviceAddresses } from '../../common/services.ts';
import { uniqueName, until } from '../support/wait.ts';
import { encode, gaugeSeries } from './payloads.ts';

const PAYLOADS = Number(process.env.PAYLOADS ?? 3000);
const SERIES = Number(process.env.SERIES ?? 200);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 32);
const GZIP = process.env.GZIP === '1';

const port = await new Promise<number>((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const p = (s.address() as { port: number }).port;
    s.close(() => resolve(p));
  });
});
const url = `http://127.0.0.1:${port}`;
const child = spawn(
  process.execPath,
  [new URL('../../scripts/sluice.ts', import.meta.url).pathname, 'ingest'],
  {
    env: {
      ...process.env,
      KAFKA_BROKERS: serviceAddresses().kafkaBrokers.join(','),
      SLUICE_TOPIC_PREFIX: `${uniqueName('bench')}.`,
      SLUICE_INGEST_LISTEN: `127.0.0.1:${port}`,
      LOG_LEVEL: 'error',
    },
    stdio: 'inherit',
  },
);
try {
  await until('ingest ready', () =>
    fetch(`${url}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    ),
  );
  const pool = new Pool(url, { connections: CONCURRENCY });
  const now = Date.now();
  const bodies = Array.from({ length: 64 }, (_, a) => {
    const series = Array.from({ length: SERIES }, (_, i) =>
      gaugeSeries(`bench_metric_${i % 20}`, now - 1000, i, { host: `h${a}`, device: `d${i}` }),
    );
    const raw = encode({ agentId: `agent-${a}`, seq: 1, series });
    return GZIP ? gzipSync(raw) : raw;
  });
  const headers = {
    authorization: 'Bearer dev-key',
    'content-type': 'application/x-protobuf',
    ...(GZIP ? { 'content-encoding': 'gzip' } : {}),
  };
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < PAYLOADS) {
        const i = next++;
        const s = performance.now();
        const r = await pool.request({
          path: '/v1/ingest',
          method: 'POST',
          headers,
          body: bodies[i % bodies.length],
        });
        await r.body.dump();
        latencies.push(performance.now() - s);
        statuses.set(r.statusCode, (statuses.get(r.statusCode) ?? 0) + 1);
      }
    }),
  );
  const secs = (performance.now() - t0) / 1000;
  await pool.close();
  latencies.sort((a, b) => a - b);
  const pct = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!.toFixed(1);
  const bytes = bodies.reduce((n, b) => n + b.length, 0) / bodies.length;
  console.log(`node ${process.version}, ${cpus().length} × ${cpus()[0]?.model}`);
  console.log(
    '| payloads | series | bytes/payload | gzip | concurrency | payloads/s | samples/s | p50 ms | p99 ms | statuses |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  console.log(
    `| ${PAYLOADS} | ${SERIES} | ${Math.round(bytes)} | ${GZIP} | ${CONCURRENCY} | ${Math.round(PAYLOADS / secs)} | ${Math.round((PAYLOADS * SERIES) / secs)} | ${pct(0.5)} | ${pct(0.99)} | ${JSON.stringify(Object.fromEntries(statuses))} |`,
  );
} finally {
  child.kill('SIGTERM');
}
