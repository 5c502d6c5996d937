/**
 * `sluice-agent status`: from the files when no agent runs (exact figures, read-only: no file changes,
 * no lock), from the running agent's /status (exact against what a stub ingest received), and from the
 * files when the agent holds the buffer but does not answer (SIGSTOP). Exit codes 0, 3, 4.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, expect, it } from 'vitest';
import { SEAL_BYTES } from '../../agent/diskbuffer/format.ts';
import { open, peek } from '../../agent/diskbuffer/index.ts';
import { AgentPayload } from '../../proto/index.ts';
import { until } from '../support/wait.ts';

const CLI = new URL('../../agent/cli.ts', import.meta.url).pathname;
const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'sluice-agent-status-'));
  cleanup.push(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env))
    if (!k.startsWith('SLUICE_AGENT_') && k !== 'LOG_LEVEL') env[k] = v;
  return env;
}

function status(config: string, json = true) {
  const r = spawnSync(process.execPath, [CLI, 'status', '--config', config, ...(json ? ['--json'] : [])], {
    env: cleanEnv(),
    encoding: 'utf8',
    timeout: 20_000,
  });
  return {
    code: r.status,
    json: json && r.stdout ? JSON.parse(r.stdout) : undefined,
    out: r.stdout,
    err: r.stderr,
  };
}

/** Every file in `dir`: size, mtime and content hash (to show that status changed nothing). */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    const st = statSync(p);
    out[name] = `${st.size} ${st.mtimeMs} ${createHash('sha256').update(readFileSync(p)).digest('hex')}`;
  }
  return out;
}

const T0 = Date.UTC(2026, 10, 1);
/** Record `id`'s payload: 2,000 bytes starting with its id (so a drained copy names its records). */
function payload(id: number): Uint8Array {
  const b = new Uint8Array(2000).fill(id % 251);
  new DataView(b.buffer).setUint32(0, id, true);
  return b;
}

it('no agent running: exact figures from the files, nothing written, no lock taken (exit 3)', async () => {
  const state = tempDir();
  const dir = join(state, 'buffer');
  const config = join(state, 'agent.yaml');
  writeFileSync(config, `state_dir: ${state}\nbuffer_max_bytes: 1048576\n`);
  // 2,056-byte records, 16 KiB segments (7 each), bound 64 KiB: the oldest segments are evicted.
  const buf = await open(dir, { maxBytes: 64 * 1024, segmentBytes: 16 * 1024, fsync: 'never' });
  const meta = (id: number) => ({ samples: id, minTimeMs: T0 + id * 1000, maxTimeMs: T0 + id * 1000 + 500 });
  for (let id = 1; id <= 10; id++) expect(buf.append(payload(id), meta(id))).toBe(id);
  buf.ack(3);
  for (let id = 11; id <= 40; id++) expect(buf.append(payload(id), meta(id))).toBe(id);
  await buf.close();

  // Ground truth from a copy: which records are still there (the newest, contiguous).
  const copy = tempDir();
  for (const name of readdirSync(dir)) writeFileSync(join(copy, name), readFileSync(join(dir, name)));
  const c = await open(copy, { maxBytes: 64 * 1024, segmentBytes: 16 * 1024 });
  const ids = c.read(1000).map((r) => new DataView(r.bytes.buffer, r.bytes.byteOffset).getUint32(0, true));
  await c.close();
  const k = ids[0] as number;
  expect(ids).toEqual(Array.from({ length: 41 - k }, (_, i) => k + i));
  expect(k).toBeGreaterThan(4); // something unacked was evicted
  const segFiles = readdirSync(dir).filter((n) => n.startsWith('seg-'));
  const segBytes = segFiles.reduce((n, f) => n + statSync(join(dir, f)).size, 0);
  const evicted = Array.from({ length: k - 4 }, (_, i) => i + 4); // ids 4..k-1 (1..3 were acked)

  const before = snapshot(dir);
  const r = status(config);
  expect(r.code).toBe(3);
  expect(r.json).toMatchObject({
    source: 'files',
    pid: null,
    bufferDir: dir,
    buffer: {
      payloads: ids.length,
      bytes: segBytes,
      segments: segFiles.length,
      maxBytes: 1048576,
      oldestSampleMs: T0 + k * 1000,
      approximate: false,
    },
    drain: { state: 'unknown', etaS: null },
    lastSendMs: null,
    degraded: null,
  });
  expect(r.json.drops).toEqual({
    disk_bound: {
      payloads: evicted.length,
      samples: evicted.reduce((a, b) => a + b, 0),
      bytes: evicted.length * 2056,
      minTimeMs: T0 + 4000,
      maxTimeMs: T0 + (k - 1) * 1000 + 500,
    },
  });
  expect(snapshot(dir)).toEqual(before);
  expect(existsSync(join(dir, 'LOCK'))).toBe(false);

  const text = status(config, false);
  expect(text.code).toBe(3);
  expect(text.out).toContain(`buffered       ${ids.length} payloads`);
  expect(text.out).toContain(
    `disk_bound: ${evicted.length} payloads, ${evicted.reduce((a, b) => a + b, 0)} samples`,
  );

  // A torn tail: status says what the next start will count, and leaves the file as it is.
  // (The segment ends with its 40-byte seal, format.ts: cut into the last record, as a crash would.)
  const last = join(dir, segFiles.at(-1) as string);
  truncateSync(last, statSync(last).size - SEAL_BYTES - 10);
  const torn = snapshot(dir);
  const t = status(config);
  expect(t.code).toBe(3);
  expect(t.json.buffer.payloads).toBe(ids.length - 1);
  expect(t.json.drops.torn_tail).toMatchObject({ payloads: 1, samples: 40 });
  expect(t.json.note).toContain('the next start will count: torn_tail 1');
  expect(snapshot(dir)).toEqual(torn);
  const again = await open(dir, { maxBytes: 64 * 1024, segmentBytes: 16 * 1024 });
  expect(again.stats().drops.torn_tail.records).toBe(1);
  await again.close();

  expect(status(join(state, 'agent.yaml').replace(state, tempDir())).code).toBe(1); // no such config
});

it('from the running agent (exit 0), from the files while it is stopped (exit 4), after it (exit 3)', async () => {
  let accept = false;
  const accepted = new Map<number, number>(); // seq → earliest sample time
  let attempts = 0;
  let firstSampleMs: number | undefined;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (d: Buffer) => chunks.push(d));
    req.on('end', () => {
      attempts++;
      const p = AgentPayload.decode(gunzipSync(Buffer.concat(chunks)));
      const t = Math.min(
        ...p.series.flatMap((s) =>
          [...(s.gauge ?? []), ...(s.counter ?? []), ...(s.histogram ?? [])].map((x) => Number(x.tMs)),
        ),
      );
      firstSampleMs ??= t;
      if (!accept)
        return void res.writeHead(503, { 'retry-after': '1' }).end('{"error":"SLC_ERR_INGEST_UNAVAILABLE"}');
      accepted.set(Number(p.seq), t);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanup.push(() => new Promise((r) => server.close(r)));
  const state = tempDir();
  const dir = join(state, 'buffer');
  const config = join(state, 'agent.yaml');
  writeFileSync(
    config,
    [
      `state_dir: ${state}`,
      'listen: 127.0.0.1:0',
      `ingest_url: http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      'interval_s: 3600', // one pass at start, then none during the test
      'max_series_per_payload: 50',
      'retry_base_ms: 50',
      'retry_cap_ms: 200',
      'log_level: warn',
      "statsd_listen: 'off'",
    ].join('\n'),
  );
  const child: ChildProcess = spawn(process.execPath, [CLI, 'run', '--config', config], {
    env: cleanEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout?.on('data', (d) => (log += d));
  child.stderr?.on('data', (d) => (log += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  cleanup.push(() => child.kill('SIGKILL'));

  // Refused: everything of the first pass stays buffered, and nothing drains.
  const refused = await until(
    'the first pass buffered and refused',
    () => {
      const s = status(config);
      return (
        s.code === 0 && s.json.buffer.payloads > 0 && attempts > 0 && s.json.drain.windowS >= 1 && s.json
      );
    },
    { timeoutMs: 60_000, everyMs: 300, describe: () => log },
  );
  const payloads = refused.buffer.payloads;
  expect(refused).toMatchObject({
    source: 'agent',
    pid: child.pid,
    bufferDir: dir,
    buffer: { oldestSampleMs: firstSampleMs, approximate: false, memoryBytes: 0 },
    drain: { state: 'not draining', sendPerS: 0 },
    lastSendMs: null,
    drops: {},
    degraded: null,
  });
  expect(refused.agentId).toBe(readFileSync(join(state, 'agent-id'), 'utf8').trim());
  const text = status(config, false);
  expect(text.code).toBe(0);
  expect(text.out).toContain(`from the running agent, pid ${child.pid}`);
  expect(text.out).toContain(`buffered       ${payloads} payloads`);

  // Accepted: the buffer empties; exactly the payloads status reported reach ingest.
  const switchedMs = Date.now();
  accept = true;
  const drained = await until(
    'the buffer to drain',
    () => {
      const s = status(config);
      return s.code === 0 && s.json.buffer.payloads === 0 && s.json;
    },
    { timeoutMs: 60_000, everyMs: 300 },
  );
  expect(accepted.size).toBe(payloads);
  expect([...accepted.keys()].sort((a, b) => a - b)).toEqual(
    Array.from({ length: payloads }, (_, i) => i + 1),
  );
  expect(drained.drain).toMatchObject({ state: 'empty', etaS: 0 });
  expect(drained.lastSendMs).toBeGreaterThanOrEqual(switchedMs);
  expect(drained.lastSendMs).toBeLessThanOrEqual(Date.now());

  // Stopped: no answer, so the files (read-only, without the lock).
  await until('the acks persisted in the position', () => peek(dir).records === 0);
  child.kill('SIGSTOP');
  const before = snapshot(dir);
  const t0 = Date.now();
  const stopped = status(config);
  expect(stopped.code).toBe(4);
  expect(Date.now() - t0).toBeLessThan(10_000);
  expect(stopped.json).toMatchObject({
    source: 'files-while-running',
    pid: child.pid,
    buffer: { payloads: 0, approximate: true },
  });
  expect(stopped.json.note).toContain('did not answer');
  expect(snapshot(dir)).toEqual(before);
  child.kill('SIGCONT');
  expect(status(config).code).toBe(0); // it still holds its buffer and answers

  child.kill('SIGTERM');
  expect(await exited).toBe(0);
  expect(existsSync(join(state, 'http.json'))).toBe(false);
  const after = status(config);
  expect(after.code).toBe(3);
  expect(after.json).toMatchObject({
    source: 'files',
    agentId: refused.agentId,
    buffer: { payloads: 0 },
    drops: {},
  });
});
