/**
 * Synthetic agents at a steady, known rate, from a seed. The samples they produce are the ground
 * truth, computed here without any pipeline code: per series and 1-minute bucket, the count and the
 * sum of values (integers, so sums are exact). Each agent retries a payload (the same bytes, the same
 * seq) until ingest answers 204, as the real agent does; it never drops one.
 */

import { AgentPayload, type IAgentPayload } from '../../proto/index.ts';
import { prng } from '../support/prng.ts';

export interface LoadOptions {
  agents: number;
  series: number;
  /** Real time between an agent's payloads. */
  intervalMs: number;
  /** Logical time between an agent's samples (one sample per series per payload). */
  stepMs: number;
  /** Logical time of the first sample. */
  startMs: number;
  seed: number;
  key: string;
  tenant: string;
}

export interface Truth {
  /** `series|bucketStartMs` → { n, sum }, 1-minute buckets. */
  m1: Map<string, { n: number; sum: number }>;
  /** The same over 1-hour buckets. */
  h1: Map<string, { n: number; sum: number }>;
  samples: number;
  payloads: number;
}

export class Load {
  readonly truth: Truth = { m1: new Map(), h1: new Map(), samples: 0, payloads: 0 };
  /** Requests answered other than 204, by status (0 = network error). */
  readonly refusals = new Map<number, number>();
  readonly #o: LoadOptions;
  readonly #rand: () => number;
  #url: () => string;
  #stop = false;
  #running: Promise<void>[] = [];
  #seq: number[];
  #t: number[];
  accepted = 0;
  /** `agentId|t` → the seq of the payload holding that agent's samples at logical time t. */
  readonly seqAt = new Map<string, number>();

  constructor(o: LoadOptions, url: () => string) {
    this.#o = o;
    this.#rand = prng(o.seed);
    this.#url = url;
    this.#seq = Array.from({ length: o.agents }, () => 1);
    this.#t = Array.from({ length: o.agents }, () => o.startMs);
  }

  /** The next payload of agent `a`, recorded in the truth when built (it will be sent until accepted). */
  #next(a: number): Uint8Array {
    const agentId = `agent-${this.#o.seed}-${a}`;
    const t = this.#t[a]!;
    this.#t[a] = t + this.#o.stepMs;
    const series: NonNullable<IAgentPayload['series']> = [];
    for (let s = 0; s < this.#o.series; s++) {
      const v = Math.floor(this.#rand() * 1000) - 100;
      const name = `sluice_fault_g${s}`;
      series.push({ name, labels: [{ name: 'agent', value: agentId }], kind: 1, gauge: [{ tMs: t, v }] });
      this.#record(`${name}{agent=${agentId}}`, t, v);
    }
    this.truth.payloads++;
    this.seqAt.set(`${agentId}|${t}`, this.#seq[a]!);
    return AgentPayload.encode({ agentId, seq: this.#seq[a]!++, series, createdMs: t }).finish();
  }

  #record(series: string, t: number, v: number): void {
    for (const [res, map] of [
      [60_000, this.truth.m1],
      [3_600_000, this.truth.h1],
    ] as const) {
      const k = `${series}|${Math.ceil(t / res) * res - res}`;
      const e = map.get(k) ?? { n: 0, sum: 0 };
      e.n++;
      e.sum += v;
      map.set(k, e);
    }
    this.truth.samples++;
  }

  /** Sends `body` until ingest answers 204 (or the load is stopped with `abandon`). */
  async #deliver(body: Uint8Array): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      let status = 0;
      try {
        const res = await fetch(`${this.#url()}/v1/ingest`, {
          method: 'POST',
          headers: { authorization: `Bearer ${this.#o.key}`, 'content-type': 'application/x-protobuf' },
          body,
          signal: AbortSignal.timeout(10_000),
        });
        await res.arrayBuffer();
        status = res.status;
      } catch {
        status = 0;
      }
      if (status === 204) {
        this.accepted++;
        return;
      }
      this.refusals.set(status, (this.refusals.get(status) ?? 0) + 1);
      if (status >= 400 && status < 500) throw new Error(`ingest refused a valid payload with ${status}`);
      await new Promise((r) =>
        setTimeout(r, Math.min(2000, 100 * 2 ** Math.min(attempt, 4)) * (0.5 + Math.random() / 2)),
      );
    }
  }

  /** Every agent sends one payload per interval until `stop`, or `count` payloads each. */
  start(count = Number.POSITIVE_INFINITY): void {
    this.#stop = false;
    this.#running = Array.from({ length: this.#o.agents }, async (_, a) => {
      await new Promise((r) => setTimeout(r, (a / this.#o.agents) * this.#o.intervalMs));
      for (let i = 0; i < count && !this.#stop; i++) {
        const started = Date.now();
        await this.#deliver(this.#next(a));
        const wait = this.#o.intervalMs - (Date.now() - started);
        if (wait > 0 && i + 1 < count) await new Promise((r) => setTimeout(r, wait));
      }
    });
  }

  /** Resolves when every agent has sent its `count` payloads (see `start`) and all were accepted. */
  async finish(): Promise<void> {
    await Promise.all(this.#running);
  }

  /** Stops building new payloads; resolves when every built payload was accepted. */
  async stop(): Promise<void> {
    this.#stop = true;
    await Promise.all(this.#running);
  }

  /** The payloads holding samples of `series` (`name{agent=id}`) in the bucket starting at `startMs`. */
  seqsOf(series: string, startMs: number, resMs: number): { agentId: string; seq: number }[] {
    const agentId = /agent=([^}]*)/.exec(series)?.[1] ?? '';
    const out: { agentId: string; seq: number }[] = [];
    // Buckets are right-closed: (start, start + res].
    const first = Math.floor(startMs / this.#o.stepMs) * this.#o.stepMs;
    for (let t = first; t <= startMs + resMs; t += this.#o.stepMs) {
      const seq = t > startMs ? this.seqAt.get(`${agentId}|${t}`) : undefined;
      if (seq !== undefined) out.push({ agentId, seq });
    }
    return out;
  }
}

export { prng };
