/**
 * Runs Sluice services as separate OS processes (`node scripts/sluice.ts <service>`), each on its own
 * port, against the local stack, isolated by a topic prefix and a database name.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { connectStore, type Store } from '../../common/mongo.ts';
import { serviceAddresses } from '../../common/services.ts';
import { uniqueName, until } from './wait.ts';

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

export interface PipelineSetup {
  /** Stem of the unique topic prefix and database name. */
  name: string;
  /** API key → tenant, written to a keys file in `keysDir`. */
  keys: Record<string, string>;
  keysDir: string;
  /** Default 2. */
  rawPartitions?: number;
  /** Default 2. */
  rollupPartitions?: number;
  /** The processor's flush interval, ms (default 500). */
  flushMs?: number;
  ingestEnv?: Record<string, string>;
}

export interface Pipeline {
  prefix: string;
  db: string;
  ingest: ServiceProcess;
  processor: ServiceProcess;
  connect: ServiceProcess;
  services: ServiceProcess[];
  /** A client of the pipeline's database. */
  store: Store;
  /** SIGTERM to every service, then closes the store client: the exit codes. */
  stop(): Promise<Array<number | null>>;
}

/** ingest + processor + connect as processes, on a unique topic prefix and database. */
export async function startPipeline(o: PipelineSetup): Promise<Pipeline> {
  const prefix = `${uniqueName(o.name)}.`;
  const db = uniqueName(`sluice_${o.name}`).replace(/-/g, '_');
  const keys = join(o.keysDir, `${prefix}keys.json`);
  writeFileSync(keys, JSON.stringify({ keys: o.keys }));
  const common = {
    SLUICE_RAW_PARTITIONS: String(o.rawPartitions ?? 2),
    SLUICE_ROLLUP_PARTITIONS: String(o.rollupPartitions ?? 2),
  };
  const opts = (env: Record<string, string>) => ({ prefix, db, env: { ...common, ...env } });
  // ingest first: it creates the topics (ready = producer connected), which the others then find.
  const ingest = await startService('ingest', opts({ SLUICE_INGEST_API_KEYS_FILE: keys, ...o.ingestEnv }));
  const [processor, connect] = await Promise.all([
    startService('processor', opts({ SLUICE_PROCESSOR_FLUSH_MS: String(o.flushMs ?? 500) })),
    startService('connect', opts({})),
  ]);
  const services = [ingest, processor!, connect!];
  const store = await connectStore(serviceAddresses().mongoUrl, db);
  return {
    prefix,
    db,
    ingest,
    processor: processor!,
    connect: connect!,
    services,
    store,
    async stop() {
      const codes = await Promise.all(services.map((s) => s.stop()));
      // No dropDatabase (FerretDB 1.24 SIGBUS, README): the database name is unique to this run.
      await store.client.close();
      return codes;
    },
  };
}
