import { defineSchema } from '../common/config.ts';
import { logSettings } from '../common/settings.ts';

/**
 * Agent: host and app metrics → ingest.
 *
 * Filters are JavaScript regexes, anchored as written (node_exporter's upstream 1.12 defaults); an empty
 * value disables the filter.
 */
export const agentSchema = defineSchema({
  ...logSettings,
  SLUICE_AGENT_INGEST_URL: {
    kind: 'url',
    default: 'http://127.0.0.1:9400',
    schemes: ['http', 'https'],
    doc: 'Base URL of ingest',
  },
  SLUICE_AGENT_API_KEY: {
    kind: 'string',
    default: 'dev-key',
    doc: 'API key sent to ingest (selects the tenant)',
  },
  SLUICE_AGENT_LISTEN: {
    kind: 'hostport',
    default: '127.0.0.1:9404',
    doc: 'HTTP listen address (app-metrics intake, /metrics, /healthz, /readyz, /status for `sluice-agent status`)',
  },
  SLUICE_AGENT_INTERVAL_S: {
    kind: 'int',
    default: 15,
    min: 1,
    max: 3600,
    doc: 'Collection interval, seconds',
  },
  SLUICE_AGENT_STATE_DIR: {
    kind: 'string',
    default: '.run/agent',
    doc: 'Directory for the agent id, seq reservation and counter state (relative to the working directory unless absolute)',
  },
  SLUICE_AGENT_JOB: {
    kind: 'string',
    default: 'node',
    doc: '`job` label stamped on every host series',
  },
  SLUICE_AGENT_INSTANCE: {
    kind: 'string',
    default: '',
    doc: '`instance` label stamped on every host series (empty: the host name)',
  },
  SLUICE_AGENT_PROC_ROOT: {
    kind: 'string',
    default: '/proc',
    doc: 'Where procfs is mounted (the host’s /proc when the agent runs in a container)',
  },
  SLUICE_AGENT_SYS_ROOT: {
    kind: 'string',
    default: '/sys',
    doc: 'Where sysfs is mounted',
  },
  SLUICE_AGENT_ROOTFS: {
    kind: 'string',
    default: '/',
    doc: 'Where the host’s root filesystem is mounted; stripped from reported mount points',
  },
  SLUICE_AGENT_DISK_EXCLUDE: {
    kind: 'string',
    default: '^(z?ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\\d+n\\d+p)\\d+$',
    doc: 'Regex of /proc/diskstats device names to skip',
  },
  SLUICE_AGENT_MOUNT_EXCLUDE: {
    kind: 'string',
    default: '^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)',
    doc: 'Regex of mount points whose filesystem is not reported',
  },
  SLUICE_AGENT_FSTYPE_EXCLUDE: {
    kind: 'string',
    default:
      '^(autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|devtmpfs|fusectl|hugetlbfs|iso9660|mqueue|nsfs|overlay|proc|procfs|pstore|rpc_pipefs|securityfs|selinuxfs|squashfs|erofs|sysfs|tracefs)$',
    doc: 'Regex of filesystem types not reported',
  },
  SLUICE_AGENT_NETDEV_EXCLUDE: {
    kind: 'string',
    default: '',
    doc: 'Regex of /proc/net/dev interfaces to skip (empty: none, `lo` included)',
  },
  SLUICE_AGENT_STATFS_TIMEOUT_MS: {
    kind: 'int',
    default: 5000,
    min: 10,
    max: 60_000,
    doc: 'statfs of one mount times out after this many ms (device_error 1; no second statfs while one hangs)',
  },
  SLUICE_AGENT_COUNTER_FORGET_PASSES: {
    kind: 'int',
    default: 10,
    min: 1,
    max: 10_000,
    doc: 'A counter absent for this many passes is forgotten (its return is a first observation)',
  },
  SLUICE_AGENT_MAX_SERIES_PER_PAYLOAD: {
    kind: 'int',
    default: 2000,
    min: 1,
    max: 100_000,
    doc: 'Series per payload; a pass with more is split into several payloads, each with its own seq',
  },
  SLUICE_AGENT_BUFFER_DIR: {
    kind: 'string',
    default: '',
    doc: 'Directory of the durable payload buffer (agent/diskbuffer; one agent per directory, locked); empty: `buffer` inside the state directory',
  },
  SLUICE_AGENT_BUFFER_MAX_BYTES: {
    kind: 'int',
    // A pass of this host is ~21 KB of protobuf (stored as is; gzip is applied when sending), one per
    // 15 s = 5,760 a day ≈ 121 MB/day. 256 MiB holds about two days of it, or one day of a host with
    // twice the series; the oldest segment is dropped (and counted) beyond it.
    default: 256 * 1024 * 1024,
    min: 1024 * 1024,
    doc: 'Bound on the disk buffer’s bytes (≈2 days of a 21 KB/15 s host); beyond it the oldest segment is dropped and counted (disk_bound)',
  },
  SLUICE_AGENT_BUFFER_FSYNC: {
    kind: 'string',
    default: 'interval',
    doc: 'Disk buffer fsync policy: `always` (per append; a power cut loses nothing appended), `interval` (at most SLUICE_AGENT_BUFFER_FSYNC_INTERVAL_MS of payloads), `never` (what the page cache held); kill -9 loses nothing under any',
  },
  SLUICE_AGENT_BUFFER_FSYNC_INTERVAL_MS: {
    kind: 'int',
    default: 1000,
    min: 1,
    max: 600_000,
    doc: 'For fsync `interval`: longest a written payload waits for its fdatasync, ms',
  },
  SLUICE_AGENT_BUFFER_SEGMENT_BYTES: {
    kind: 'int',
    default: 8 * 1024 * 1024,
    min: 64 * 1024,
    doc: 'Disk buffer segment size (space is freed and dropped a whole segment at a time); at most half of SLUICE_AGENT_BUFFER_MAX_BYTES is used',
  },
  SLUICE_AGENT_BUFFER_MEMORY_MAX_BYTES: {
    kind: 'int',
    default: 32 * 1024 * 1024,
    min: 1024,
    doc: 'While the buffer disk refuses writes (full, read-only), payloads wait in memory up to this many bytes; beyond it the oldest is dropped and counted (memory_overflow)',
  },
  SLUICE_AGENT_MAX_CONNECTIONS: {
    kind: 'int',
    default: 2,
    min: 1,
    max: 64,
    doc: 'Keep-alive connections to ingest (at least SLUICE_AGENT_BACKFILL_MAX_INFLIGHT + 2 are used: a live request never waits for a backfill one)',
  },
  SLUICE_AGENT_BACKFILL_MAX_INFLIGHT: {
    kind: 'int',
    default: 4,
    min: 1,
    max: 64,
    doc: 'Backfill requests in flight at once while ingest paces the backlog (README "Backfill after an outage"); the rate is always ingest’s grant',
  },
  SLUICE_AGENT_REQUEST_TIMEOUT_MS: {
    kind: 'int',
    default: 30_000,
    min: 100,
    max: 600_000,
    doc: 'Timeout of one POST to ingest (headers and body), ms',
  },
  SLUICE_AGENT_RETRY_BASE_MS: {
    kind: 'int',
    default: 500,
    min: 1,
    doc: 'First retry backoff ceiling, ms (exponential with full jitter)',
  },
  SLUICE_AGENT_RETRY_CAP_MS: {
    kind: 'int',
    default: 30_000,
    min: 1,
    doc: 'Largest retry backoff, ms (a server Retry-After is honoured up to 10 minutes)',
  },
  SLUICE_AGENT_RETRY_ATTEMPTS: {
    kind: 'int',
    default: 5,
    min: 1,
    max: 1000,
    doc: 'Attempts per send cycle; then the payload waits (still queued) for the next pass',
  },
  SLUICE_AGENT_SHUTDOWN_FLUSH_MS: {
    kind: 'int',
    default: 5000,
    min: 0,
    max: 600_000,
    doc: 'On SIGTERM, time allowed to send what is queued before exiting',
  },
  // App metrics (agent/statsd; README "App metrics (StatsD and HTTP)").
  SLUICE_AGENT_STATSD_LISTEN: {
    kind: 'string',
    default: '127.0.0.1:8125',
    doc: 'StatsD/DogStatsD UDP listen address host:port, or `off`; a port already taken is logged and the agent runs on without it (sluice_agent_statsd_listening 0)',
  },
  SLUICE_AGENT_STATSD_HTTP: {
    kind: 'bool',
    default: true,
    doc: 'Accept StatsD lines in `POST /v1/statsd` on SLUICE_AGENT_LISTEN',
  },
  SLUICE_AGENT_STATSD_MAX_SERIES: {
    kind: 'int',
    default: 10_000,
    min: 1,
    max: 1_000_000,
    doc: 'StatsD series the agent holds; a line of a new series beyond it is refused and counted (series_limit)',
  },
  SLUICE_AGENT_STATSD_MAX_SET_MEMBERS: {
    kind: 'int',
    default: 100_000,
    min: 1,
    max: 10_000_000,
    doc: 'Distinct set members held per interval, all sets together; a new member beyond it is refused and counted (set_limit)',
  },
  SLUICE_AGENT_STATSD_MAX_HISTOGRAM_BUCKETS: {
    kind: 'int',
    default: 160,
    min: 1,
    max: 320,
    doc: 'Populated buckets of one timer/histogram per interval (≤ ingest’s SLUICE_INGEST_MAX_HISTOGRAM_BUCKETS); an observation opening one more is refused and counted (histogram_buckets)',
  },
  SLUICE_AGENT_STATSD_MAX_PACKET_BYTES: {
    kind: 'int',
    default: 65_535,
    min: 512,
    max: 65_535,
    doc: 'Largest StatsD UDP datagram read; a larger one is refused whole and counted (packet_too_large)',
  },
  SLUICE_AGENT_STATSD_MAX_BODY_BYTES: {
    kind: 'int',
    default: 1024 * 1024,
    min: 1024,
    max: 64 * 1024 * 1024,
    doc: 'Largest `POST /v1/statsd` body, bytes; larger → 413',
  },
  SLUICE_AGENT_STATSD_FORGET_PASSES: {
    kind: 'int',
    default: 10,
    min: 1,
    max: 10_000,
    doc: 'A StatsD series without a line for this many passes is forgotten (its slot is freed; a counter’s running total and a gauge’s value restart)',
  },
});
