/**
 * What `sluice-agent status` shows, from one of three sources:
 *
 * - `agent`: the running agent's `GET /status` on its HTTP port (StatusTracker below, wired in
 *   main.ts). Exact: the buffer's own stats, the send and append rates over the last minute, the last
 *   successful send.
 * - `files-while-running`: the agent holds the buffer's lock but its port did not answer (stopped,
 *   overloaded, listen address unknown). Only what can be read without opening anything and without
 *   racing the writer: the position file and the segment files' sizes. Approximate, and marked so.
 * - `files`: no agent holds the directory: a read-only recovery of it (diskbuffer `inspect`), no lock
 *   taken, nothing written.
 *
 * The drain ETA is the backlog divided by the net drain rate (payloads acknowledged by ingest per
 * second minus payloads appended per second, over the last RATE_WINDOW_MS); "full ETA" is the free
 * room under the byte bound divided by the rate the buffer grows. Both are estimates from the recent
 * past; they are undefined when the rate is unknown or does not drain (fill).
 */
import { readFileSync, unlinkSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import {
  type DiskBuffer,
  DROP_REASONS,
  type DropCounters,
  type Inspection,
  type Peek,
} from './diskbuffer/index.ts';
import type { AgentMetrics } from './metrics.ts';
import { writeFileAtomicSync } from './state.ts';

export type StatusSource = 'agent' | 'files' | 'files-while-running';

export interface DropLine {
  payloads: number;
  samples: number;
  bytes?: number | undefined;
  minTimeMs?: number | undefined;
  maxTimeMs?: number | undefined;
}

export interface DrainEstimate {
  state: 'empty' | 'draining' | 'not draining' | 'unknown';
  etaS: number | undefined;
  sendPerS: number | undefined;
  appendPerS: number | undefined;
  /** Seconds of history the rates are computed over. */
  windowS: number;
  /** Seconds until the byte bound is reached at the current growth (undefined when not growing). */
  fullEtaS: number | undefined;
}

export interface AgentStatus {
  source: StatusSource;
  pid: number | undefined;
  agentId: string | undefined;
  version: string | undefined;
  startedMs: number | undefined;
  nowMs: number;
  bufferDir: string;
  buffer: {
    payloads: number;
    bytes: number;
    memoryBytes: number | undefined;
    segments: number;
    maxBytes: number;
    /** Earliest sample time in the oldest buffered payload (its append time when it carries none). */
    oldestSampleMs: number | undefined;
    approximate: boolean;
  };
  drain: DrainEstimate;
  lastSendMs: number | undefined;
  /** Per reason: the buffer's persisted totals, and (agent only) ingest's refusals since start. */
  drops: Record<string, DropLine>;
  degraded: { code: string; message: string; sinceMs: number } | undefined;
  note: string | undefined;
}

export const RATE_WINDOW_MS = 60_000;

export interface RateSample {
  monoMs: number;
  /** Payloads acknowledged by ingest so far. */
  sent: number;
  /** Payloads appended so far (the buffer's next id). */
  appended: number;
  bytes: number;
}

/** The drain estimate from samples (oldest first, within the window) and the backlog now. Pure. */
export function drainEstimate(
  samples: readonly RateSample[],
  payloads: number,
  bytes: number,
  maxBytes: number,
): DrainEstimate {
  const first = samples[0];
  const last = samples[samples.length - 1];
  const dt = first && last ? (last.monoMs - first.monoMs) / 1000 : 0;
  if (!first || !last || dt < 1)
    return {
      state: payloads === 0 ? 'empty' : 'unknown',
      etaS: payloads === 0 ? 0 : undefined,
      sendPerS: undefined,
      appendPerS: undefined,
      windowS: dt,
      fullEtaS: undefined,
    };
  const sendPerS = (last.sent - first.sent) / dt;
  const appendPerS = (last.appended - first.appended) / dt;
  const growth = (last.bytes - first.bytes) / dt;
  const net = sendPerS - appendPerS;
  const base = {
    sendPerS,
    appendPerS,
    windowS: dt,
    fullEtaS: growth > 0 ? Math.max(0, maxBytes - bytes) / growth : undefined,
  };
  if (payloads === 0) return { state: 'empty', etaS: 0, ...base };
  if (net > 0) return { state: 'draining', etaS: payloads / net, ...base };
  return { state: 'not draining', etaS: undefined, ...base };
}

export function dropLines(d: DropCounters): Record<string, DropLine> {
  const out: Record<string, DropLine> = {};
  for (const reason of DROP_REASONS) {
    const c = d[reason];
    if (c.records === 0) continue;
    out[reason] = {
      payloads: c.records,
      samples: c.samples,
      bytes: c.bytes,
      minTimeMs: c.minTimeMs,
      maxTimeMs: c.maxTimeMs,
    };
  }
  return out;
}

export interface TrackerOptions {
  buffer: DiskBuffer;
  metrics: AgentMetrics;
  bufferDir: string;
  agentId: string;
  version: string;
  maxBytes: number;
  sampleMs?: number;
}

/** The running agent's side: samples the rates once a second and answers `GET /status`. */
export class StatusTracker {
  readonly #o: TrackerOptions;
  readonly #started = Date.now();
  #samples: RateSample[] = [];
  #lastSent = 0;
  #lastSendMs: number | undefined;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(o: TrackerOptions) {
    this.#o = o;
  }

  start(): void {
    if (this.#timer || this.#stopped) return;
    this.#timer = setInterval(() => void this.#sample(), this.#o.sampleMs ?? 1000);
    this.#timer.unref();
    void this.#sample();
  }

  stop(): void {
    this.#stopped = true;
    clearInterval(this.#timer);
  }

  async #sample(): Promise<void> {
    if (this.#stopped) return;
    const sent = (await this.#o.metrics.payloadsSent.get()).values[0]?.value ?? 0;
    const st = this.#o.buffer.stats();
    const now = performance.now();
    // The send time is known to the sampling period (1 s): the counter moved since the last sample.
    if (sent > this.#lastSent) this.#lastSendMs = Date.now();
    this.#lastSent = sent;
    this.#samples.push({ monoMs: now, sent, appended: st.nextId, bytes: st.bytes });
    while ((this.#samples[0]?.monoMs ?? now) < now - RATE_WINDOW_MS) this.#samples.shift();
  }

  /** The status now (the buffer's stats at this instant, rates over the last minute). */
  async status(): Promise<AgentStatus> {
    await this.#sample();
    const { buffer, metrics } = this.#o;
    const st = buffer.stats();
    const head = buffer.read(1)[0] as ReturnType<DiskBuffer['read']>[number] | undefined;
    const drops = dropLines(st.drops);
    // Ingest's refusals (sender reasons) are label values next to the buffer's on the same metrics.
    const payloads = (await metrics.droppedPayloads.get()).values;
    const samples = (await metrics.droppedSamples.get()).values;
    for (const v of payloads) {
      const reason = String(v.labels.reason);
      if ((DROP_REASONS as readonly string[]).includes(reason) || v.value === 0) continue;
      const s = samples.find((x) => x.labels.reason === reason)?.value ?? 0;
      drops[reason] = { payloads: v.value, samples: s };
    }
    const mono = performance.now();
    return {
      source: 'agent',
      pid: process.pid,
      agentId: this.#o.agentId,
      version: this.#o.version,
      startedMs: this.#started,
      nowMs: Date.now(),
      bufferDir: this.#o.bufferDir,
      buffer: {
        payloads: st.records,
        bytes: st.bytes,
        memoryBytes: st.memoryBytes,
        segments: st.segments,
        maxBytes: this.#o.maxBytes,
        oldestSampleMs: head?.meta?.minTimeMs ?? head?.appendMs,
        approximate: false,
      },
      drain: drainEstimate(this.#samples, st.records, st.bytes, this.#o.maxBytes),
      lastSendMs: this.#lastSendMs,
      drops,
      degraded: st.degraded && {
        code: st.degraded.code,
        message: st.degraded.message,
        sinceMs: Date.now() - (mono - st.degraded.sinceMonoMs),
      },
      note: undefined,
    };
  }

  /** The `GET /status` route for common/service.ts startHttp. */
  routes = async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/status') return false;
    if (this.#stopped) {
      res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"SLC_ERR_AGENT_CLOSING"}');
      return true;
    }
    const body = JSON.stringify(await this.status(), nullForUndefined);
    res.writeHead(200, { 'content-type': 'application/json' }).end(`${body}\n`);
    return true;
  };
}

/** JSON replacer: an unknown value is `null` in the output, not a missing key. */
export function nullForUndefined(_key: string, v: unknown): unknown {
  return v === undefined ? null : v;
}

const BASE = {
  pid: undefined,
  agentId: undefined,
  version: undefined,
  startedMs: undefined,
  lastSendMs: undefined,
  degraded: undefined,
} as const;

const UNKNOWN_DRAIN: DrainEstimate = {
  state: 'unknown',
  etaS: undefined,
  sendPerS: undefined,
  appendPerS: undefined,
  windowS: 0,
  fullEtaS: undefined,
};

/** Status from a read-only inspection of a directory no process holds. */
export function statusFromInspection(
  i: Inspection,
  maxBytes: number,
  agentId: string | undefined,
): AgentStatus {
  const pending = Object.entries(i.pending).map(([r, n]) => `${r} ${n}`);
  return {
    ...BASE,
    source: 'files',
    agentId,
    nowMs: Date.now(),
    bufferDir: i.dir,
    buffer: {
      payloads: i.records,
      bytes: i.bytes,
      memoryBytes: 0,
      segments: i.segments,
      maxBytes,
      oldestSampleMs: i.oldest ? (i.oldest.meta?.minTimeMs ?? i.oldest.appendMs) : undefined,
      approximate: false,
    },
    drain: i.records === 0 ? { ...UNKNOWN_DRAIN, state: 'empty', etaS: 0 } : UNKNOWN_DRAIN,
    drops: dropLines(i.drops),
    note:
      'no agent holds the buffer: read from its files, nothing opened for writing' +
      (pending.length ? `; the next start will count: ${pending.join(', ')}` : ''),
  };
}

/**
 * Status of a directory a live agent holds whose HTTP port did not answer (diskbuffer `peek`: the files
 * as they are, read-only, without the lock). Approximate: the position file may lag the agent's acks
 * by up to a second, and payloads the agent holds in memory (degraded) are not on disk.
 */
export function statusFromPeek(
  dir: string,
  p: Peek,
  pid: number | undefined,
  maxBytes: number,
  agentId: string | undefined,
  why: string,
): AgentStatus {
  return {
    ...BASE,
    source: 'files-while-running',
    pid,
    agentId,
    nowMs: Date.now(),
    bufferDir: dir,
    buffer: {
      payloads: p.records,
      bytes: p.bytes,
      memoryBytes: undefined,
      segments: p.segments,
      maxBytes,
      oldestSampleMs: p.oldest ? (p.oldest.meta?.minTimeMs ?? p.oldest.appendMs) : undefined,
      approximate: true,
    },
    drain: UNKNOWN_DRAIN,
    drops: p.position ? dropLines(p.position.drops) : {},
    note: `agent pid ${pid} holds the buffer but its status endpoint did not answer (${why}): approximate figures read from the buffer files`,
  };
}

/** In the state directory: where the running agent's HTTP server listens (its port may be 0 in config). */
export const HTTP_ADDRESS_FILE = 'http.json';

export interface PublishedAddress {
  pid: number;
  host: string;
  port: number;
}

/** Written by the agent once it listens; removed at shutdown (a stale one names a dead pid). */
export function publishAddress(stateDir: string, host: string, port: number): void {
  const a: PublishedAddress = { pid: process.pid, host, port };
  writeFileAtomicSync(join(stateDir, HTTP_ADDRESS_FILE), `${JSON.stringify(a)}\n`);
}

export function unpublishAddress(stateDir: string): void {
  if (readPublishedAddress(stateDir)?.pid !== process.pid) return;
  try {
    unlinkSync(join(stateDir, HTTP_ADDRESS_FILE));
  } catch {
    // Already gone.
  }
}

export function readPublishedAddress(stateDir: string): PublishedAddress | undefined {
  try {
    const a = JSON.parse(readFileSync(join(stateDir, HTTP_ADDRESS_FILE), 'utf8'));
    if (Number.isInteger(a.pid) && typeof a.host === 'string' && Number.isInteger(a.port)) return a;
  } catch {
    // Missing or unreadable: fall back to the configured address.
  }
  return undefined;
}
