/**
 * The sender's two lanes against a local HTTP stand-in for ingest (and the pacer alone): live payloads go
 * first, the backlog drains oldest first at the granted rate with several requests in flight, a new grant
 * is followed from the next payload, a grant of 0 stops backfill but not live data, 503 + Retry-After
 * pauses both lanes, and out-of-order answers are acknowledged one by one in the disk buffer (nothing
 * sent twice, nothing lost, a refused payload dropped alone).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { CREDIT, JITTER, Pacer } from '../../agent/backfill.ts';
import { MemoryQueue, type PayloadBuffer } from '../../agent/buffer.ts';
import { open } from '../../agent/diskbuffer/index.ts';
import { createAgentMetrics } from '../../agent/metrics.ts';
import { buildPayloads } from '../../agent/payload.ts';
import { DEFAULT_POLICY, type RetryPolicy } from '../../agent/retry.ts';
import { Sender } from '../../agent/sender.ts';
import { logger } from '../../common/log.ts';
import { Registry } from '../../common/metrics.ts';
import { AgentPayload, Kind } from '../../proto/index.ts';
import { prng } from '../support/prng.ts';
import { until } from '../support/wait.ts';

const log = logger('agent-test', 'silent');
const POLICY: RetryPolicy = { ...DEFAULT_POLICY, baseMs: 2, capMs: 10, attempts: 1000, random: prng(7) };
const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

describe('Pacer', () => {
  it('spaces payloads by size at the grant: slots exact, sends up to JITTER after them, no catch-up after a pause', () => {
    let r = 0.5;
    const p = new Pacer({ probeMs: 1000, random: () => r, nowMs: 0 });
    expect(p.rate).toBeUndefined();
    expect(p.delayMs(0)).toBe(0); // not paced: no wait
    p.answered(10_000, 0); // 10 kB/s; start phase: random 0.5 × one typical gap (4096 B → 409.6 ms)
    expect(p.delayMs(0)).toBeCloseTo(204.8, 9);
    p.took(1000, 204.8); // 1000 B at 10 kB/s: the next slot 100 ms on, sent 0.5 × JITTER × 100 ms after it
    expect(p.delayMs(204.8)).toBeCloseTo(100 + 0.5 * JITTER * 100, 9);
    r = 0;
    p.took(1000, 309.8); // the jitter did not move the schedule: slot 404.8, no jitter this time
    expect(p.delayMs(309.8)).toBeCloseTo(95, 9);
    p.took(1000, 440); // 35.2 ms late, within CREDIT (50 ms): the slot keeps its place (504.8)
    expect(p.delayMs(440)).toBeCloseTo(504.8 - 440, 9);
    // Idle for 10 s: no catch-up; the schedule restarts 0.5 to 1.5 gaps on (random 0: 50 ms).
    p.took(1000, 10_000);
    expect(CREDIT).toBe(0.5);
    expect(p.delayMs(10_000)).toBeCloseTo(50, 9);
    // Halved: the next gap is twice as long (the slot already given stays).
    p.answered(5_000, 10_020);
    p.took(1000, 10_050);
    expect(p.delayMs(10_050)).toBeCloseTo(200, 9);
  });

  it('a cut moves the next slot by a random part of the new gap, never earlier; a rise or a small change does not', () => {
    const p = new Pacer({ probeMs: 1000, random: () => 0.5, nowMs: 0 });
    p.answered(10_000, 0); // first slot at 0.5 × 409.6 ms
    p.took(1000, 204.8); // next slot 304.8
    p.answered(4_000, 250); // cut to 40 %: the slot moves by 0.5 × 250 ms (1000 B at 4 kB/s)
    expect(p.delayMs(250)).toBeCloseTo(304.8 + 125 - 250, 9);
    p.answered(4_100, 260); // a rise: nothing moves
    expect(p.delayMs(260)).toBeCloseTo(304.8 + 125 - 260, 9);
    p.answered(3_900, 270); // −5 %, within JITTER: nothing moves
    expect(p.delayMs(270)).toBeCloseTo(304.8 + 125 - 270, 9);
  });

  it('grant 0: no backfill until a probe after probeMs (+ up to 50 %) without any answer', () => {
    const p = new Pacer({ probeMs: 1000, random: () => 0.5, nowMs: 0 });
    p.answered(0, 0);
    expect(p.delayMs(0)).toBe(1250);
    p.answered(0, 900); // a live answer: still nothing to probe for
    expect(p.delayMs(1250)).toBe(900 + 1250 - 1250);
    p.took(500, 2150); // the probe
    expect(p.delayMs(2150)).toBe(1250);
  });
});

let nextSeq = 1;
function payload(series = 2): Uint8Array {
  const s = Array.from({ length: series }, (_, i) => ({
    name: `g${i}`,
    kind: Kind.GAUGE,
    labels: [{ name: 'job', value: 'node' }],
    gauge: [{ tMs: 1000, v: i }],
  }));
  return buildPayloads(s, {
    agentId: 'agent-lanes',
    host: { hostname: 'h', os: 'linux', arch: 'x64', agentVersion: '0' },
    createdMs: 1000,
    maxSeries: 100,
    nextSeq: () => nextSeq++,
  })[0]!.bytes;
}

interface Got {
  seq: number;
  lane: string;
  backlog: number;
  agent: string | undefined;
  bytes: number;
  atMs: number;
}

type Reply = { status: number; headers?: Record<string, string>; delayMs?: number };

/** An ingest stand-in: `reply` decides each answer (it sees what arrived so far); every request recorded. */
async function stub(reply: (g: Got, all: Got[]) => Reply) {
  const got: Got[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = gunzipSync(Buffer.concat(chunks));
      const g: Got = {
        seq: Number(AgentPayload.decode(raw).seq),
        lane: String(req.headers['sluice-lane']),
        backlog: Number(req.headers['sluice-backlog']),
        agent: req.headers['sluice-agent'] as string | undefined,
        bytes: raw.length,
        atMs: performance.now(),
      };
      got.push(g);
      const r = reply(g, got);
      const send = () => res.writeHead(r.status, r.headers).end(r.status === 503 ? '{"error":"x"}' : '');
      if (r.delayMs) setTimeout(send, r.delayMs);
      else send();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanup.push(() => {
    server.closeAllConnections();
    return new Promise((r) => server.close(r));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, got };
}

function sender(
  url: string,
  buffer: PayloadBuffer,
  extra: Partial<ConstructorParameters<typeof Sender>[0]> = {},
) {
  const metrics = createAgentMetrics(new Registry());
  const s = new Sender({
    url,
    apiKey: 'k',
    buffer,
    policy: POLICY,
    log,
    metrics,
    agentId: 'agent-lanes',
    ...extra,
  });
  cleanup.push(async () => {
    await s.drain(0);
    await s.close();
  });
  void s.start();
  return { s, metrics };
}

const memory = () => new MemoryQueue({ maxBytes: 1 << 24, maxPayloads: 100_000 });
const seqOf = (b: Uint8Array) => Number(AgentPayload.decode(b).seq);

describe('Sender lanes', () => {
  it('a live payload goes ahead of the backlog; the backlog drains oldest first at the grant', async () => {
    const size = payload().length;
    const grant = size * 20; // 20 payloads/s
    const srv = await stub(() => ({ status: 204, headers: { 'sluice-backfill-rate': String(grant) } }));
    const buffer = memory();
    const backlog: number[] = [];
    for (let i = 0; i < 40; i++) {
      const b = payload();
      backlog.push(seqOf(b));
      buffer.append(b);
    }
    const { s, metrics } = sender(srv.url, buffer);
    await until('backfill under way', () => srv.got.length >= 5);
    const live = payload();
    s.intake.append(live);
    const appendedAt = performance.now();
    s.wake();
    await until('the live payload arrived', () => srv.got.find((g) => g.seq === seqOf(live)));
    const l = srv.got.find((g) => g.seq === seqOf(live))!;
    expect(l.lane).toBe('live');
    expect(l.atMs - appendedAt).toBeLessThan(200); // not behind the 30-odd backlog payloads (≥ 1.5 s)
    expect(l.agent).toBe('agent-lanes');
    await until('drained', () => buffer.count === 0, { timeoutMs: 10_000 });
    const bf = srv.got.filter((g) => g.lane === 'backfill');
    // Every backlog payload once, oldest first; the first answer set the pace.
    expect(bf.map((g) => g.seq)).toEqual(backlog);
    expect(bf[0]!.backlog).toBe(40);
    const paced = bf.slice(2);
    const seconds = (paced.at(-1)!.atMs - paced[0]!.atMs) / 1000;
    const rate = (paced.length - 1) / seconds;
    expect(rate).toBeLessThanOrEqual(20 * (1 + JITTER));
    expect(rate).toBeGreaterThan(20 * (1 - JITTER) * 0.8);
    expect((await metrics.laneSends.get()).values.map((v) => [v.labels, v.value])).toEqual(
      expect.arrayContaining([
        [{ lane: 'backfill', outcome: 'ack' }, 40],
        [{ lane: 'live', outcome: 'ack' }, 1],
      ]),
    );
    expect((await metrics.backfillGrant.get()).values[0]?.value).toBe(grant);
  });

  it('several backfill requests in flight when answers are slow; a halved grant halves the rate', async () => {
    const size = payload().length;
    let grant = size * 40;
    const srv = await stub(() => ({
      status: 204,
      delayMs: 120,
      headers: { 'sluice-backfill-rate': String(grant) },
    }));
    const buffer = memory();
    for (let i = 0; i < 120; i++) buffer.append(payload());
    sender(srv.url, buffer, { backfillMaxInflight: 8 });
    await until('60 sent', () => srv.got.length >= 60, { timeoutMs: 10_000 });
    // 40/s with 120 ms answers needs ~5 in flight: the rate holds.
    const first = srv.got.slice(5, 60);
    const r1 = (first.length - 1) / ((first.at(-1)!.atMs - first[0]!.atMs) / 1000);
    expect(r1).toBeLessThanOrEqual(40 * (1 + JITTER));
    expect(r1).toBeGreaterThan(40 * 0.8);
    grant /= 2;
    const halvedAt = performance.now();
    await until('drained', () => buffer.count === 0, { timeoutMs: 15_000 });
    // Requests started after one round trip (answer 120 ms + the pacer's pending gap) follow the new grant.
    const after = srv.got.filter((g) => g.atMs > halvedAt + 120 + 2 * (1000 / 40));
    const r2 = (after.length - 1) / ((after.at(-1)!.atMs - after[0]!.atMs) / 1000);
    expect(r2).toBeLessThanOrEqual(20 * (1 + JITTER));
    expect(r2).toBeGreaterThan(20 * 0.8);
    expect(new Set(srv.got.map((g) => g.seq)).size).toBe(120);
  });

  it('grant 0: live payloads flow, the backlog waits (one probe per quiet probeMs), then drains', async () => {
    let grant = 0;
    const srv = await stub(() => ({ status: 204, headers: { 'sluice-backfill-rate': String(grant) } }));
    const buffer = memory();
    for (let i = 0; i < 5; i++) buffer.append(payload());
    const { s } = sender(srv.url, buffer, { probeMs: 400 });
    await until('the first probe', () => srv.got.length >= 1);
    for (let k = 0; k < 4; k++) {
      s.intake.append(payload());
      s.wake();
      await until(`live ${k}`, () => srv.got.filter((g) => g.lane === 'live').length === k + 1);
      await new Promise((r) => setTimeout(r, 100)); // a live pass every 100 ms keeps probes away
    }
    expect(srv.got.filter((g) => g.lane === 'backfill')).toHaveLength(1);
    grant = 1_000_000;
    s.intake.append(payload());
    s.wake();
    await until('drained', () => buffer.count === 0);
    expect(srv.got.filter((g) => g.lane === 'backfill')).toHaveLength(5);
  });

  it('503 + Retry-After pauses both lanes; nothing is sent before it ends', async () => {
    let refuse = true;
    const srv = await stub(
      (): Reply =>
        refuse
          ? { status: 503, headers: { 'retry-after': '1', 'sluice-backfill-rate': '0' } }
          : { status: 204, headers: { 'sluice-backfill-rate': '1000000' } },
    );
    const buffer = memory();
    for (let i = 0; i < 3; i++) buffer.append(payload());
    const { s } = sender(srv.url, buffer, { probeMs: 60_000 });
    await until('refused', () => srv.got.length === 1);
    const refusedAt = srv.got[0]!.atMs;
    s.intake.append(payload());
    s.wake(); // a live payload during the pause waits too
    refuse = false;
    await until('drained', () => buffer.count === 0, { timeoutMs: 5000 });
    expect(srv.got[1]!.atMs - refusedAt).toBeGreaterThanOrEqual(1000);
    expect(srv.got[1]!.lane).toBe('live');
    expect(srv.got.length).toBe(5);
  });

  it('out-of-order answers with the disk buffer: each payload once, a refused one dropped alone, nothing left after reopen', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-lanes-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const buf = await open(dir, { segmentBytes: 64 * 1024 });
    const seqs: number[] = [];
    for (let i = 0; i < 60; i++) {
      const b = payload();
      seqs.push(seqOf(b));
      buf.append(b, { samples: 2, minTimeMs: 1000, maxTimeMs: 1000 });
    }
    const poison = seqs[30]!;
    const rnd = prng(11);
    const srv = await stub((g) =>
      g.seq === poison
        ? { status: 400, headers: { 'sluice-backfill-rate': '10000000' } }
        : { status: 204, delayMs: Math.floor(rnd() * 40), headers: { 'sluice-backfill-rate': '10000000' } },
    );
    const { s } = sender(srv.url, buf, { backfillMaxInflight: 6 });
    const live = payload();
    s.intake.append(live, { samples: 2, minTimeMs: 1000, maxTimeMs: 1000 });
    s.wake();
    await until('drained', () => buf.count === 0, { timeoutMs: 10_000 });
    const arrived = srv.got.map((g) => g.seq);
    expect(arrived.sort((a, b) => a - b)).toEqual([...seqs, seqOf(live)].sort((a, b) => a - b));
    expect(buf.stats().drops.rejected_4xx).toMatchObject({ records: 1, samples: 2 });
    await s.drain(1000);
    await buf.close();
    const again = await open(dir);
    expect(again.count).toBe(0);
    expect(again.read(10)).toEqual([]);
    await again.close();
  });
});
