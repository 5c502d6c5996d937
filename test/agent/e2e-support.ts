/**
 * Support for the agent's end-to-end drop tests (acceptance tests 6 and 12): the pipeline as separate
 * processes, a recording proxy in front of the real ingest, a synthetic procfs, a reader of the agent's
 * buffer segments that is independent of agent/diskbuffer (it follows the documented format), and the
 * ground truth of the rollups computed from payloads alone.
 *
 * Ground truth: what the agent produced is every payload seen either on its disk (sampled while ingest
 * is away: a record lives there until delivered or evicted) or by the proxy; seqs of one agent run are
 * contiguous, so a gap would show a payload the test missed. Delivered = the seqs ingest answered 204.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { crc32, gunzipSync } from 'node:zlib';
import { expect } from 'vitest';
import type { Doc, Store } from '../../common/mongo.ts';
import { AgentPayload, type IAgentPayload } from '../../proto/index.ts';
import { type Pipeline, startPipeline as startServices } from '../support/pipeline.ts';

export type { Pipeline };

import { until } from '../support/wait.ts';

export const KEY = 'drops-e2e-key-0123456789abcdef';
export const TENANT = 'acme';

/** ingest + processor + connect on a unique topic prefix and database, tenant TENANT for KEY. */
export function startPipeline(name: string, dir: string): Promise<Pipeline> {
  return startServices({ name, keys: { [KEY]: TENANT }, keysDir: dir });
}

/** A procfs with only /proc/net/dev (`devices` interfaces, 16 counters each); `advance` moves them on. */
export function syntheticProc(root: string, devices: number) {
  mkdirSync(join(root, 'proc/net'), { recursive: true });
  mkdirSync(join(root, 'sys'), { recursive: true });
  let step = 0;
  const write = () => {
    const lines = ['Inter-|   Receive  |  Transmit', ' face |bytes packets ...|bytes packets ...'];
    for (let d = 0; d < devices; d++) {
      const v = Array.from({ length: 16 }, (_, c) => (d + 1) * 1000 + c * 7 + step * (c + 1 + d));
      lines.push(`  synth${d}: ${v.join(' ')}`);
    }
    const path = join(root, 'proc/net/dev');
    writeFileSync(`${path}.tmp`, `${lines.join('\n')}\n`);
    renameSync(`${path}.tmp`, path);
  };
  write();
  return {
    procRoot: join(root, 'proc'),
    sysRoot: join(root, 'sys'),
    advance() {
      step++;
      write();
    },
  };
}

export interface Attempt {
  seq: number;
  agentId: string;
  status: number;
  atMs: number;
  /** Forwarded after a delay (the rule's forwardAfterMs). */
  delayed?: boolean;
}

/** What the proxy does with one attempt: forward it (now or after a delay), cut the connection, or answer. */
export type Rule = (
  seq: number,
  attempt: number,
) =>
  | 'forward'
  | { forwardAfterMs: number }
  | 'destroy'
  | { status: number; body: object; headers?: Record<string, string> };

/** An HTTP proxy in front of ingest: decodes each POST, applies `rule`, records every answer. */
export async function recordingProxy(ingestUrl: string, rule: { current: Rule }) {
  const attempts: Attempt[] = [];
  const payloads = new Map<number, IAgentPayload>();
  /** Payload bytes (after gunzip) by seq: the agent stores 56 header bytes + these. */
  const lengths = new Map<number, number>();
  const tries = new Map<number, number>();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      const raw = gunzipSync(body);
      const p = AgentPayload.decode(raw);
      const seq = Number(p.seq);
      payloads.set(seq, p);
      lengths.set(seq, raw.length);
      const n = (tries.get(seq) ?? 0) + 1;
      tries.set(seq, n);
      const r = rule.current(seq, n);
      if (r === 'destroy') {
        attempts.push({ seq, agentId: p.agentId, status: 0, atMs: Date.now() });
        req.socket.destroy();
        return;
      }
      if (typeof r === 'object' && 'status' in r) {
        attempts.push({ seq, agentId: p.agentId, status: r.status, atMs: Date.now() });
        res
          .writeHead(r.status, { 'content-type': 'application/json', ...r.headers })
          .end(JSON.stringify(r.body));
        return;
      }
      if (typeof r === 'object' && 'forwardAfterMs' in r)
        await new Promise((resolve) => setTimeout(resolve, r.forwardAfterMs));
      const headers = Object.fromEntries(
        Object.entries(req.headers).filter(([k]) => !['host', 'connection', 'content-length'].includes(k)),
      ) as Record<string, string>;
      const answer = await fetch(`${ingestUrl}${req.url}`, { method: 'POST', headers, body });
      const text = await answer.text();
      attempts.push({
        seq,
        agentId: p.agentId,
        status: answer.status,
        atMs: Date.now(),
        ...(typeof r === 'object' ? { delayed: true } : {}),
      });
      const out: Record<string, string> = {};
      answer.headers.forEach((v, k) => {
        if (k === 'retry-after' || k === 'content-type' || k.startsWith('sluice-')) out[k] = v;
      });
      res.writeHead(answer.status, out).end(text);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    attempts,
    payloads,
    lengths,
    delivered: () => new Set(attempts.filter((a) => a.status === 204).map((a) => a.seq)),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export interface DiskRecord {
  seq: number;
  /** Record header + payload, as the buffer stores and counts it. */
  size: number;
  payload: IAgentPayload;
}

/**
 * Reads the buffer's segment files (format in agent/diskbuffer/index.ts: 32-byte segment header, then
 * records of a 56-byte header — magic "SLCR", payload length u32 at 4, payload CRC32 at 48 — and the
 * payload). A record still being written (short, or its CRC not yet matching) is left for next time.
 *
 * `bytes` is a lower bound of the segment bytes at one instant, so above the bound means really above
 * it: a file is counted only if it is still listed after every file was measured, and a segment only
 * grows while it exists; so at the second listing each counted file existed with at least its size.
 * (Summing sizes taken at different moments would count a segment deleted after its stat together with
 * the bytes written after the deletion.)
 */
export function readSegments(
  dir: string,
  seen: Map<number, DiskRecord>,
): { bytes: number; segments: number } {
  const sizes = new Map<string, number>();
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => /^seg-[0-9a-f]{16}\.log$/.test(n));
  } catch {
    return { bytes: 0, segments: 0 };
  }
  for (const name of names) {
    let buf: Buffer;
    try {
      sizes.set(name, statSync(join(dir, name)).size);
      buf = readFileSync(join(dir, name));
    } catch {
      continue; // deleted meanwhile
    }
    for (let o = 32; o + 56 <= buf.length; ) {
      if (buf.readUInt32LE(o) !== 0x52434c53) break;
      const len = buf.readUInt32LE(o + 4);
      if (o + 56 + len > buf.length) break;
      const payload = buf.subarray(o + 56, o + 56 + len);
      if (crc32(payload) !== buf.readUInt32LE(o + 48)) break;
      const p = AgentPayload.decode(payload);
      if (!seen.has(Number(p.seq)))
        seen.set(Number(p.seq), { seq: Number(p.seq), size: 56 + len, payload: p });
      o += 56 + len;
    }
  }
  const still = new Set(readdirSync(dir));
  const kept = [...sizes].filter(([name]) => still.has(name));
  return { bytes: kept.reduce((n, [, size]) => n + size, 0), segments: kept.length };
}

export interface Sample {
  key: string;
  name: string;
  kind: number;
  t: number;
  v: number;
  d: number;
}

export function samplesOf(p: IAgentPayload): Sample[] {
  const out: Sample[] = [];
  for (const s of p.series ?? []) {
    const labels = [...(s.labels ?? [])].sort((a, b) => ((a.name ?? '') < (b.name ?? '') ? -1 : 1));
    const key = `${s.name}{${labels.map((l) => `${l.name}=${l.value}`).join(',')}}`;
    for (const g of s.gauge ?? [])
      out.push({ key, name: s.name!, kind: 1, t: Number(g.tMs), v: g.v ?? 0, d: 0 });
    for (const c of s.counter ?? [])
      out.push({ key, name: s.name!, kind: 2, t: Number(c.tMs), v: c.v ?? 0, d: c.d ?? 0 });
  }
  return out;
}

export interface Cell {
  n: number;
  sum: number;
  min: number;
  max: number;
  inc?: number;
}

/** n, sum, min, max (and inc for counters) per `series|res|bucketStartMs`, right-closed buckets. */
export function truthOf(payloads: IAgentPayload[]): Map<string, Cell> {
  const out = new Map<string, Cell>();
  for (const p of payloads) {
    for (const s of samplesOf(p)) {
      for (const res of [60_000, 3_600_000]) {
        const start = Math.ceil(s.t / res) * res - res;
        const k = `${s.key}|${res / 1000}|${start}`;
        const c = out.get(k) ?? { n: 0, sum: 0, min: s.v, max: s.v, ...(s.kind === 2 ? { inc: 0 } : {}) };
        c.n++;
        c.sum += s.v;
        c.min = Math.min(c.min, s.v);
        c.max = Math.max(c.max, s.v);
        if (c.inc !== undefined) c.inc += s.d;
        out.set(k, c);
      }
    }
  }
  return out;
}

/**
 * The store's rollups in truthOf's shape, keyed series|res|start: of the series carrying `instance`,
 * or of every series (a document whose series is unknown keyed by its series id, so it shows as a
 * difference).
 */
export async function rollupsOf(store: Store, instance?: string): Promise<Map<string, Cell>> {
  const series = new Map<string, string>();
  for (const s of await store.db.collection<Doc>('series').find({}).toArray()) {
    const labels = Object.entries((s.labels ?? {}) as Record<string, string>).sort(([a], [b]) =>
      a < b ? -1 : 1,
    );
    if (instance !== undefined && !labels.some(([k, v]) => k === 'instance' && v === instance)) continue;
    series.set(s._id as string, `${s.name}{${labels.map(([k, v]) => `${k}=${v}`).join(',')}}`);
  }
  const out = new Map<string, Cell>();
  for (const [res, coll] of [
    [60, 'rollups_1m'],
    [3600, 'rollups_1h'],
  ] as const) {
    for (const d of await store.db.collection<Doc>(coll).find({}).toArray()) {
      const key = series.get(d.sid as string) ?? (instance === undefined ? String(d.sid) : undefined);
      if (!key) continue;
      out.set(`${key}|${res}|${(d.start as Date).getTime()}`, {
        n: d.n as number,
        sum: d.sum as number,
        min: d.min as number,
        max: d.max as number,
        ...(d.inc !== undefined ? { inc: d.inc as number } : {}),
      });
    }
  }
  return out;
}

/**
 * Waits (bounded) until the rollups equal `truth`, each sample exactly once: the differences left
 * ([] when equal). For tests that print their measurements before they assert.
 */
export async function rollupDiffs(
  store: Store,
  instance: string | undefined,
  truth: Map<string, Cell>,
  opts: { timeoutMs: number; everyMs: number },
): Promise<string[]> {
  let diffs: string[] = [];
  await until(
    'the rollups equal the delivered payloads, each once',
    async () => {
      diffs = compareRollups(await rollupsOf(store, instance), truth);
      return diffs.length === 0;
    },
    { ...opts, describe: () => `${diffs.length} differences, e.g. ${diffs[0]}` },
  ).catch(() => undefined);
  return diffs;
}

/** rollupDiffs, then asserts there are none. */
export async function expectRollups(...args: Parameters<typeof rollupDiffs>): Promise<void> {
  expect((await rollupDiffs(...args)).slice(0, 5)).toEqual([]);
}

/**
 * Differences between the store and the truth ([] when equal): every cell exact, except the sum of
 * node_time_seconds (fractional seconds, whose sum depends on the order of the additions: each of the
 * n additions rounds by at most half an ulp of a partial sum ≤ |sum|, so within n·ε·|sum|).
 */
export function compareRollups(actual: Map<string, Cell>, truth: Map<string, Cell>): string[] {
  const diffs: string[] = [];
  for (const [k, want] of truth) {
    const got = actual.get(k);
    const sumOk = (a: number, b: number) =>
      k.startsWith('node_time_seconds{') ? Math.abs(a - b) <= want.n * Number.EPSILON * Math.abs(b) : a === b;
    if (
      !got ||
      got.n !== want.n ||
      !sumOk(got.sum, want.sum) ||
      got.min !== want.min ||
      got.max !== want.max ||
      got.inc !== want.inc
    )
      diffs.push(`${k}: want ${JSON.stringify(want)} got ${JSON.stringify(got)}`);
  }
  for (const k of actual.keys()) if (!truth.has(k)) diffs.push(`${k}: not in the truth`);
  return diffs;
}

/** Every series of one metric family (the `service` label left out). */
export async function metricLines(
  url: string,
  name: string,
): Promise<Array<{ labels: Record<string, string>; value: number }>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const out: Array<{ labels: Record<string, string>; value: number }> = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const labels: Record<string, string> = {};
    for (const m of line.slice(name.length + 1, line.lastIndexOf('}')).matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g))
      if (m[1] !== 'service') labels[m[1]!] = m[2]!;
    out.push({ labels, value: Number(line.slice(line.lastIndexOf(' ') + 1)) });
  }
  return out;
}

export interface ExportedDrops {
  payloads: number;
  samples: number;
  bytes: number;
  oldestS?: number;
  newestS?: number;
}

/** ingest's sluice_ingest_agent_dropped_* for one agent, by reason. */
export async function exportedDrops(url: string, agentId: string): Promise<Record<string, ExportedDrops>> {
  const out: Record<string, ExportedDrops> = {};
  const fields: Array<[keyof ExportedDrops, string]> = [
    ['payloads', 'sluice_ingest_agent_dropped_payloads'],
    ['samples', 'sluice_ingest_agent_dropped_samples'],
    ['bytes', 'sluice_ingest_agent_dropped_bytes'],
    ['oldestS', 'sluice_ingest_agent_dropped_oldest_timestamp_seconds'],
    ['newestS', 'sluice_ingest_agent_dropped_newest_timestamp_seconds'],
  ];
  for (const [field, name] of fields) {
    for (const { labels, value } of await metricLines(url, name)) {
      if (labels.agent !== agentId || labels.tenant !== TENANT) continue;
      const reason = labels.reason ?? '';
      out[reason] ??= { payloads: 0, samples: 0, bytes: 0 };
      out[reason][field] = value;
    }
  }
  return out;
}

/** Waits (bounded) until ingest exports exactly `expected` as the agent's drops, then asserts it. */
export async function expectExportedDrops(
  url: string,
  agentId: string,
  expected: Record<string, ExportedDrops>,
): Promise<void> {
  let exported = {};
  await until(
    'ingest to export exactly the drops expected',
    async () => {
      exported = await exportedDrops(url, agentId);
      return JSON.stringify(exported) === JSON.stringify(expected);
    },
    { timeoutMs: 30_000, everyMs: 500 },
  ).catch(() => undefined);
  expect(exported).toEqual(expected);
}
