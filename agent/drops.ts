/**
 * The agent's drop accounting, from the disk buffer's counters (stats().drops: cumulative and persisted
 * across restarts, per reason: records, bytes, samples, sample time range; stats().epoch names their
 * incarnation) to where they are seen:
 *
 * - `dropReport(stats)`: the report every payload carries (AgentPayload.drops, proto/sluice.proto). It is
 *   cumulative, so the newest payload that reaches ingest tells everything dropped before it was built,
 *   and a dropped or lost payload loses no part of the report; ingest keeps the max per (agent, epoch,
 *   reason) (ingest/drops.ts). A drop that happens after the last payload was built is reported by the
 *   next one (the next pass).
 * - `BufferDropReporter`: the agent's own metrics and logs.
 *
 * The metrics' baseline is zero, not the value at open: the first observation after open adds everything
 * the buffer has counted so far, earlier runs included, so `sluice_agent_dropped_payloads_total{reason}`
 * for a buffer reason equals the buffer's persisted total and does not fall back to 0 when the agent
 * restarts (only a deleted buffer directory resets it, under a new epoch). `rejected_4xx` (payloads
 * ingest refused for good, acknowledged with ackDropped) is left out of the metrics here: the sender
 * counts those itself, labelled with ingest's error code, and logs each with its seq and samples.
 */
import type { Logger } from '../common/log.ts';
import type { IAgentDrops, IDropCount } from '../proto/index.ts';
import { DROP_REASONS, type DropCounters, type DropReason } from './diskbuffer/index.ts';
import type { AgentMetrics } from './metrics.ts';

/**
 * The drop report for a payload: every reason with at least one dropped record, in DROP_REASONS order.
 * Undefined when nothing was ever dropped (the field is then absent from the payload).
 */
export function dropReport(stats: { epoch: number; drops: DropCounters }): IAgentDrops | undefined {
  const counts: IDropCount[] = [];
  for (const reason of DROP_REASONS) {
    const c = stats.drops[reason];
    if (c.records <= 0) continue;
    counts.push({
      reason,
      payloads: c.records,
      samples: c.samples,
      bytes: c.bytes,
      minTimeMs: c.minTimeMs ?? 0,
      maxTimeMs: c.maxTimeMs ?? 0,
    });
  }
  return counts.length ? { epoch: stats.epoch, counts } : undefined;
}

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
      if (reason === 'rejected_4xx') continue;
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
