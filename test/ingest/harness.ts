/**
 * Integration harness for ingest: runs it in-process on 127.0.0.1:0 against the local stack's Kafka with
 * a random topic prefix, reads the raw topic back, reads /metrics, and can freeze the producer's Kafka
 * sockets (stop reading broker responses) to simulate a broker that takes requests but never answers.
 */
import { connect, type Socket } from 'node:net';
import { loadConfig } from '../../common/config.ts';
import { type Consumer, createKafka } from '../../common/kafka.ts';
import { logger } from '../../common/log.ts';
import { serviceAddresses } from '../../common/services.ts';
import { ingestSchema } from '../../ingest/config.ts';
import { type IngestHandle, startIngest } from '../../ingest/main.ts';
import { RawRecord } from '../../proto/index.ts';
import { until } from '../support/wait.ts';

export const brokers = serviceAddresses().kafkaBrokers;
export const kafka = createKafka({ clientId: 'ingest-test', brokers });
const quiet = logger('ingest-test', process.env.LOG_LEVEL || 'fatal');

/** Sockets ingest opened to Kafka; `freeze()` stops reading them, `thaw()` resumes. */
export class Valve {
  sockets: Socket[] = [];
  frozen = false;
  factory = ({ host, port, onConnect }: { host: string; port: number; onConnect: () => void }) => {
    const s = connect({ host, port }, onConnect);
    this.sockets.push(s);
    if (this.frozen) s.pause();
    return s;
  };
  freeze(): void {
    this.frozen = true;
    for (const s of this.sockets) s.pause();
  }
  thaw(): void {
    this.frozen = false;
    for (const s of this.sockets) s.resume();
  }
}

export async function startTestIngest(
  prefix: string,
  env: Record<string, string> = {},
  valve?: Valve,
): Promise<IngestHandle> {
  const config = loadConfig(ingestSchema, {
    SLUICE_INGEST_LISTEN: '127.0.0.1:0',
    KAFKA_BROKERS: brokers.join(','),
    ...env,
  });
  return startIngest(config, {
    log: quiet,
    topicPrefix: prefix,
    layout: { rawPartitions: 1, rollupPartitions: 1 },
    ...(valve ? { kafka: { socketFactory: valve.factory as never } } : {}),
  });
}

export interface Answer {
  status: number;
  retryAfter: string | null;
  json: Record<string, unknown> | undefined;
}

export async function post(
  h: { url: string },
  body: Uint8Array,
  headers: Record<string, string> = {},
  method = 'POST',
  path = '/v1/ingest',
): Promise<Answer> {
  const res = await fetch(h.url + path, {
    method,
    headers: { authorization: 'Bearer dev-key', 'content-type': 'application/x-protobuf', ...headers },
    ...(method === 'GET' ? {} : { body }),
  });
  const text = await res.text();
  return {
    status: res.status,
    retryAfter: res.headers.get('retry-after'),
    json: text ? (JSON.parse(text) as Record<string, unknown>) : undefined,
  };
}

/** The value of one sample in the /metrics text, 0 when absent (a counter never incremented). */
export async function metric(h: { url: string }, name: string, labels: Record<string, string> = {}) {
  const text = await (await fetch(`${h.url}/metrics`)).text();
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) got[l[1]!] = l[2]!;
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) return Number(m[3]);
  }
  return 0;
}

export interface ReadRecord {
  key: string;
  value: Buffer;
  record: ReturnType<typeof RawRecord.decode>;
}

/** Reads `topic` from the beginning into `records` until stopped. */
export async function readTopic(topic: string): Promise<{ records: ReadRecord[]; consumer: Consumer }> {
  const records: ReadRecord[] = [];
  const consumer = kafka.consumer({ groupId: `${topic}-reader`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const value = message.value!;
      records.push({ key: String(message.key), value, record: RawRecord.decode(value) });
    },
  });
  return { records, consumer };
}

/** Waits until a record with this agentId and seq was read; returns all records read so far. */
export async function untilRecord(
  records: ReadRecord[],
  agentId: string,
  seq: number,
): Promise<ReadRecord[]> {
  await until(
    `record ${agentId}/${seq}`,
    () => records.some((r) => r.key === agentId && r.record.payload?.seq === seq),
    {
      describe: () =>
        `${records.length} records: ${records.map((r) => `${r.key}/${r.record.payload?.seq}`).join(' ')}`,
    },
  );
  return records;
}

/** The Kafka high watermark of partition 0 of `topic`. */
export async function highWatermark(topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const o = await admin.fetchTopicOffsets(topic);
    return Number(o.find((p) => p.partition === 0)?.high);
  } finally {
    await admin.disconnect();
  }
}
