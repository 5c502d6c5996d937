/**
 * Sends buffered payloads to ingest: `POST /v1/ingest`, protobuf, gzip, `Authorization: Bearer <key>`,
 * over an undici keep-alive Pool, in two lanes (ARCHITECTURE P8, README "Backfill after an outage"):
 *
 * - live: the payloads of the last LIVE_PASSES passes (appended through `intake`, each pass announced by
 *   `wake()`), sent at once, oldest first, at most LIVE_PASSES requests at a time (a slow answer holds
 *   up one pass, not the next), ahead of everything else: fresh data
 *   first. What an older pass left unsent (ingest away) is backlog. Two passes, not one: a payload
 *   collected during a Retry-After pause that outlasts the interval is still fresh when the pause ends.
 * - backfill: everything else in the buffer, oldest first, paced at the rate ingest grants
 *   (`Sluice-Backfill-Rate`, agent/backfill.ts) with up to `backfillMaxInflight` requests in flight
 *   (one when ingest does not pace).
 * Every request announces `Sluice-Agent`, `Sluice-Lane` and `Sluice-Backlog` (payloads buffered beyond
 * the live ones); every answer's grant is taken. A 503/429 with Retry-After pauses both lanes for it plus
 * up to 50 % jitter (retry.ts), so the agents an outage turned away do not return together.
 *
 * Delivery guarantee: at-least-once for every payload that stays in the buffer. A payload leaves the
 * buffer (ackOne: in any order, as the lanes finish) only when ingest accepted it (2xx) or refused it for
 * good (400/401/403/413/415/422: ackDropped, counted with ingest's error code, logged at error).
 * Anything else (429/503 with Retry-After, other 5xx, timeouts, connection errors) leaves it buffered and
 * it is retried: Retry-After when the server gives one, else exponential backoff with full jitter and a
 * cap. A retried payload keeps its (agentId, seq), so an answer lost after ingest accepted it (timeout,
 * reset) produces a duplicate that the processor's dedup absorbs. The buffer's own bound (drop oldest,
 * counted) is the only other way out. After `policy.attempts` failed rounds in a row (requests in flight
 * together fail as one round) the sender rests until the next pass instead of spinning.
 */
import { gzipSync } from 'node:zlib';
import { Pool } from 'undici';
import type { Logger } from '../common/log.ts';
import { AgentPayload } from '../proto/index.ts';
import { Pacer } from './backfill.ts';
import type { BufferedPayload, PayloadBuffer, PayloadMeta } from './buffer.ts';
import type { AgentMetrics } from './metrics.ts';
import { countSamples } from './payload.ts';
import { classifyError, classifyStatus, type RetryPolicy, retryDelayMs, type Verdict } from './retry.ts';

export type Lane = 'live' | 'backfill';

export interface SenderOptions {
  /** Base URL of ingest; the payload goes to `<url>/v1/ingest`. */
  url: string;
  apiKey: string;
  buffer: PayloadBuffer;
  policy: RetryPolicy;
  log: Logger;
  metrics?: AgentMetrics;
  /** Announced as `Sluice-Agent` (ingest shares its backfill budget per agent). */
  agentId?: string;
  /** Most backfill requests in flight at once when ingest paces (default 4). */
  backfillMaxInflight?: number;
  /** With a grant of 0 and no answer for this long, one backfill request goes as a probe (default 15 s). */
  probeMs?: number;
  /** Keep-alive connections; at least backfillMaxInflight + LIVE_PASSES, so a live request never queues. */
  connections?: number;
  requestTimeoutMs?: number;
}

interface Live {
  item: BufferedPayload;
  appendedMs: number;
  /** The pass (count of wake()s) that made it live. */
  pass: number;
}

const now = () => performance.now();
/** Passes whose payloads are live (see the header). */
export const LIVE_PASSES = 2;

export class Sender {
  readonly #o: SenderOptions;
  readonly #pool: Pool;
  readonly #path: string;
  readonly #abort = new AbortController();
  readonly #maxBackfill: number;
  readonly #pacer: Pacer;
  #loop: Promise<void> | undefined;
  #poke: (() => void) | undefined;
  #draining = false;
  #deadline = Number.POSITIVE_INFINITY;
  #notBefore = 0;
  /** #notBefore was set by the server (Retry-After), not by our own backoff. */
  #notBeforeFromServer = false;
  #failures = 0;
  #cycle = 0;
  /** Bumped by every failed round: answers to requests started before it count as the same round. */
  #round = 0;
  #resting = false;
  #bug: unknown;
  /** Appended since the last wake(): the next pass's live payloads. */
  #incoming: Array<Omit<Live, 'pass'>> = [];
  /** Live payloads: the last LIVE_PASSES passes', and older ones still in flight as live. */
  readonly #live = new Map<number, Live>();
  #pass = 0;
  readonly #inflight = new Map<number, { lane: Lane; done: Promise<void> }>();
  #backfillInflight = 0;

  /** The buffer as the collector sees it: `append` stores the payload and makes it live. */
  readonly intake: PayloadBuffer;

  constructor(o: SenderOptions) {
    this.#o = o;
    this.#maxBackfill = Math.max(1, o.backfillMaxInflight ?? 4);
    this.#pacer = new Pacer({ probeMs: o.probeMs ?? 15_000, random: o.policy.random, nowMs: now() });
    const u = new URL(o.url);
    this.#path = `${u.pathname.replace(/\/+$/, '')}/v1/ingest`;
    this.#pool = new Pool(u.origin, {
      connections: Math.max(o.connections ?? 2, this.#maxBackfill + LIVE_PASSES),
      keepAliveTimeout: 30_000,
      headersTimeout: o.requestTimeoutMs ?? 30_000,
      bodyTimeout: o.requestTimeoutMs ?? 30_000,
    });
    const b = o.buffer;
    this.intake = {
      append: (bytes: Uint8Array, meta?: PayloadMeta) => {
        const id = b.append(bytes, meta);
        if (id > 0) this.#incoming.push({ item: { id, bytes }, appendedMs: now() });
        return id;
      },
      read: (max) => b.read(max),
      ack: (id) => b.ack(id),
      ackOne: (id) => b.ackOne(id),
      ackDropped: (id, reason) => b.ackDropped(id, reason),
      get count() {
        return b.count;
      },
      get bytes() {
        return b.bytes;
      },
    };
  }

  /** Starts the send loop. It runs until `drain()`; a TypeError (a bug) rejects the returned promise. */
  start(): Promise<void> {
    this.#loop ??= this.#run();
    return this.#loop;
  }

  /** Tells the loop that a pass appended payloads: they are the live lane now (see the header). */
  wake(): void {
    this.#pass++;
    for (const [id, l] of this.#live) if (!this.#isLive(l) && !this.#inflight.has(id)) this.#live.delete(id);
    for (const l of this.#incoming) this.#live.set(l.item.id, { ...l, pass: this.#pass });
    this.#incoming = [];
    this.#resting = false;
    this.#kick();
  }

  /**
   * Sends what is queued for at most `timeoutMs` (live first, backfill at the granted pace; ignoring the
   * attempt limit and skipping a pending backoff of our own; a server's Retry-After that ends past the
   * deadline ends the drain at once), then stops the loop, aborting what is still in flight. What is
   * left stays in the buffer. Returns its count.
   */
  async drain(timeoutMs: number): Promise<number> {
    this.#draining = true;
    this.#deadline = now() + timeoutMs;
    if (!this.#notBeforeFromServer) this.#notBefore = 0;
    const timer = setTimeout(() => this.#stop(), timeoutMs);
    this.wake();
    try {
      await (this.#loop ?? this.start());
    } finally {
      clearTimeout(timer);
      this.#stop();
    }
    return this.#o.buffer.count;
  }

  async close(): Promise<void> {
    await this.#pool.close();
  }

  /** The grant ingest gave last, payload bytes/s (undefined: it does not pace). */
  get grant(): number | undefined {
    return this.#pacer.rate;
  }

  #stop(): void {
    this.#abort.abort();
    this.#kick();
  }

  #stopped(): boolean {
    return this.#abort.signal.aborted;
  }

  #kick(): void {
    const p = this.#poke;
    this.#poke = undefined;
    p?.();
  }

  /** Resolves after `ms`, on a kick (wake, an answer, stop) — whichever comes first. */
  #rest(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.#kick(), Number.isFinite(ms) ? Math.max(0, ms) : 2 ** 31 - 1);
      this.#poke = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /** Payloads buffered beyond the live ones (announced as Sluice-Backlog). */
  #backlog(): number {
    return Math.max(0, this.#o.buffer.count - this.#live.size);
  }

  #isLive(l: Live): boolean {
    return l.pass > this.#pass - LIVE_PASSES;
  }

  #nextLive(): Live | undefined {
    for (const l of this.#live.values()) if (this.#isLive(l) && !this.#inflight.has(l.item.id)) return l;
    return undefined;
  }

  #nextBackfill(): BufferedPayload | undefined {
    if (this.#backlog() <= this.#backfillInflight) return undefined;
    const want = this.#backfillInflight + this.#live.size + 1;
    for (const r of this.#o.buffer.read(want))
      if (!this.#inflight.has(r.id) && !this.#live.has(r.id)) return r;
    return undefined;
  }

  async #run(): Promise<void> {
    while (!this.#stopped()) {
      if (this.#bug) throw this.#bug;
      const t = now();
      if (t < this.#notBefore) {
        if (this.#draining && this.#notBefore >= this.#deadline) break;
        await this.#rest(this.#notBefore - t);
        continue;
      }
      if (this.#resting && !this.#draining) {
        await this.#rest(Number.POSITIVE_INFINITY);
        continue;
      }
      let liveInflight = 0;
      for (const f of this.#inflight.values()) if (f.lane === 'live') liveInflight++;
      const live = liveInflight < LIVE_PASSES ? this.#nextLive() : undefined;
      if (live) {
        this.#launch(live.item, 'live', live.appendedMs);
        continue;
      }
      let wait = Number.POSITIVE_INFINITY;
      const paced = this.#pacer.rate !== undefined;
      if (this.#backfillInflight < (paced ? this.#maxBackfill : 1)) {
        const item = this.#nextBackfill();
        if (item) {
          wait = this.#pacer.delayMs(t);
          if (wait <= 0) {
            this.#pacer.took(item.bytes.length, t);
            this.#launch(item, 'backfill');
            continue;
          }
        }
      }
      if (this.#draining && this.#inflight.size === 0 && this.#live.size === 0 && this.#backlog() === 0)
        break;
      await this.#rest(wait);
    }
    this.#stop();
    await Promise.all([...this.#inflight.values()].map((f) => f.done));
    if (this.#bug) throw this.#bug;
  }

  #launch(item: BufferedPayload, lane: Lane, appendedMs?: number): void {
    const round = this.#round;
    if (lane === 'backfill') this.#backfillInflight++;
    // Evicted by the buffer's bound while in flight, it is counted by the answer (diskbuffer/inflight.ts).
    this.#o.buffer.sending?.(item.id);
    const done = this.#attempt(item, lane)
      .then((v) => this.#settle(item, lane, v, round, appendedMs))
      .catch((err: unknown) => {
        this.#bug ??= err;
      })
      .finally(() => {
        this.#o.buffer.sent?.(item.id);
        this.#inflight.delete(item.id);
        if (lane === 'backfill') this.#backfillInflight--;
        this.#kick();
      });
    this.#inflight.set(item.id, { lane, done });
  }

  #settle(item: BufferedPayload, lane: Lane, v: Verdict, round: number, appendedMs?: number): void {
    const { metrics } = this.#o;
    if (v.action === 'retry' && v.reason === 'shutdown') return;
    metrics?.laneSends.inc({ lane, outcome: v.action });
    // A live payload of an earlier pass that did not get through is backlog now.
    const l = this.#live.get(item.id);
    if (v.action === 'retry' && l && !this.#isLive(l)) this.#live.delete(item.id);
    if (v.action !== 'retry') {
      this.#live.delete(item.id);
      this.#failures = 0;
      this.#cycle = 0;
      if (v.action === 'ack') {
        metrics?.laneBytes.inc({ lane }, item.bytes.length);
        if (appendedMs !== undefined) metrics?.liveLatency.observe((now() - appendedMs) / 1000);
      }
      return;
    }
    if (round !== this.#round) return; // the same failed round as an answer already counted
    this.#round++;
    this.#failures++;
    this.#cycle++;
    const until = now() + retryDelayMs(this.#o.policy, v, this.#failures);
    if (until > this.#notBefore || v.retryAfterMs !== undefined) {
      this.#notBefore = until;
      this.#notBeforeFromServer = v.retryAfterMs !== undefined;
    }
    if (this.#cycle >= this.#o.policy.attempts && !this.#draining) {
      this.#cycle = 0;
      this.#resting = true;
    }
  }

  async #attempt(item: BufferedPayload, lane: Lane): Promise<Verdict> {
    const { buffer, metrics, log } = this.#o;
    // Compressed per attempt (a retry waits its backoff anyway): nothing is kept per buffered payload.
    const body = gzipSync(item.bytes);
    const t0 = now();
    let v: Verdict;
    try {
      const res = await this.#pool.request({
        path: this.#path,
        method: 'POST',
        headers: {
          'content-type': 'application/x-protobuf',
          'content-encoding': 'gzip',
          authorization: `Bearer ${this.#o.apiKey}`,
          'sluice-lane': lane,
          'sluice-backlog': String(this.#backlog()),
          ...(this.#o.agentId ? { 'sluice-agent': this.#o.agentId } : {}),
        },
        body,
        signal: this.#abort.signal,
      });
      const text = await res.body.text();
      this.#granted(res.headers['sluice-backfill-rate']);
      const ra = res.headers['retry-after'];
      v = classifyStatus(res.statusCode, Array.isArray(ra) ? ra[0] : ra, text, Date.now());
      if (v.action !== 'ack')
        log.warn({ status: res.statusCode, lane, body: text.slice(0, 500) }, 'ingest refused');
    } catch (err) {
      if (this.#stopped()) return { action: 'retry', reason: 'shutdown' };
      v = classifyError(err);
      log.warn({ err, lane, reason: v.action === 'retry' ? v.reason : undefined }, 'send failed');
    } finally {
      metrics?.sendDuration.observe((now() - t0) / 1000);
    }
    // Read from the payload before its ack: a disk buffer's read() bytes are valid until then only.
    const samples = v.action === 'retry' ? 0 : countSamples(item.bytes);
    if (v.action === 'ack') {
      buffer.ackOne(item.id);
      metrics?.payloadsSent.inc();
      metrics?.samplesSent.inc(samples);
    } else if (v.action === 'drop') {
      const seq = seqOf(item.bytes);
      // Counted and persisted with the ack (reason rejected_4xx): part of the agent's drop report.
      buffer.ackDropped(item.id, 'rejected_4xx');
      metrics?.sendFailures.inc({ reason: v.reason });
      metrics?.droppedPayloads.inc({ reason: v.reason });
      metrics?.droppedSamples.inc({ reason: v.reason }, samples);
      log.error({ reason: v.reason, seq, samples }, 'payload refused for good: dropped');
    } else {
      metrics?.sendFailures.inc({ reason: v.reason });
    }
    metrics?.queueBytes.set(buffer.bytes);
    metrics?.queuePayloads.set(buffer.count);
    metrics?.backlogPayloads.set(this.#backlog());
    return v;
  }

  /** Takes the grant of an answer (a malformed header counts as none). */
  #granted(header: string | string[] | undefined): void {
    const text = Array.isArray(header) ? header[0] : header;
    const rate = text !== undefined && /^\d{1,15}$/.test(text.trim()) ? Number(text) : undefined;
    this.#pacer.answered(rate, now());
    if (rate !== undefined) this.#o.metrics?.backfillGrant.set(rate);
  }
}

function seqOf(bytes: Uint8Array): number | undefined {
  try {
    return Number(AgentPayload.decode(bytes).seq);
  } catch {
    return undefined;
  }
}
