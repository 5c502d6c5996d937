/**
 * Runs Sluice services as separate OS processes (`node scripts/sluice.ts <service>`), each on its own
 * port, against the local stack, isolated by a topic prefix and a database name.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { serviceAddresses } from '../../common/services.ts';
import { until } from './wait.ts';

const root = new URL('../../', import.meta.url).pathname;

export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

export interface ServiceProcess {
  name: string;
  url: string;
  port: number;
  child: ChildProcess;
  exited: Promise<number | null>;
  /** SIGTERM, then wait for the exit (bounded). */
  stop(): Promise<number | null>;
}

export interface PipelineOptions {
  prefix: string;
  db: string;
  env?: Record<string, string>;
  logDir?: string;
  /** Listen port (default: a free one). */
  port?: number;
}

const LISTEN: Record<string, string> = {
  ingest: 'SLUICE_INGEST_LISTEN',
  processor: 'SLUICE_PROCESSOR_LISTEN',
  connect: 'SLUICE_CONNECT_LISTEN',
  query: 'SLUICE_QUERY_LISTEN',
  agent: 'SLUICE_AGENT_LISTEN',
};

export async function startService(name: string, opts: PipelineOptions): Promise<ServiceProcess> {
  const port = opts.port ?? (await freePort());
  const addr = serviceAddresses();
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    KAFKA_BROKERS: addr.kafkaBrokers.join(','),
    MONGO_URL: addr.mongoUrl,
    REDIS_URL: addr.redisUrl,
    MONGO_DB: opts.db,
    SLUICE_TOPIC_PREFIX: opts.prefix,
    LOG_LEVEL: 'info',
    KAFKAJS_NO_PARTITIONER_WARNING: '1',
    [LISTEN[name]!]: `127.0.0.1:${port}`,
    ...opts.env,
  };
  const logDir = opts.logDir ?? join(root, '.run', 'test-logs');
  mkdirSync(logDir, { recursive: true });
  const log = createWriteStream(join(logDir, `${opts.prefix}${name}.log`), { flags: 'a' });
  const child = spawn(process.execPath, ['--no-warnings', join(root, 'scripts/sluice.ts'), name], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const url = `http://127.0.0.1:${port}`;
  let gone = false;
  void exited.then(() => (gone = true));
  await until(
    `${name} ready`,
    async () => {
      if (gone) throw new Error(`${name} exited during start (log: ${logDir}/${opts.prefix}${name}.log)`);
      try {
        return (await fetch(`${url}/readyz`)).status === 200;
      } catch {
        return false;
      }
    },
    { timeoutMs: 90_000, everyMs: 200 },
  );
  return {
    name,
    url,
    port,
    child,
    exited,
    async stop() {
      if (!gone) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** Reads one sample value of a metric from a Prometheus text exposition. */
export async function metricValue(
  url: string,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`)))
      total += Number(line.split(' ').at(-1));
  }
  return total;
}
