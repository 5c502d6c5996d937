/**
 * Turns the disk buffer's drop counters (stats().drops: cumulative and persisted across restarts, per
 * reason: records, bytes, samples, sample time range) into the agent's own metrics and logs.
 *
 * The baseline is zero, not the value at open: the first observation after open adds everything the
 * buffer has counted so far, earlier runs included, so `sluice_agent_dropped_payloads_total{reason}`
 * for a buffer reason equals the buffer's persisted total and does not fall back to 0 when the agent
 * restarts (only a deleted buffer directory resets it). Reasons from the sender (the HTTP code ingest
 * refused a payload with) are separate label values on the same metrics.
 */
import type { Logger } from '../common/log.ts';
import { DROP_REASONS, type DropCounters, type DropReason } from './diskbuffer/index.ts';
import type { AgentMetrics } from './metrics.ts';

export class BufferDropReporter {
  readonly #metrics: AgentMetrics;
  readonly #log: Logger;
  readonly #seen = new Map<DropReason, { records: number; samples: number }>();
  #first = true;

  constructor(metrics: AgentMetrics, log: Logger) {
    this.#metrics = metrics;
    this.#log = log;
  }

  /** Adds what `drops` counted since the last call to the metrics, and logs it (one line per reason). */
  observe(drops: DropCounters): void {
    const first = this.#first;
    this.#first = false;
    for (const reason of DROP_REASONS) {
      const c = drops[reason];
      const seen = this.#seen.get(reason) ?? { records: 0, samples: 0 };
      const records = c.records - seen.records;
      const samples = c.samples - seen.samples;
      if (records <= 0 && samples <= 0) continue;
      this.#seen.set(reason, { records: c.records, samples: c.samples });
      this.#metrics.droppedPayloads.inc({ reason }, Math.max(0, records));
      this.#metrics.droppedSamples.inc({ reason }, Math.max(0, samples));
      this.#log.warn(
        {
          reason,
          payloads: records,
          samples,
          totalPayloads: c.records,
          totalSamples: c.samples,
          totalBytes: c.bytes,
          // The range of every payload dropped for this reason so far (the counters keep no finer one).
          minTimeMs: c.minTimeMs,
          maxTimeMs: c.maxTimeMs,
        },
        first
          ? 'disk buffer: payloads dropped so far (persisted totals, earlier runs included)'
          : 'disk buffer: payloads dropped',
      );
    }
  }
}
