/**
 * The ingest process as operators run it (`node scripts/sluice.ts ingest`): a bad setting exits 2 naming
 * it; SIGTERM while requests are in flight exits 0, and every request answered 204 is in Kafka.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { TOPICS } from '../../common/topics.ts';
import { uniqueName, until } from '../support/wait.ts';
import { brokers, post, type ReadRecord, readTopic } from './harness.ts';
import { encode, validPayload } from './payloads.ts';

const root = new URL('../../', import.meta.url).pathname;
const children: ChildProcess[] = [];
const readers: Array<{ consumer: { disconnect(): Promise<void> } }> = [];
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await Promise.all(readers.map((r) => r.consumer.disconnect()));
});

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as { port: number };
  await new Promise((r) => s.close(r));
  return port;
}

function run(env: Record<string, string>) {
  const child = spawn(process.execPath, [`${root}scripts/sluice.ts`, 'ingest'], {
    env: { ...process.env, KAFKA_BROKERS: brokers.join(','), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout!.on('data', (d) => {
    output += d;
  });
  child.stderr!.on('data', (d) => {
    output += d;
  });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return { child, exited, output: () => output };
}

describe('ingest process', () => {
  it('exits 2 naming a bad setting', async () => {
    const p = run({ SLUICE_INGEST_MAX_AGE_S: 'soon' });
    expect(await p.exited).toBe(2);
    expect(p.output()).toContain('"setting":"SLUICE_INGEST_MAX_AGE_S"');
  });

  it('on SIGTERM finishes in-flight requests, exits 0, and every 204 is in Kafka', async () => {
    const prefix = `${uniqueName('ingest-p')}.`;
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const p = run({
      SLUICE_TOPIC_PREFIX: prefix,
      SLUICE_RAW_PARTITIONS: '1',
      SLUICE_INGEST_LISTEN: `127.0.0.1:${port}`,
    });
    await until(
      'ready',
      () =>
        fetch(`${url}/readyz`).then(
          (r) => r.status === 200,
          () => false,
        ),
      {
        describe: p.output,
      },
    );
    const reader = await readTopic(prefix + TOPICS.raw);
    readers.push(reader);
    const agent = 'agent-p';
    expect((await post({ url }, encode(validPayload(agent, 1, Date.now())))).status).toBe(204);
    const inflight = Array.from({ length: 20 }, (_, i) =>
      post({ url }, encode(validPayload(agent, i + 2, Date.now()))).then(
        (r) => r.status,
        () => 0, // refused connection once the listener closed: the agent retries
      ),
    );
    p.child.kill('SIGTERM');
    const statuses = await Promise.all(inflight);
    expect(await p.exited).toBe(0);
    for (const s of statuses) expect([0, 204, 503]).toContain(s);
    const acked = [1, ...statuses.flatMap((s, i) => (s === 204 ? [i + 2] : []))];
    await until('every acknowledged payload read back', () =>
      acked.every((seq) => reader.records.some((r: ReadRecord) => r.record.payload?.seq === seq)),
    );
    expect(p.output()).not.toMatch(/"level":(50|60)/);
  });
});
