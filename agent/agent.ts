/**
 * One pass of the agent: collect → series with counter deltas → payloads (seq) → buffer → persist the
 * counter state. The timer and the process wiring live in main.ts.
 *
 * Ordering (why): appending the payloads and saving the counter state happen in one synchronous block,
 * so the sender (same event loop) cannot send a payload whose counter step is not yet persisted. A
 * `kill -9` before the block loses the pass and the saved state still holds the previous values, so the
 * next run's first deltas cover the gap; after the block, the step is both queued and persisted. The
 * disk buffer (main.ts) has written each payload to the kernel when append returns, so a payload
 * appended here survives a kill -9 and is sent after the restart with the seq it was built with.
 */
import type { Logger } from '../common/log.ts';
import type { IAgentDrops, ISeries } from '../proto/index.ts';
import type { PayloadBuffer } from './buffer.ts';
import type { Pass } from './collect/host.ts';
import type { CounterState } from './counters.ts';
import type { AgentMetrics } from './metrics.ts';
import type { Labels } from './model.ts';
import { buildPayloads, type EncodedPayload, type HostInfo, passToSeries } from './payload.ts';
import type { SeqAllocator } from './seq.ts';
import type { StateDir } from './state.ts';

export interface AgentOptions {
  collector: { collect(nowMs: number): Promise<Pass> };
  state: StateDir;
  seq: SeqAllocator;
  buffer: PayloadBuffer;
  /** Told after each pass that payloads were appended. */
  onAppend?: () => void;
  /** App metrics (agent/statsd): the interval's series, drained in the pass's synchronous block. */
  app?: { drain(nowMs: number): ISeries[] };
  /** The cumulative drop report each payload carries (agent/drops.ts dropReport); none when absent. */
  drops?: () => IAgentDrops | undefined;
  metrics: AgentMetrics;
  log: Logger;
  agentId: string;
  host: HostInfo;
  /** job and instance. */
  stamp: Labels;
  maxSeries: number;
  forgetAfterPasses: number;
}

export class Agent {
  readonly #o: AgentOptions;
  #counters: CounterState | undefined;
  #bootTime: number | undefined;

  constructor(o: AgentOptions) {
    this.#o = o;
  }

  /** Runs one pass stamped `nowMs`; returns the payloads it queued. */
  async tick(nowMs: number = Date.now()): Promise<EncodedPayload[]> {
    const { metrics, log, state, buffer } = this.#o;
    const t0 = performance.now();
    const pass = await this.#o.collector.collect(nowMs);
    metrics.collectDuration.observe((performance.now() - t0) / 1000);
    for (const c of pass.collectors) {
      metrics.collectorSuccess.set({ collector: c.name }, c.ok ? 1 : 0);
      metrics.collectorDuration.set({ collector: c.name }, c.durationS);
      if (!c.ok) log.debug({ collector: c.name, error: c.error }, 'collector failed');
    }
    if (!this.#counters) {
      const loaded = state.loadCounters(pass.bootTime, this.#o.forgetAfterPasses);
      if (loaded.discarded) log.info({ why: loaded.discarded }, 'saved counter state discarded');
      else log.info({ counters: loaded.state.size }, 'counter state loaded');
      this.#counters = loaded.state;
    }
    this.#bootTime = pass.bootTime ?? this.#bootTime;

    // From here to the end: synchronous (see the header).
    const { series, duplicates } = passToSeries(pass.points, this.#o.stamp, this.#counters, nowMs);
    if (this.#o.app) series.push(...this.#o.app.drain(nowMs));
    const payloads = buildPayloads(series, {
      agentId: this.#o.agentId,
      host: this.#o.host,
      createdMs: nowMs,
      maxSeries: this.#o.maxSeries,
      nextSeq: () => this.#o.seq.next(),
      drops: this.#o.drops?.(),
    });
    for (const p of payloads) {
      // Every point of a pass is stamped nowMs: that is the payload's sample time range.
      buffer.append(p.bytes, { samples: p.samples, minTimeMs: nowMs, maxTimeMs: nowMs });
      metrics.payloadBytes.observe(p.bytes.length);
    }
    metrics.payloadsBuilt.inc(payloads.length);
    this.saveState(nowMs);
    metrics.series.set(series.length);
    metrics.duplicatePoints.inc(duplicates);
    metrics.counterState.set(this.#counters.size);
    metrics.queueBytes.set(buffer.bytes);
    metrics.queuePayloads.set(buffer.count);
    log.debug(
      { series: series.length, payloads: payloads.map((p) => p.seq), queued: buffer.count },
      'pass collected',
    );
    this.#o.onAppend?.();
    return payloads;
  }

  /** Persists the counter state (after each pass and at shutdown); a failure is counted, not thrown. */
  saveState(nowMs: number = Date.now()): void {
    if (!this.#counters) return;
    try {
      this.#o.state.saveCounters(this.#bootTime, this.#counters, nowMs);
    } catch (err) {
      this.#o.metrics.stateSaveFailures.inc();
      this.#o.log.error({ err }, 'saving the counter state failed');
    }
  }
}
