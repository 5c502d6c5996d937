/**
 * Sends queued payloads to ingest: `POST /v1/ingest`, protobuf, gzip, `Authorization: Bearer <key>`,
 * over an undici keep-alive Pool.
 *
 * Delivery guarantee: at-least-once for every payload that stays in the buffer. A payload leaves the
 * buffer only when ingest accepted it (2xx) or refused it for good (400/401/403/413/415/422: dropped,
 * counted with ingest's error code, logged at error). Anything else (429/503 with Retry-After, other
 * 5xx, timeouts, connection errors) leaves it at the head of the buffer and is retried: Retry-After when
 * the server gives one, else exponential backoff with full jitter and a cap. A retried payload keeps its
 * (agentId, seq), so an answer lost after ingest accepted it (timeout, reset) produces a duplicate that
 * the processor's dedup absorbs. The buffer's own bound (drop oldest, counted) is the only other way out.
 *
 * One request is in flight at a time: payloads go in order and a pass makes one or a few payloads per
 * interval, so one connection keeps up; pipelining several is a later optimisation (the backfill of the
 * disk buffer will want it). After `policy.attempts` failed attempts in a row the sender rests until the
 * next payload is appended (the next pass) instead of spinning.
 */
import { gzipSync } from 'node:zlib';
import { Pool } from 'undici';
import type { Logger } from '../common/log.ts';
import { AgentPayload } from '../proto/index.ts';
import type { BufferedPayload, PayloadBuffer } from './buffer.ts';
import type { AgentMetrics } from './metrics.ts';
import { countSamples } from './payload.ts';
import { classifyError, classifyStatus, type RetryPolicy, retryDelayMs, type Verdict } from './retry.ts';

export interface SenderOptions {
  /** Base URL of ingest; the payload goes to `<url>/v1/ingest`. */
  url: string;
  apiKey: string;
  buffer: PayloadBuffer;
  policy: RetryPolicy;
  log: Logger;
  metrics?: AgentMetrics;
  connections?: number;
  requestTimeoutMs?: number;
}

export class Sender {
  readonly #o: SenderOptions;
  readonly #pool: Pool;
  readonly #path: string;
  readonly #abort = new AbortController();
  #loop: Promise<void> | undefined;
  #wakeUp: (() => void) | undefined;
  #draining = false;
  #deadline = Number.POSITIVE_INFINITY;
  #notBefore = 0;
  /** #notBefore was set by the server (Retry-After), not by our own backoff. */
  #notBeforeFromServer = false;
  #gz: { id: number; body: Buffer } | undefined;

  constructor(o: SenderOptions) {
    this.#o = o;
    const u = new URL(o.url);
    this.#path = `${u.pathname.replace(/\/+$/, '')}/v1/ingest`;
    this.#pool = new Pool(u.origin, {
      connections: o.connections ?? 2,
      keepAliveTimeout: 30_000,
      headersTimeout: o.requestTimeoutMs ?? 30_000,
      bodyTimeout: o.requestTimeoutMs ?? 30_000,
    });
  }

  /** Starts the send loop. It runs until `drain()`; a TypeError (a bug) rejects the returned promise. */
  start(): Promise<void> {
    this.#loop ??= this.#run();
    return this.#loop;
  }

  /** Tells the loop that a payload was appended. */
  wake(): void {
    const w = this.#wakeUp;
    this.#wakeUp = undefined;
    w?.();
  }

  /**
   * Sends what is queued for at most `timeoutMs` (ignoring the per-cycle attempt limit and skipping a
   * pending backoff of our own; a server's Retry-After that ends past the deadline ends the drain at
   * once), then stops the loop, aborting a request still in flight. What is left stays in the buffer.
   * Returns its count.
   */
  async drain(timeoutMs: number): Promise<number> {
    this.#draining = true;
    this.#deadline = Date.now() + timeoutMs;
    // Our own backoff is no reason to give up the last chance to send; a server's Retry-After is.
    if (!this.#notBeforeFromServer) this.#notBefore = 0;
    const timer = setTimeout(() => this.#abort.abort(), timeoutMs);
    this.wake();
    try {
      await (this.#loop ?? this.start());
    } finally {
      clearTimeout(timer);
      this.#abort.abort();
    }
    return this.#o.buffer.count;
  }

  async close(): Promise<void> {
    await this.#pool.close();
  }

  #stopped(): boolean {
    return this.#abort.signal.aborted;
  }

  /** Resolves after `ms`, on wake(), or on stop — whichever comes first. */
  #rest(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#abort.signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, Number.isFinite(ms) ? ms : 2 ** 31 - 1);
      this.#abort.signal.addEventListener('abort', done);
      this.#wakeUp = done;
    });
  }

  async #run(): Promise<void> {
    const { buffer, policy } = this.#o;
    let failures = 0;
    let cycle = 0;
    while (!this.#stopped()) {
      const item = buffer.read(1)[0];
      if (!item) {
        if (this.#draining) return;
        await this.#rest(Number.POSITIVE_INFINITY);
        continue;
      }
      const wait = this.#notBefore - Date.now();
      if (wait > 0) {
        if (this.#draining && Date.now() + wait >= this.#deadline) return;
        await this.#sleepUntilNotBefore();
        continue;
      }
      const v = await this.#attempt(item);
      if (v.action === 'ack') {
        failures = 0;
        cycle = 0;
        continue;
      }
      if (v.action === 'drop') continue;
      failures++;
      cycle++;
      this.#notBefore = Date.now() + retryDelayMs(policy, v, failures);
      this.#notBeforeFromServer = v.retryAfterMs !== undefined;
      if (cycle >= policy.attempts && !this.#draining) {
        cycle = 0;
        await this.#rest(Number.POSITIVE_INFINITY);
      }
    }
  }

  /** Waits out #notBefore; a wake() does not cut it short (Retry-After and backoff are honoured). */
  async #sleepUntilNotBefore(): Promise<void> {
    for (;;) {
      const wait = this.#notBefore - Date.now();
      if (wait <= 0 || this.#stopped()) return;
      if (this.#draining && this.#notBefore >= this.#deadline) return;
      await this.#rest(wait);
    }
  }

  async #attempt(item: BufferedPayload): Promise<Verdict> {
    const { buffer, metrics, log } = this.#o;
    if (this.#gz?.id !== item.id) this.#gz = { id: item.id, body: gzipSync(item.bytes) };
    const t0 = performance.now();
    let v: Verdict;
    try {
      const res = await this.#pool.request({
        path: this.#path,
        method: 'POST',
        headers: {
          'content-type': 'application/x-protobuf',
          'content-encoding': 'gzip',
          authorization: `Bearer ${this.#o.apiKey}`,
        },
        body: this.#gz.body,
        signal: this.#abort.signal,
      });
      const text = await res.body.text();
      const ra = res.headers['retry-after'];
      v = classifyStatus(res.statusCode, Array.isArray(ra) ? ra[0] : ra, text, Date.now());
      if (v.action !== 'ack')
        log.warn({ status: res.statusCode, body: text.slice(0, 500) }, 'ingest refused');
    } catch (err) {
      if (this.#stopped()) return { action: 'retry', reason: 'shutdown' };
      v = classifyError(err);
      log.warn({ err, reason: v.action === 'retry' ? v.reason : undefined }, 'send failed');
    } finally {
      metrics?.sendDuration.observe((performance.now() - t0) / 1000);
    }
    if (v.action === 'ack') {
      buffer.ack(item.id);
      metrics?.payloadsSent.inc();
      metrics?.samplesSent.inc(countSamples(item.bytes));
    } else if (v.action === 'drop') {
      // Counted and persisted with the ack (reason rejected_4xx): part of the agent's drop report.
      buffer.ackDropped(item.id, 'rejected_4xx');
      const samples = countSamples(item.bytes);
      metrics?.sendFailures.inc({ reason: v.reason });
      metrics?.droppedPayloads.inc({ reason: v.reason });
      metrics?.droppedSamples.inc({ reason: v.reason }, samples);
      log.error({ reason: v.reason, seq: seqOf(item.bytes), samples }, 'payload refused for good: dropped');
    } else {
      metrics?.sendFailures.inc({ reason: v.reason });
    }
    metrics?.queueBytes.set(buffer.bytes);
    metrics?.queuePayloads.set(buffer.count);
    return v;
  }
}

function seqOf(bytes: Uint8Array): number | undefined {
  try {
    return Number(AgentPayload.decode(bytes).seq);
  } catch {
    return undefined;
  }
}
