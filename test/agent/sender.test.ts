import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryQueue } from '../../agent/buffer.ts';
import { createAgentMetrics } from '../../agent/metrics.ts';
import { buildPayloads } from '../../agent/payload.ts';
import { DEFAULT_POLICY, type RetryPolicy } from '../../agent/retry.ts';
import { Sender } from '../../agent/sender.ts';
import { logger } from '../../common/log.ts';
import { Registry } from '../../common/metrics.ts';
import { AgentPayload, Kind } from '../../proto/index.ts';
import { until } from '../support/wait.ts';

const FAST: RetryPolicy = { ...DEFAULT_POLICY, baseMs: 2, capMs: 10, attempts: 3, random: () => 0.5 };
const log = logger('agent-test', 'silent');

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  seq: number;
  payload: ReturnType<typeof AgentPayload.decode>;
  at: number;
}

type Answer = [status: number, headers?: Record<string, string>, body?: string];

/** A local ingest stand-in: answers from `script` in order, then 204; records every request. */
async function ingest(script: Answer[]): Promise<{ url: string; got: Received[]; server: Server }> {
  const got: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const payload = AgentPayload.decode(gunzipSync(Buffer.concat(chunks)));
      got.push({
        path: req.url ?? '',
        headers: req.headers,
        seq: Number(payload.seq),
        payload,
        at: Date.now(),
      });
      const [status, headers, body] = script.shift() ?? [204];
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(body ?? '');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/base`, got, server };
}

const servers: Server[] = [];
const senders: Sender[] = [];
afterEach(async () => {
  for (const s of senders.splice(0)) {
    await s.drain(0);
    await s.close();
  }
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

let nextSeq = 1;
function payload(n = 1): Uint8Array {
  const series = Array.from({ length: n }, (_, i) => ({
    name: `s${i}`,
    kind: Kind.COUNTER,
    labels: [{ name: 'job', value: 'node' }],
    counter: [{ tMs: 1000, v: 10 + i, d: 1, tpMs: 500, reset: false }],
  }));
  const [p] = buildPayloads(series, {
    agentId: 'agent-test',
    host: { hostname: 'h', os: 'linux', arch: 'x64', agentVersion: '0' },
    createdMs: 1000,
    maxSeries: 100,
    nextSeq: () => nextSeq++,
  });
  return p!.bytes;
}

function setup(url: string, policy = FAST) {
  const buffer = new MemoryQueue({ maxBytes: 1 << 20, maxPayloads: 100 });
  const metrics = createAgentMetrics(new Registry());
  const sender = new Sender({ url, apiKey: 'k-123', buffer, policy, log, metrics });
  senders.push(sender);
  return { buffer, metrics, sender };
}

async function metric(m: { get(): Promise<{ values: Array<{ labels: object; value: number }> }> }) {
  return (await m.get()).values.map((v) => [v.labels, v.value]);
}

describe('Sender against a real HTTP server', () => {
  it('503 + Retry-After: waits, resends the same bytes, then 204: acked, nothing lost or sent twice', async () => {
    const srv = await ingest([[503, { 'retry-after': '1' }, '{"error":"SLC_ERR_INGEST_UNAVAILABLE"}']]);
    const { buffer, metrics, sender } = setup(srv.url);
    const a = payload(3);
    const b = payload(1);
    buffer.append(a);
    buffer.append(b);
    void sender.start();
    await until('both payloads acked', () => buffer.count === 0 && srv.got.length >= 3, {
      describe: () => JSON.stringify(srv.got.map((g) => g.seq)),
    });
    const seqA = Number(AgentPayload.decode(a).seq);
    expect(srv.got.map((g) => g.seq)).toEqual([seqA, seqA, seqA + 1]);
    expect(srv.got[1]!.at - srv.got[0]!.at).toBeGreaterThanOrEqual(1000);
    expect(srv.got[1]!.payload).toEqual(AgentPayload.decode(a));
    expect(srv.got[2]!.payload).toEqual(AgentPayload.decode(b));
    expect(srv.got[0]!.path).toBe('/base/v1/ingest');
    expect(srv.got[0]!.headers).toMatchObject({
      'content-type': 'application/x-protobuf',
      'content-encoding': 'gzip',
      authorization: 'Bearer k-123',
    });
    // New work after the backlog: sent once.
    buffer.append(payload(2));
    sender.wake();
    await until('third payload sent', () => srv.got.length === 4 && buffer.count === 0);
    expect(srv.got.map((g) => g.seq)).toEqual([seqA, seqA, seqA + 1, seqA + 2]);
    expect(await metric(metrics.payloadsSent)).toEqual([[{}, 3]]);
    expect(await metric(metrics.samplesSent)).toEqual([[{}, 6]]);
    expect(await metric(metrics.sendFailures)).toEqual([[{ reason: 'http_503' }, 1]]);
    expect(await sender.drain(1000)).toBe(0);
    expect(srv.got).toHaveLength(4);
  });

  it('5xx retries with backoff until accepted; a 400 drops the payload with ingest’s code and goes on', async () => {
    const srv = await ingest([
      [500],
      [502],
      [400, {}, '{"error":"SLC_ERR_INGEST_TOO_MANY_LABELS","detail":"x"}'],
    ]);
    const { buffer, metrics, sender } = setup(srv.url);
    const a = payload(1);
    const b = payload(4);
    buffer.append(a);
    buffer.append(b);
    void sender.start();
    await until('queue empty', () => buffer.count === 0 && srv.got.length === 4);
    const seqA = Number(AgentPayload.decode(a).seq);
    // a: 500, 502, then 400 (dropped); b: 204.
    expect(srv.got.map((g) => g.seq)).toEqual([seqA, seqA, seqA, seqA + 1]);
    expect(await metric(metrics.sendFailures)).toEqual([
      [{ reason: 'http_500' }, 1],
      [{ reason: 'http_502' }, 1],
      [{ reason: 'SLC_ERR_INGEST_TOO_MANY_LABELS' }, 1],
    ]);
    expect(await metric(metrics.droppedPayloads)).toEqual([
      [{ reason: 'SLC_ERR_INGEST_TOO_MANY_LABELS' }, 1],
    ]);
    expect(await metric(metrics.droppedSamples)).toEqual([[{ reason: 'SLC_ERR_INGEST_TOO_MANY_LABELS' }, 1]]);
    expect(await metric(metrics.payloadsSent)).toEqual([[{}, 1]]);
  });

  it('ingest down: the payload stays queued through a cycle of attempts, and is sent once it is back', async () => {
    const srv = await ingest([]);
    const url = srv.url;
    srv.server.closeAllConnections();
    await new Promise((r) => srv.server.close(r));
    servers.splice(servers.indexOf(srv.server), 1);
    const { buffer, metrics, sender } = setup(url);
    buffer.append(payload(2));
    void sender.start();
    await until('a cycle of attempts failed', async () => {
      const v = await metric(metrics.sendFailures);
      return v.length === 1 && v[0]![1] === FAST.attempts;
    });
    expect(buffer.count).toBe(1);
    expect((await metric(metrics.sendFailures))[0]![0]).toEqual({ reason: 'ECONNREFUSED' });

    // Back up on the same port: the next append (next pass) starts a new cycle.
    const port = Number(new URL(url).port);
    const got: number[] = [];
    const back = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        got.push(Number(AgentPayload.decode(gunzipSync(Buffer.concat(chunks))).seq));
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => back.listen(port, '127.0.0.1', r));
    servers.push(back);
    buffer.append(payload(1));
    sender.wake();
    await until('both sent', () => buffer.count === 0 && got.length === 2);
    expect(got[1]).toBe(got[0]! + 1);
  });

  it('drain gives up at its deadline when Retry-After is longer and leaves the payload queued', async () => {
    const srv = await ingest([[503, { 'retry-after': '120' }]]);
    const { buffer, sender } = setup(srv.url);
    buffer.append(payload(1));
    void sender.start();
    await until('first attempt answered', () => srv.got.length === 1);
    const t0 = Date.now();
    expect(await sender.drain(3000)).toBe(1);
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(srv.got).toHaveLength(1);
  });
});
