/**
 * Server-paced backfill (ARCHITECTURE P8): how fast agents may drain their backlog into this ingest
 * process, so that the wave after an outage never fills ingest (or Kafka behind it) and live data stays
 * fresh.
 *
 * The wire contract (README "Backfill after an outage"):
 * - every agent request announces `Sluice-Agent: <agent id>`, `Sluice-Backlog: <payloads buffered and
 *   not yet sent, live ones excluded>` and `Sluice-Lane: live|backfill`;
 * - every answer to `/v1/ingest` (204, 4xx and 503 alike) carries `Sluice-Backfill-Rate: <bytes/s>`:
 *   the asking agent's share of the budget, in payload bytes (protobuf, before gzip) per second. An agent
 *   with a backlog sends backfill requests at most at that rate; 0 means "send live data only".
 *
 * The budget (bytes/s) = min(SLUICE_INGEST_BACKFILL_MAX_BYTES_PER_S,
 *   fraction × (in-flight bound − in-flight bytes now) / produce latency), where the latency is a moving
 * average of hand-over-to-ack times: the rate that keeps backfill's share of the in-flight bound filled
 * at the current Kafka latency (Little's law). It is 0 while ingest refuses everything (kill switch,
 * producer down, bound reached, shutting down). It is shared equally between the agents that announced a
 * backlog within SLUICE_INGEST_BACKFILL_ACTIVE_MS; agents with no backlog do not dilute it. The table of
 * agents is bounded (SLUICE_INGEST_BACKFILL_MAX_AGENTS, least recently seen evicted and counted), its
 * keys are whatever the `Sluice-Agent` header says (bounded length): a client lying about it can only
 * make the shares smaller, never the total larger.
 *
 * The budget is per ingest process: behind a load balancer every process grants from its own headroom,
 * and an agent whose requests are spread over K processes follows the newest grant it got. No agent
 * then exceeds the largest share any process grants, so the fleet's total stays at most the largest
 * process budget, of which each process receives about 1/K: safe, and conservative (set the cap per
 * process accordingly). Pure state; no timers, no I/O: the clock is passed in.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { IngestMetrics } from './metrics.ts';

export type Lane = 'live' | 'backfill' | 'none';

export interface Announcement {
  /** The agent id from `Sluice-Agent` (undefined when absent or not a sane id). */
  agent: string | undefined;
  /** Payloads the agent still holds beyond live ones, from `Sluice-Backlog`. */
  backlog: number | undefined;
  lane: Lane;
}

export interface BackfillSettings {
  /** Cap on the total backfill rate of this process, payload bytes/s (0: no backfill at all). */
  maxBytesPerS: number;
  /** Share of the in-flight bound backfill may keep busy, 0..1. */
  headroomFraction: number;
}

export interface BackfillOptions extends BackfillSettings {
  activeMs: number;
  maxAgents: number;
  maxInflightBytes: number;
  /** Record bytes handed to Kafka and not yet settled, now. */
  inflightBytes: () => number;
  /** Whether a request arriving now would be accepted (false: kill switch, producer down, bound, shutdown). */
  accepting: () => boolean;
  metrics?: IngestMetrics;
}

const AGENT_ID = /^[\x21-\x7e]{1,128}$/;
/** Latency assumed before the first produce finished, s. */
const INITIAL_LATENCY_S = 0.01;
/** Weight of the newest produce in the latency average. */
const LATENCY_ALPHA = 0.2;
/** Latencies below this count as this much (a burst of 0 ms acks must not make the headroom infinite). */
const MIN_LATENCY_S = 0.001;

function header(h: IncomingHttpHeaders, name: string): string | undefined {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Reads the agent's announcement; malformed values count as absent (never a refusal). */
export function parseAnnouncement(h: IncomingHttpHeaders): Announcement {
  const agent = header(h, 'sluice-agent')?.trim();
  const backlogText = header(h, 'sluice-backlog')?.trim();
  const backlog = backlogText && /^\d{1,15}$/.test(backlogText) ? Number(backlogText) : undefined;
  const laneText = header(h, 'sluice-lane')?.trim().toLowerCase();
  const lane: Lane = laneText === 'live' || laneText === 'backfill' ? laneText : 'none';
  return { agent: agent && AGENT_ID.test(agent) ? agent : undefined, backlog, lane };
}

/** The budget and the table of agents with a backlog. Single-threaded (one event loop). */
export class BackfillGovernor {
  readonly #o: BackfillOptions;
  #settings: BackfillSettings;
  /** agent → when it last announced a backlog, and how many payloads; oldest first (re-inserted on use). */
  readonly #agents = new Map<string, { seenMs: number; backlog: number }>();
  #backlog = 0;
  #latencyS = INITIAL_LATENCY_S;
  #peak = 0;

  constructor(o: BackfillOptions) {
    this.#o = o;
    this.#settings = { maxBytesPerS: o.maxBytesPerS, headroomFraction: o.headroomFraction };
    this.#publish(0);
  }

  get settings(): BackfillSettings {
    return { ...this.#settings };
  }

  /** Changes the budget at runtime (admin endpoint); the next answer of every agent carries it. */
  set(s: Partial<BackfillSettings>): BackfillSettings {
    const next = { ...this.#settings, ...s };
    if (!Number.isFinite(next.maxBytesPerS) || next.maxBytesPerS < 0)
      throw new RangeError(`maxBytesPerS ${next.maxBytesPerS}`);
    if (!(next.headroomFraction >= 0 && next.headroomFraction <= 1))
      throw new RangeError(`headroomFraction ${next.headroomFraction}`);
    this.#settings = next;
    return this.settings;
  }

  /**
   * Takes one request's announcement into the table: an agent with a backlog is (re)marked active, one
   * with none leaves it. Returns its grant in bytes/s (see the file header).
   */
  observe(a: Announcement, nowMs: number): number {
    this.#expire(nowMs);
    if (a.agent !== undefined && a.backlog !== undefined) {
      this.#forget(a.agent);
      if (a.backlog > 0) {
        this.#agents.set(a.agent, { seenMs: nowMs, backlog: a.backlog });
        this.#backlog += a.backlog;
        if (this.#agents.size > this.#o.maxAgents) {
          this.#forget(this.#agents.keys().next().value as string);
          this.#o.metrics?.backfillEvicted.inc();
        }
      }
    }
    const budget = this.budget();
    const grant = Math.floor(budget / Math.max(1, this.#agents.size));
    this.#publish(budget, grant);
    return grant;
  }

  /** One produce's duration, hand-over to ack or failure (a timeout counts as its full wait). */
  latency(seconds: number): void {
    const s = Math.max(MIN_LATENCY_S, seconds);
    this.#latencyS += LATENCY_ALPHA * (s - this.#latencyS);
  }

  /** Called right after a record was handed to the producer: keeps the in-flight high-water mark. */
  handedOver(): void {
    const now = this.#o.inflightBytes();
    if (now <= this.#peak) return;
    this.#peak = now;
    this.#o.metrics?.inflightPeak.set(now);
  }

  /** The total backfill rate this process grants now, payload bytes/s. */
  budget(): number {
    if (!this.#o.accepting()) return 0;
    const free = Math.max(0, this.#o.maxInflightBytes - this.#o.inflightBytes());
    const headroom = (this.#settings.headroomFraction * free) / this.#latencyS;
    return Math.floor(Math.min(this.#settings.maxBytesPerS, headroom));
  }

  /** Agents that announced a backlog within the active window (as of the last observe). */
  get agents(): number {
    return this.#agents.size;
  }

  get latencyS(): number {
    return this.#latencyS;
  }

  #expire(nowMs: number): void {
    for (const [agent, e] of this.#agents) {
      if (nowMs - e.seenMs < this.#o.activeMs) break;
      this.#forget(agent);
    }
  }

  #forget(agent: string): void {
    const e = this.#agents.get(agent);
    if (!e) return;
    this.#agents.delete(agent);
    this.#backlog -= e.backlog;
  }

  #publish(budget: number, grant?: number): void {
    const m = this.#o.metrics;
    if (!m) return;
    m.backfillBudget.set(budget);
    if (grant !== undefined) m.backfillGrant.set(grant);
    m.backfillAgents.set(this.#agents.size);
    m.backfillBacklog.set(this.#backlog);
  }
}
