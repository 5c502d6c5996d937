/**
 * Server-paced backfill on the ingest side: the governor (pure: budget from headroom, fair share,
 * bounded table) and, against the real broker, the grant on every answer and the admin endpoints.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Registry } from '../../common/metrics.ts';
import { isLoopback } from '../../ingest/admin.ts';
import { type Announcement, BackfillGovernor, parseAnnouncement } from '../../ingest/backfill.ts';
import type { IngestHandle } from '../../ingest/main.ts';
import { ingestMetrics } from '../../ingest/metrics.ts';
import { uniqueName } from '../support/wait.ts';
import { metric, startTestIngest } from './harness.ts';
import { encode, validPayload } from './payloads.ts';

function governor(over: Partial<ConstructorParameters<typeof BackfillGovernor>[0]> = {}) {
  const state = { inflight: 0, accepting: true };
  const metrics = ingestMetrics(new Registry());
  const g = new BackfillGovernor({
    maxBytesPerS: 1_000_000,
    headroomFraction: 0.5,
    activeMs: 3000,
    maxAgents: 3,
    maxInflightBytes: 100_000,
    inflightBytes: () => state.inflight,
    accepting: () => state.accepting,
    metrics,
    ...over,
  });
  return { g, state, metrics };
}

const ann = (agent: string, backlog: number, lane: Announcement['lane'] = 'backfill'): Announcement => ({
  agent,
  backlog,
  lane,
});

describe('BackfillGovernor', () => {
  it('parses announcements; malformed values count as absent', () => {
    expect(
      parseAnnouncement({ 'sluice-agent': 'a-1', 'sluice-backlog': '42', 'sluice-lane': 'Backfill' }),
    ).toEqual({ agent: 'a-1', backlog: 42, lane: 'backfill' });
    expect(parseAnnouncement({ 'sluice-agent': 'a b', 'sluice-backlog': '-1', 'sluice-lane': 'x' })).toEqual({
      agent: undefined,
      backlog: undefined,
      lane: 'none',
    });
    expect(parseAnnouncement({ 'sluice-agent': 'x'.repeat(129), 'sluice-backlog': '1e3' })).toEqual({
      agent: undefined,
      backlog: undefined,
      lane: 'none',
    });
    expect(parseAnnouncement({})).toEqual({ agent: undefined, backlog: undefined, lane: 'none' });
  });

  it('shares the budget equally between agents with a backlog; no backlog or silence leaves the share', async () => {
    // Headroom: 0.5 × 100,000 B / 0.01 s (the initial latency) = 5 MB/s, above the 1 MB/s cap.
    const { g, metrics } = governor();
    expect(g.observe(ann('a', 10), 0)).toBe(1_000_000);
    expect(g.observe(ann('b', 10), 1)).toBe(500_000);
    expect(g.observe(ann('c', 30), 2)).toBe(333_333);
    // A live request without a backlog gets the share it would have, and does not dilute it.
    expect(g.observe(ann('d', 0, 'live'), 3)).toBe(333_333);
    expect((await metrics.backfillBacklog.get()).values[0]?.value).toBe(50);
    // b has drained: it leaves the table at once.
    expect(g.observe(ann('b', 0, 'live'), 4)).toBe(500_000);
    expect(g.agents).toBe(2);
    // No announcement (an old agent): counted as nothing.
    expect(g.observe({ agent: undefined, backlog: undefined, lane: 'none' }, 5)).toBe(500_000);
    // a stays silent past the active window (3 s after its last announcement at t=0); c was seen at t=2.
    expect(g.observe(ann('c', 29), 2999)).toBe(500_000);
    expect(g.observe(ann('c', 28), 3000)).toBe(1_000_000);
    expect(g.agents).toBe(1);
    expect((await metrics.backfillAgents.get()).values[0]?.value).toBe(1);
    expect((await metrics.backfillBacklog.get()).values[0]?.value).toBe(28);
  });

  it('bounds the table: the least recently seen agent is evicted and counted', async () => {
    const { g, metrics } = governor();
    for (const [i, a] of ['a', 'b', 'c'].entries()) g.observe(ann(a, 1), i);
    g.observe(ann('a', 1), 3); // a is now the most recent
    expect(g.observe(ann('d', 1), 4)).toBe(333_333);
    expect((await metrics.backfillEvicted.get()).values[0]?.value).toBe(1);
    // b was evicted: a, c, d remain; b coming back evicts c.
    g.observe(ann('b', 1), 5);
    expect((await metrics.backfillEvicted.get()).values[0]?.value).toBe(2);
    expect(g.agents).toBe(3);
  });

  it('budget = min(cap, fraction × free in-flight bytes / produce latency); 0 while refusing', () => {
    const { g, state } = governor({ maxBytesPerS: 10_000_000 });
    // Latency: moving average, weight 0.2, from 0.01 s.
    g.latency(0.11);
    const latency = 0.01 + 0.2 * (0.11 - 0.01);
    expect(g.latencyS).toBeCloseTo(latency, 12);
    state.inflight = 20_000;
    expect(g.budget()).toBe(Math.floor((0.5 * 80_000) / latency));
    g.set({ maxBytesPerS: 100_000 });
    expect(g.budget()).toBe(100_000);
    g.set({ maxBytesPerS: 50_000 }); // halved at runtime: the next grant carries it
    expect(g.observe(ann('a', 5), 0)).toBe(50_000);
    state.inflight = 100_000;
    expect(g.budget()).toBe(0);
    state.inflight = 0;
    state.accepting = false;
    expect(g.observe(ann('a', 5), 1)).toBe(0);
    expect(() => g.set({ headroomFraction: 1.5 })).toThrow(RangeError);
    expect(() => g.set({ maxBytesPerS: -1 })).toThrow(RangeError);
    expect(g.settings).toEqual({ maxBytesPerS: 50_000, headroomFraction: 0.5 });
  });

  it('keeps the in-flight high-water mark', async () => {
    const { g, state, metrics } = governor();
    for (const v of [10, 300, 20]) {
      state.inflight = v;
      g.handedOver();
    }
    expect((await metrics.inflightPeak.get()).values[0]?.value).toBe(300);
  });

  it('admin answers loopback clients only', () => {
    for (const a of ['127.0.0.1', '127.3.4.5', '::1', '::ffff:127.0.0.1'])
      expect(isLoopback(a), a).toBe(true);
    for (const a of [undefined, '10.0.0.1', '::ffff:10.0.0.1', '128.0.0.1', '::2'])
      expect(isLoopback(a)).toBe(false);
  });
});

describe('ingest with backfill pacing (real broker)', () => {
  const handles: IngestHandle[] = [];
  afterEach(async () => {
    await Promise.all(handles.splice(0).map((h) => h.close()));
  });

  async function start(env: Record<string, string>) {
    const h = await startTestIngest(`${uniqueName('ingest-bf')}.`, env);
    handles.push(h);
    await h.whenReady;
    return h;
  }

  const t0 = Date.now();
  const payload = (agent: string, seq: number) => encode(validPayload(agent, seq, t0));

  async function send(h: IngestHandle, agent: string, backlog: number, lane: string, seq: number) {
    const res = await fetch(`${h.url}/v1/ingest`, {
      method: 'POST',
      headers: {
        authorization: 'Bearer dev-key',
        'content-type': 'application/x-protobuf',
        'sluice-agent': agent,
        'sluice-backlog': String(backlog),
        'sluice-lane': lane,
      },
      body: payload(agent, seq),
    });
    await res.arrayBuffer();
    return { status: res.status, grant: res.headers.get('sluice-backfill-rate') };
  }

  async function admin(h: IngestHandle, method: string, path: string, body?: unknown) {
    const res = await fetch(`${h.url}${path}`, {
      method,
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  }

  it('every answer carries the grant; the admin endpoints change the budget and the kill switch at runtime', async () => {
    const h = await start({ SLUICE_INGEST_ADMIN: 'true', SLUICE_INGEST_BACKFILL_MAX_BYTES_PER_S: '40000' });
    expect(await send(h, 'bf-a', 100, 'backfill', 1)).toEqual({ status: 204, grant: '40000' });
    expect(await send(h, 'bf-b', 7, 'live', 1)).toEqual({ status: 204, grant: '20000' });
    expect((await admin(h, 'PUT', '/admin/backfill', { maxBytesPerS: 20000 })).json).toMatchObject({
      maxBytesPerS: 20000,
      headroomFraction: 0.5,
      agents: 2,
    });
    expect(await send(h, 'bf-a', 99, 'backfill', 2)).toEqual({ status: 204, grant: '10000' });
    // The kill switch at runtime: 503 with the grant 0 (nothing is accepted, backfill included).
    expect((await admin(h, 'PUT', '/admin/refuse-all', { refuseAll: true })).json).toEqual({
      refuseAll: true,
    });
    expect(await send(h, 'bf-a', 98, 'backfill', 3)).toEqual({ status: 503, grant: '0' });
    expect((await admin(h, 'PUT', '/admin/refuse-all', { refuseAll: false })).status).toBe(200);
    expect(await send(h, 'bf-a', 0, 'live', 4)).toEqual({ status: 204, grant: '20000' });
    // Bad admin input: status, code, counted.
    const bad = [
      [await admin(h, 'PUT', '/admin/backfill', { maxBytesPerS: -5 }), 400, 'SLC_ERR_INGEST_ADMIN_INVALID'],
      [await admin(h, 'PUT', '/admin/backfill', { rate: 5 }), 400, 'SLC_ERR_INGEST_ADMIN_INVALID'],
      [await admin(h, 'PUT', '/admin/refuse-all', 'nope'), 400, 'SLC_ERR_INGEST_ADMIN_INVALID'],
      [await admin(h, 'POST', '/admin/backfill', {}), 405, 'SLC_ERR_INGEST_ADMIN_METHOD'],
      [await admin(h, 'GET', '/admin/nothing'), 404, 'SLC_ERR_INGEST_ADMIN_NOT_FOUND'],
    ] as const;
    for (const [got, status, code] of bad) expect(got).toMatchObject({ status, json: { error: code } });
    expect(
      await metric(h, 'sluice_ingest_admin_requests_total', { reason: 'SLC_ERR_INGEST_ADMIN_INVALID' }),
    ).toBe(3);
    expect((await admin(h, 'GET', '/admin/backfill')).json).toMatchObject({ maxBytesPerS: 20000 });
    expect(await metric(h, 'sluice_ingest_lane_requests_total', { lane: 'backfill' })).toBe(3);
    expect(await metric(h, 'sluice_ingest_lane_requests_total', { lane: 'live' })).toBe(2);
    expect(await metric(h, 'sluice_ingest_lane_payload_bytes_total', { lane: 'backfill' })).toBe(
      payload('bf-a', 1).length + payload('bf-a', 2).length,
    );
    expect(await metric(h, 'sluice_ingest_inflight_bytes_peak')).toBeGreaterThan(0);
  });

  it('without SLUICE_INGEST_ADMIN the admin paths do not exist', async () => {
    const h = await start({});
    expect((await fetch(`${h.url}/admin/backfill`)).status).toBe(404);
    expect(await send(h, 'bf-c', 1, 'backfill', 1)).toEqual({ status: 204, grant: String(8 * 1024 * 1024) });
  });
});
