/**
 * App metrics on the host: StatsD / DogStatsD lines over UDP and `POST /v1/statsd`, aggregated per
 * collection interval into the agent's own payloads. parse.ts (the line format, names), aggregate.ts
 * (the mapping to Sluice series, the bounds), histogram.ts (schema-3 buckets), intake.ts (the
 * sockets), errors.ts (the HTTP answers). README "App metrics (StatsD and HTTP)" is the user's view.
 */
import { ConfigError } from '../../common/errors.ts';
import type { Logger } from '../../common/log.ts';
import type { Labels } from '../model.ts';
import { StatsdAggregator } from './aggregate.ts';
import { StatsdIntake, type StatsdMetrics } from './intake.ts';

export { type AggregatorOptions, type RecordError, StatsdAggregator } from './aggregate.ts';
export { STATSD_HTTP_ERRORS, type StatsdHttpError, statsdErrorTableMarkdown } from './errors.ts';
export { bucketIndex, HistogramAcc, SCHEMA } from './histogram.ts';
export { type IngestResult, STATSD_PATH, StatsdIntake, type StatsdMetrics } from './intake.ts';
export {
  type Parsed,
  type ParseError,
  parseLine,
  type StatsdMetric,
  type StatsdType,
  sanitizeName,
  sanitizeTagKey,
  splitLines,
} from './parse.ts';

/** The UDP listen setting: `off` → undefined, else host:port (refused naming the variable otherwise). */
export function statsdListen(raw: string): string | undefined {
  if (raw === 'off') return undefined;
  const m = /^(.+):(\d+)$/.exec(raw);
  if (!m || Number(m[2]) > 65535)
    throw new ConfigError(
      'SLUICE_AGENT_STATSD_LISTEN',
      `must be host:port or off (got ${JSON.stringify(raw)})`,
    );
  return raw;
}

export interface StatsdSettings {
  SLUICE_AGENT_STATSD_LISTEN: string;
  SLUICE_AGENT_STATSD_HTTP: boolean;
  SLUICE_AGENT_STATSD_MAX_SERIES: number;
  SLUICE_AGENT_STATSD_MAX_SET_MEMBERS: number;
  SLUICE_AGENT_STATSD_MAX_HISTOGRAM_BUCKETS: number;
  SLUICE_AGENT_STATSD_MAX_PACKET_BYTES: number;
  SLUICE_AGENT_STATSD_MAX_BODY_BYTES: number;
  SLUICE_AGENT_STATSD_FORGET_PASSES: number;
}

/**
 * Intake from the agent's settings, or undefined when both the UDP listener and the HTTP route are off.
 * The UDP socket is not bound yet (`listenUdp(udp)`): main.ts binds it once the agent's HTTP is up.
 */
export function createStatsd(
  cfg: StatsdSettings,
  stamp: Labels,
  metrics: StatsdMetrics,
  log: Logger,
): { intake: StatsdIntake; udp: string | undefined; http: boolean } | undefined {
  const udp = statsdListen(cfg.SLUICE_AGENT_STATSD_LISTEN);
  if (udp === undefined && !cfg.SLUICE_AGENT_STATSD_HTTP) return undefined;
  const aggregator = new StatsdAggregator({
    stamp,
    maxSeries: cfg.SLUICE_AGENT_STATSD_MAX_SERIES,
    maxSetMembers: cfg.SLUICE_AGENT_STATSD_MAX_SET_MEMBERS,
    maxHistogramBuckets: cfg.SLUICE_AGENT_STATSD_MAX_HISTOGRAM_BUCKETS,
    forgetAfterPasses: cfg.SLUICE_AGENT_STATSD_FORGET_PASSES,
  });
  const intake = new StatsdIntake({
    aggregator,
    metrics,
    log,
    maxPacketBytes: cfg.SLUICE_AGENT_STATSD_MAX_PACKET_BYTES,
    maxBodyBytes: cfg.SLUICE_AGENT_STATSD_MAX_BODY_BYTES,
  });
  return { intake, udp, http: cfg.SLUICE_AGENT_STATSD_HTTP };
}
