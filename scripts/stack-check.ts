/**
 * Readiness of the stack, checked with the real clients (an open port is not enough): Kafka answers
 * metadata and creates a topic with a leader; the MongoDB-wire store answers `ping`; Redis answers PING.
 * Prints one line per service with the version the server reports. Exit 1 when any is not ready in time.
 *
 *   node scripts/stack-check.ts [--timeout SECONDS]
 */
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { MongoClient } from 'mongodb';
import { serviceAddresses } from '../common/services.ts';

const timeoutArg = process.argv.indexOf('--timeout');
const timeoutS = timeoutArg > 0 ? Number(process.argv[timeoutArg + 1]) : 120;
const deadline = Date.now() + timeoutS * 1000;
const addr = serviceAddresses();

async function until<T>(what: string, attempt: () => Promise<T>): Promise<T> {
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      return await attempt();
    } catch (err) {
      last = err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`${what} not ready after ${timeoutS}s: ${(last as Error)?.message ?? last}`);
}

async function kafka(): Promise<string> {
  const admin = new Kafka({
    clientId: 'sluice-stack-check',
    brokers: addr.kafkaBrokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2000,
    retry: { retries: 0 },
  }).admin();
  try {
    return await until('kafka', async () => {
      await admin.connect();
      const cluster = await admin.describeCluster();
      await admin.createTopics({
        waitForLeaders: true,
        topics: [{ topic: 'sluice-ready', numPartitions: 1, replicationFactor: 1 }],
      });
      return `${cluster.brokers.length} broker(s), controller ${cluster.controller}`;
    });
  } finally {
    await admin.disconnect();
  }
}

async function mongo(): Promise<string> {
  const client = new MongoClient(addr.mongoUrl, { serverSelectionTimeoutMS: 2000 });
  try {
    return await until('mongo', async () => {
      await client.connect();
      const info = await client.db('admin').command({ buildInfo: 1 });
      return `MongoDB wire ${info.version}${info.ferretdbVersion ? ` (FerretDB ${info.ferretdbVersion})` : ''}`;
    });
  } finally {
    await client.close();
  }
}

async function redis(): Promise<string> {
  return until('redis', async () => {
    const client = new Redis(addr.redisUrl, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    try {
      await client.connect();
      const info = await client.info('server');
      return `Redis ${/redis_version:(\S+)/.exec(info)?.[1]}`;
    } finally {
      client.disconnect();
    }
  });
}

const results = await Promise.allSettled([kafka(), mongo(), redis()]);
let ok = true;
for (const [name, r] of [
  ['kafka', results[0]],
  ['mongo', results[1]],
  ['redis', results[2]],
] as const) {
  if (r.status === 'fulfilled') console.log(`ready: ${name.padEnd(5)} ${r.value}`);
  else {
    ok = false;
    console.log(`NOT READY: ${name} ${(r.reason as Error).message}`);
  }
}
process.exit(ok ? 0 : 1);
