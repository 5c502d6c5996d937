/**
 * The intake driver with real sockets in this process: a UDP socket bound to an ephemeral port and the
 * agent's HTTP server (common/service.ts startHttp) with the /v1/statsd route on port 0.
 */
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createAgentMetrics } from '../../../agent/metrics.ts';
import {
  STATSD_HTTP_ERRORS,
  StatsdAggregator,
  StatsdIntake,
  statsdErrorTableMarkdown,
  statsdListen,
} from '../../../agent/statsd/index.ts';
import { logger } from '../../../common/log.ts';
import { closeHttp, startHttp } from '../../../common/service.ts';
import { until } from '../../support/wait.ts';

const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function setup(o: { maxPacketBytes?: number; maxBodyBytes?: number } = {}) {
  const metrics = createAgentMetrics();
  const log = logger('agent', 'silent');
  const aggregator = new StatsdAggregator({
    stamp: { job: 'j', instance: 'i' },
    maxSeries: 2,
    maxSetMembers: 100,
    maxHistogramBuckets: 160,
    forgetAfterPasses: 5,
  });
  const intake = new StatsdIntake({
    aggregator,
    metrics,
    log,
    maxPacketBytes: o.maxPacketBytes ?? 1024,
    maxBodyBytes: o.maxBodyBytes ?? 2048,
  });
  const server: Server = await startHttp({
    listen: '127.0.0.1:0',
    registry: metrics.registry,
    log,
    ready: () => ({ ok: true }),
    routes: intake.route,
  });
  cleanup.push(() => closeHttp(server));
  cleanup.push(() => intake.close());
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const metric = async (name: string, labels: Record<string, string> = {}) => {
    const m = await metrics.registry.getSingleMetric(name)?.get();
    const v = m?.values.find((x) => Object.entries(labels).every(([k, l]) => x.labels[k] === l));
    return v?.value ?? 0;
  };
  return { intake, aggregator, url, metric };
}

async function post(url: string, body: string | Uint8Array, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}/v1/statsd`, { method: 'POST', body, headers });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

describe('StatsD HTTP route', () => {
  it('204 when every line is recorded; the lines reach the next drain', async () => {
    const { url, intake, metric } = await setup();
    expect(await post(url, 'a:2|c|@0.5\nb:3|g\n')).toEqual({ status: 204, json: undefined });
    expect(intake.pending).toBe(true);
    const out = intake.drain(1000);
    expect(out.map((s) => [s.name, s.counter?.[0]?.d ?? s.gauge?.[0]?.v])).toEqual([
      ['a', 4],
      ['b', 3],
    ]);
    expect(await metric('sluice_agent_statsd_lines_total', { transport: 'http' })).toBe(2);
    expect(await metric('sluice_agent_statsd_series')).toBe(2);
  });

  it('400 with reason codes: the good lines are recorded, each bad one counted', async () => {
    const { url, intake, metric } = await setup();
    const r = await post(url, 'a:1|c\nbad line\nb:x|g\nc:1|c\nd:1|c\ne:-1|c\n');
    expect(r.status).toBe(400);
    expect(r.json).toEqual({
      error: 'SLC_ERR_STATSD_LINES_REFUSED',
      message: STATSD_HTTP_ERRORS.SLC_ERR_STATSD_LINES_REFUSED.description,
      recorded: 2,
      refused: { line_syntax: 1, value_invalid: 1, series_limit: 1, counter_negative: 1 },
      first: { line: 2, reason: 'line_syntax' },
    });
    expect(intake.drain(1).map((s) => s.name)).toEqual(['a', 'c']);
    for (const reason of ['line_syntax', 'value_invalid', 'series_limit', 'counter_negative'])
      expect(await metric('sluice_agent_statsd_errors_total', { reason })).toBe(1);
  });

  it('413 past the body bound, nothing recorded; 405, 415, invalid UTF-8 400', async () => {
    const { url, intake, metric } = await setup({ maxBodyBytes: 1024 });
    const big = `${'a:1|c\n'.repeat(171)}`; // 1026 bytes
    expect(Buffer.byteLength(big)).toBe(1026);
    expect((await post(url, big)).json.error).toBe('SLC_ERR_STATSD_BODY_TOO_LARGE');
    expect((await post(url, big)).status).toBe(413);
    expect((await post(url, big.slice(0, 1020))).status).toBe(204);
    expect(await metric('sluice_agent_statsd_errors_total', { reason: 'body_too_large' })).toBe(2);
    const get = await fetch(`${url}/v1/statsd`);
    expect([get.status, ((await get.json()) as { error: string }).error]).toEqual([
      405,
      'SLC_ERR_STATSD_METHOD_NOT_ALLOWED',
    ]);
    const gz = await post(url, 'a:1|c', { 'content-encoding': 'gzip' });
    expect([gz.status, gz.json.error]).toEqual([415, 'SLC_ERR_STATSD_CONTENT_ENCODING']);
    const bad = await post(url, new Uint8Array([0x61, 0x3a, 0x31, 0x7c, 0x63, 0xff]));
    expect([bad.status, bad.json.error]).toEqual([400, 'SLC_ERR_STATSD_UTF8_INVALID']);
    expect(intake.drain(1)[0]?.counter?.[0]?.d).toBe(170);
  });

  it('503 once intake is closed (shutdown), nothing recorded', async () => {
    const { url, intake } = await setup();
    await intake.close();
    const r = await post(url, 'a:1|c');
    expect([r.status, r.json.error]).toEqual([503, 'SLC_ERR_STATSD_SHUTTING_DOWN']);
    expect(intake.pending).toBe(false);
  });

  it('README lists every answer of the route', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(statsdErrorTableMarkdown());
  });
});

describe('StatsD UDP listener', () => {
  it('records datagrams; refuses oversized and non-UTF-8 ones whole', async () => {
    const { intake, metric } = await setup({ maxPacketBytes: 600 });
    const addr = await intake.listenUdp('127.0.0.1:0');
    expect(addr?.port).toBeGreaterThan(0);
    expect(await metric('sluice_agent_statsd_listening')).toBe(1);
    const client = createSocket('udp4');
    cleanup.push(() => new Promise<void>((r) => client.close(() => r())));
    const send = (b: string | Uint8Array) =>
      new Promise<void>((res, rej) => client.send(b, addr?.port, '127.0.0.1', (e) => (e ? rej(e) : res())));
    await send('u:1|c\nu:2|c|@0.5\nv:+3|g');
    await send(`u:1|c\n${'#'.repeat(600)}`);
    await send(new Uint8Array([0x75, 0x3a, 0x31, 0x7c, 0x63, 0xc3]));
    await send('nonsense');
    await until(
      '4 datagrams read',
      async () => (await metric('sluice_agent_statsd_packets_total', { transport: 'udp' })) === 4,
    );
    expect(await metric('sluice_agent_statsd_lines_total', { transport: 'udp' })).toBe(3);
    expect(await metric('sluice_agent_statsd_errors_total', { reason: 'packet_too_large' })).toBe(1);
    expect(await metric('sluice_agent_statsd_errors_total', { reason: 'utf8_invalid' })).toBe(1);
    expect(await metric('sluice_agent_statsd_errors_total', { reason: 'line_syntax' })).toBe(1);
    expect(intake.drain(7).map((s) => [s.name, s.counter?.[0]?.d ?? s.gauge?.[0]?.v])).toEqual([
      ['u', 5],
      ['v', 3],
    ]);
    await intake.close();
    expect(await metric('sluice_agent_statsd_listening')).toBe(0);
  });

  it('a taken port is logged and left at listening 0; the intake still works over HTTP', async () => {
    const holder = createSocket('udp4');
    await new Promise<void>((r) => holder.bind(0, '127.0.0.1', r));
    cleanup.push(() => new Promise<void>((r) => holder.close(() => r())));
    const { intake, url, metric } = await setup();
    expect(await intake.listenUdp(`127.0.0.1:${holder.address().port}`)).toBeUndefined();
    expect(await metric('sluice_agent_statsd_listening')).toBe(0);
    expect((await post(url, 'a:1|c')).status).toBe(204);
  });

  it('the listen setting is host:port or off', () => {
    expect(statsdListen('off')).toBeUndefined();
    expect(statsdListen('[::1]:8125')).toBe('[::1]:8125');
    expect(() => statsdListen('8125')).toThrow(/SLUICE_AGENT_STATSD_LISTEN/);
    expect(() => statsdListen('h:70000')).toThrow(/SLUICE_AGENT_STATSD_LISTEN/);
  });
});
