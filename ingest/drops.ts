/**
 * Agents' drop reports (AgentPayload.drops, proto/sluice.proto) → per tenant and agent metrics and logs.
 *
 * An agent reports what it has dropped as CUMULATIVE totals per reason within an epoch (the incarnation
 * of its counters). Every accepted payload carries the whole report as of when it was built, so a
 * backlog delivers old reports after newer ones: for each (tenant, agent, epoch, reason) we keep the
 * max of each field (the min of the oldest sample time), which ignores a stale report and needs none
 * of them to arrive. What is exported per (tenant, agent, reason) is the sum over the agent's epochs:
 *
 *   sluice_ingest_agent_dropped_payloads / _samples / _bytes
 *   sluice_ingest_agent_dropped_oldest_timestamp_seconds / _newest_timestamp_seconds  (when known)
 *
 * Bounds (memory is bounded whatever agents send): at most `maxAgents` agents (only agents that
 * reported a drop take a slot; the least recently reporting one is evicted, its series removed,
 * counted in sluice_ingest_agent_drop_reports_evicted_total and logged), MAX_EPOCHS_PER_AGENT epochs
 * per agent (the oldest is folded into a retired total, so the exported sums never go down, and its id
 * remembered (up to MAX_RETIRED_EPOCHS) so a late report of it is not counted twice), and
 * MAX_REASONS_PER_AGENT reasons per agent (validated reports carry at most MAX_DROP_COUNTS each).
 * The state is in memory: a restarted ingest learns it again from the next report of each agent
 * (reports are cumulative), so the exported totals are right again after one payload per agent.
 *
 * Each change of what is known for (agent, epoch, reason) is logged once, at warn.
 */
import type { Logger } from '../common/log.ts';
import type { IAgentDrops } from '../proto/index.ts';
import { type Refusal, refusal } from './errors.ts';
import type { IngestMetrics } from './metrics.ts';

/** Most counts in one report (an agent has 8 reasons today). */
export const MAX_DROP_COUNTS = 32;
export const MAX_EPOCHS_PER_AGENT = 16;
export const MAX_RETIRED_EPOCHS = 64;
export const MAX_REASONS_PER_AGENT = 32;
const REASON = /^[a-z][a-z0-9_]{0,63}$/;
/** Evictions are logged at most this often (each is counted). */
const EVICTION_LOG_EVERY_MS = 60_000;

interface Totals {
  payloads: number;
  samples: number;
  bytes: number;
  /** Sample times (ms), undefined when never known. */
  minTimeMs: number | undefined;
  maxTimeMs: number | undefined;
}

interface AgentEntry {
  tenant: string;
  agentId: string;
  epochs: Map<number, Map<string, Totals>>;
  /** Sums of epochs retired past MAX_EPOCHS_PER_AGENT, per reason. */
  retired: Map<string, Totals>;
  retiredEpochs: number[];
  reasons: Set<string>;
}

const uint = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;

/** The drop report's shape, checked with the payload (validate.ts): a refusal, or undefined when fine. */
export function checkDrops(d: IAgentDrops | null | undefined): Refusal | undefined {
  if (!d) return undefined;
  const counts = d.counts ?? [];
  const bad = (why: string) => refusal('SLC_ERR_INGEST_DROPS_INVALID', `drop report: ${why}`);
  if (counts.length === 0) return undefined;
  if (!uint(d.epoch) || d.epoch === 0) return bad('epoch is 0 or above 2^53 - 1');
  if (counts.length > MAX_DROP_COUNTS)
    return { ...bad(`${counts.length} counts`), detail: { limit: MAX_DROP_COUNTS, count: counts.length } };
  const seen = new Set<string>();
  for (const c of counts) {
    const reason = c.reason ?? '';
    if (!REASON.test(reason)) return bad(`reason ${JSON.stringify(reason.slice(0, 64))} is invalid`);
    if (seen.has(reason)) return bad(`reason ${reason} appears twice`);
    seen.add(reason);
    if (![c.payloads ?? 0, c.samples ?? 0, c.bytes ?? 0].every(uint))
      return bad(`${reason}: a count is too large`);
    const min = (c.minTimeMs as number) ?? 0;
    const max = (c.maxTimeMs as number) ?? 0;
    if (min < 0 || max < 0 || (min > 0 && max > 0 && min > max)) return bad(`${reason}: bad time range`);
  }
  return undefined;
}

function zero(): Totals {
  return { payloads: 0, samples: 0, bytes: 0, minTimeMs: undefined, maxTimeMs: undefined };
}

function minOf(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}

function maxOf(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.max(a, b);
}

/** `into` becomes the field-wise max of itself and `t` (min for the oldest time); true if it changed. */
function raise(into: Totals, t: Totals): boolean {
  const next: Totals = {
    payloads: Math.max(into.payloads, t.payloads),
    samples: Math.max(into.samples, t.samples),
    bytes: Math.max(into.bytes, t.bytes),
    minTimeMs: minOf(into.minTimeMs, t.minTimeMs),
    maxTimeMs: maxOf(into.maxTimeMs, t.maxTimeMs),
  };
  const changed = (Object.keys(next) as Array<keyof Totals>).some((k) => next[k] !== into[k]);
  Object.assign(into, next);
  return changed;
}

function add(into: Totals, t: Totals): void {
  into.payloads += t.payloads;
  into.samples += t.samples;
  into.bytes += t.bytes;
  into.minTimeMs = minOf(into.minTimeMs, t.minTimeMs);
  into.maxTimeMs = maxOf(into.maxTimeMs, t.maxTimeMs);
}

export interface DropReportsOptions {
  maxAgents: number;
  metrics: Pick<
    IngestMetrics,
    | 'agentDroppedPayloads'
    | 'agentDroppedSamples'
    | 'agentDroppedBytes'
    | 'agentDroppedOldest'
    | 'agentDroppedNewest'
    | 'dropReportAgents'
    | 'dropReportsEvicted'
  >;
  log: Logger;
  /** Wall clock, for throttling the eviction log only. */
  now?: () => number;
}

/** What ingest knows of its agents' drops; see the file header. Single-threaded, synchronous. */
export class AgentDropReports {
  readonly #o: DropReportsOptions;
  readonly #agents = new Map<string, AgentEntry>();
  #evictedSinceLog = 0;
  #lastEvictionLog = Number.NEGATIVE_INFINITY;

  constructor(o: DropReportsOptions) {
    if (!Number.isSafeInteger(o.maxAgents) || o.maxAgents < 1)
      throw new RangeError(`maxAgents ${o.maxAgents}`);
    this.#o = o;
  }

  /** Agents tracked (each reported at least one drop). */
  get size(): number {
    return this.#agents.size;
  }

  /**
   * Takes the (validated, see checkDrops) report of one payload ingest accepted. Called after Kafka's
   * ack, so a refused or failed payload's report is not taken (the agent sends it again, or a later
   * payload carries the same totals). Idempotent: a repeated or older report changes nothing.
   */
  observe(tenant: string, agentId: string, drops: IAgentDrops | null | undefined): void {
    const counts = drops?.counts ?? [];
    if (!drops || counts.length === 0) return;
    const key = `${tenant}\u0000${agentId}`;
    let agent = this.#agents.get(key);
    if (agent) this.#agents.delete(key);
    else {
      if (this.#agents.size >= this.#o.maxAgents) this.#evictOldest();
      agent = {
        tenant,
        agentId,
        epochs: new Map(),
        retired: new Map(),
        retiredEpochs: [],
        reasons: new Set(),
      };
    }
    this.#agents.set(key, agent); // most recent last: Map order is the eviction order
    const epoch = drops.epoch as number;
    if (agent.retiredEpochs.includes(epoch)) return;
    let reasons = agent.epochs.get(epoch);
    if (!reasons) {
      if (agent.epochs.size >= MAX_EPOCHS_PER_AGENT) this.#retireOldestEpoch(agent);
      reasons = new Map();
      agent.epochs.set(epoch, reasons);
    }
    for (const c of counts) {
      const reason = c.reason as string;
      if (!agent.reasons.has(reason)) {
        if (agent.reasons.size >= MAX_REASONS_PER_AGENT) continue;
        agent.reasons.add(reason);
      }
      const known = reasons.get(reason) ?? zero();
      reasons.set(reason, known);
      const changed = raise(known, {
        payloads: c.payloads as number,
        samples: c.samples as number,
        bytes: c.bytes as number,
        minTimeMs: (c.minTimeMs as number) > 0 ? (c.minTimeMs as number) : undefined,
        maxTimeMs: (c.maxTimeMs as number) > 0 ? (c.maxTimeMs as number) : undefined,
      });
      if (!changed) continue;
      const total = this.#export(agent, reason);
      this.#o.log.warn(
        { tenant, agentId, epoch, reason, ...known, exported: total },
        'agent reported dropped payloads',
      );
    }
  }

  /** The exported totals of one agent and reason (its epochs summed), or undefined. For tests. */
  totals(tenant: string, agentId: string, reason: string): Totals | undefined {
    const agent = this.#agents.get(`${tenant}\u0000${agentId}`);
    return agent?.reasons.has(reason) ? this.#sum(agent, reason) : undefined;
  }

  #sum(agent: AgentEntry, reason: string): Totals {
    const total = zero();
    const retired = agent.retired.get(reason);
    if (retired) add(total, retired);
    for (const reasons of agent.epochs.values()) {
      const t = reasons.get(reason);
      if (t) add(total, t);
    }
    return total;
  }

  #export(agent: AgentEntry, reason: string): Totals {
    const m = this.#o.metrics;
    const labels = { tenant: agent.tenant, agent: agent.agentId, reason };
    const t = this.#sum(agent, reason);
    m.agentDroppedPayloads.set(labels, t.payloads);
    m.agentDroppedSamples.set(labels, t.samples);
    m.agentDroppedBytes.set(labels, t.bytes);
    if (t.minTimeMs !== undefined) m.agentDroppedOldest.set(labels, t.minTimeMs / 1000);
    if (t.maxTimeMs !== undefined) m.agentDroppedNewest.set(labels, t.maxTimeMs / 1000);
    m.dropReportAgents.set(this.#agents.size);
    return t;
  }

  #retireOldestEpoch(agent: AgentEntry): void {
    const [epoch, reasons] = agent.epochs.entries().next().value as [number, Map<string, Totals>];
    agent.epochs.delete(epoch);
    for (const [reason, t] of reasons) {
      const into = agent.retired.get(reason) ?? zero();
      add(into, t);
      agent.retired.set(reason, into);
    }
    agent.retiredEpochs.push(epoch);
    if (agent.retiredEpochs.length > MAX_RETIRED_EPOCHS) agent.retiredEpochs.shift();
  }

  #evictOldest(): void {
    const [key, agent] = this.#agents.entries().next().value as [string, AgentEntry];
    this.#agents.delete(key);
    const m = this.#o.metrics;
    for (const reason of agent.reasons) {
      const labels = { tenant: agent.tenant, agent: agent.agentId, reason };
      for (const g of [
        m.agentDroppedPayloads,
        m.agentDroppedSamples,
        m.agentDroppedBytes,
        m.agentDroppedOldest,
        m.agentDroppedNewest,
      ])
        g.remove(labels);
    }
    m.dropReportsEvicted.inc();
    m.dropReportAgents.set(this.#agents.size);
    this.#evictedSinceLog++;
    const now = (this.#o.now ?? Date.now)();
    if (now - this.#lastEvictionLog < EVICTION_LOG_EVERY_MS) return;
    this.#o.log.warn(
      {
        evicted: this.#evictedSinceLog,
        last: { tenant: agent.tenant, agentId: agent.agentId },
        maxAgents: this.#o.maxAgents,
      },
      'drop reports: agents beyond SLUICE_INGEST_DROP_REPORT_MAX_AGENTS evicted (least recently reporting first)',
    );
    this.#evictedSinceLog = 0;
    this.#lastEvictionLog = now;
  }
}
