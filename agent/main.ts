/**
 * The agent process: config → disk buffer (its lock, recovery) → state directory (lock, agent id, seq
 * reservation) → HTTP /metrics → collection timer → sender. SIGTERM: stop the timer, send what is
 * buffered for a bounded time, persist the counter state, close the pool and the HTTP server, close the
 * disk buffer (what was not sent stays in it and is sent after the next start, with its seq), release
 * the lock.
 *
 * The disk buffer is opened before the state directory is locked: its lock is held by the kernel (see
 * agent/diskbuffer/lock.ts), so with the default directory (inside the state directory) a second agent
 * is refused by it, with SLC_ERR_DISKBUFFER_LOCKED naming the directory and the holder's pid, and
 * exits 1 (scripts/sluice.ts).
 *
 * seq across restarts: a buffered payload keeps the seq it was built with; the reservation (seq.ts) is
 * persisted before any seq of a block is used, so every seq in the buffer is below the persisted
 * reservation and a restarted agent (even after kill -9) starts above all of them. A buffer directory
 * that outlives its state directory still holds payloads of the old agent id, which a new state
 * directory never reuses (new random id), so (agentId, seq) cannot repeat either way.
 */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { loadConfig } from '../common/config.ts';
import { ConfigError } from '../common/errors.ts';
import { logger } from '../common/log.ts';
import { closeHttp, createLifecycle, handleSignals, startHttp } from '../common/service.ts';
import { Agent } from './agent.ts';
import { HostCollector } from './collect/host.ts';
import { agentSchema } from './config.ts';
import { bufferDirOf } from './configfile.ts';
import { BufferLockedError, type FsyncPolicy, open } from './diskbuffer/index.ts';
import { BufferDropReporter, dropReport } from './drops.ts';
import { createAgentMetrics } from './metrics.ts';
import { DEFAULT_POLICY } from './retry.ts';
import { Sender } from './sender.ts';
import { SeqAllocator } from './seq.ts';
import { StateDir } from './state.ts';
import { createStatsd } from './statsd/index.ts';
import { publishAddress, StatusTracker, unpublishAddress } from './status.ts';

function regex(source: string): RegExp | undefined {
  return source === '' ? undefined : new RegExp(source);
}

function agentVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    return String(pkg.version ?? '0.0.0');
  } catch {
    return '0.0.0';
  }
}

const FSYNC_POLICIES: readonly FsyncPolicy[] = ['always', 'interval', 'never'];

/** Past the shutdown flush, how long the rest of the shutdown may take before the process exits 1. */
export const SHUTDOWN_MARGIN_MS = 10_000;

/** `env`: the settings (sluice-agent run passes its config file's values under the environment). */
export async function main(opts: { env?: NodeJS.ProcessEnv } = {}): Promise<void> {
  const cfg = loadConfig(agentSchema, opts.env ?? process.env);
  const fsync = cfg.SLUICE_AGENT_BUFFER_FSYNC as FsyncPolicy;
  if (!FSYNC_POLICIES.includes(fsync))
    throw new ConfigError(
      'SLUICE_AGENT_BUFFER_FSYNC',
      `must be one of ${FSYNC_POLICIES.join(', ')} (got ${JSON.stringify(fsync)})`,
    );
  const log = logger('agent', cfg.LOG_LEVEL);
  const life = createLifecycle(log);
  handleSignals(life, log, cfg.SLUICE_AGENT_SHUTDOWN_FLUSH_MS + SHUTDOWN_MARGIN_MS);
  const metrics = createAgentMetrics();
  const stamp = { job: cfg.SLUICE_AGENT_JOB, instance: cfg.SLUICE_AGENT_INSTANCE || os.hostname() };
  const statsd = createStatsd(cfg, stamp, metrics, log);

  const state = new StateDir(cfg.SLUICE_AGENT_STATE_DIR);
  const bufferDir = bufferDirOf(cfg);
  let buffer: Awaited<ReturnType<typeof open>>;
  try {
    buffer = await open(bufferDir, {
      maxBytes: cfg.SLUICE_AGENT_BUFFER_MAX_BYTES,
      segmentBytes: cfg.SLUICE_AGENT_BUFFER_SEGMENT_BYTES,
      fsync,
      fsyncIntervalMs: cfg.SLUICE_AGENT_BUFFER_FSYNC_INTERVAL_MS,
      maxMemoryBytes: cfg.SLUICE_AGENT_BUFFER_MEMORY_MAX_BYTES,
    });
  } catch (err) {
    if (err instanceof BufferLockedError)
      log.fatal({ code: err.code, dir: err.dir, holderPid: err.holderPid }, err.message);
    throw err;
  }
  const drops = new BufferDropReporter(metrics, log);
  life.onClose('close disk buffer', async () => {
    await buffer.close();
    drops.observe(buffer.stats().drops);
    log.info({ dir: bufferDir, payloads: buffer.count, bytes: buffer.bytes }, 'disk buffer closed');
  });
  {
    const st = buffer.stats();
    log.info(
      { dir: bufferDir, payloads: st.records, bytes: st.bytes, segments: st.segments, recovery: st.recovery },
      'disk buffer opened',
    );
    if (st.degraded) log.error({ dir: bufferDir, degraded: st.degraded }, 'disk buffer degraded to memory');
    drops.observe(st.drops);
    metrics.queueBytes.set(st.bytes);
    metrics.queuePayloads.set(st.records);
  }
  state.lock();
  life.onClose('release state lock', () => state.unlock());
  const agentId = state.agentId();
  const seq = new SeqAllocator(state.seqStore());
  const hostname = os.hostname();
  log.info({ agentId, nextSeq: seq.peek(), stateDir: state.dir }, 'agent state loaded');

  const sender = new Sender({
    url: cfg.SLUICE_AGENT_INGEST_URL,
    apiKey: cfg.SLUICE_AGENT_API_KEY,
    buffer,
    policy: {
      ...DEFAULT_POLICY,
      baseMs: cfg.SLUICE_AGENT_RETRY_BASE_MS,
      capMs: cfg.SLUICE_AGENT_RETRY_CAP_MS,
      attempts: cfg.SLUICE_AGENT_RETRY_ATTEMPTS,
    },
    log,
    metrics,
    agentId,
    backfillMaxInflight: cfg.SLUICE_AGENT_BACKFILL_MAX_INFLIGHT,
    probeMs: cfg.SLUICE_AGENT_INTERVAL_S * 1000,
    connections: cfg.SLUICE_AGENT_MAX_CONNECTIONS,
    requestTimeoutMs: cfg.SLUICE_AGENT_REQUEST_TIMEOUT_MS,
  });
  life.onClose('close ingest pool', () => sender.close());

  const collector = new HostCollector({
    procRoot: cfg.SLUICE_AGENT_PROC_ROOT,
    sysRoot: cfg.SLUICE_AGENT_SYS_ROOT,
    rootfs: cfg.SLUICE_AGENT_ROOTFS,
    diskExclude: regex(cfg.SLUICE_AGENT_DISK_EXCLUDE),
    mountExclude: regex(cfg.SLUICE_AGENT_MOUNT_EXCLUDE),
    fstypeExclude: regex(cfg.SLUICE_AGENT_FSTYPE_EXCLUDE),
    netdevExclude: regex(cfg.SLUICE_AGENT_NETDEV_EXCLUDE),
    statfsTimeoutMs: cfg.SLUICE_AGENT_STATFS_TIMEOUT_MS,
  });
  const agent = new Agent({
    collector,
    state,
    seq,
    // Appended through the sender's intake: a pass's payloads are its live lane (sent first).
    buffer: sender.intake,
    onAppend: () => sender.wake(),
    drops: () => dropReport(buffer.stats()),
    metrics,
    log,
    agentId,
    host: { hostname, os: os.platform(), arch: os.arch(), agentVersion: agentVersion() },
    stamp,
    app: statsd?.intake,
    maxSeries: cfg.SLUICE_AGENT_MAX_SERIES_PER_PAYLOAD,
    forgetAfterPasses: cfg.SLUICE_AGENT_COUNTER_FORGET_PASSES,
  });
  // Registered before the sender's drain so that it runs after it (steps run in reverse).
  life.onClose('persist counter state', () => agent.saveState());

  let lastPassOk = false;
  // GET /status for `sluice-agent status` (agent/status.ts); the bound address is published in the
  // state directory, so status finds the agent even when its listen port is 0.
  const status = new StatusTracker({
    buffer,
    metrics,
    bufferDir,
    agentId,
    version: agentVersion(),
    maxBytes: cfg.SLUICE_AGENT_BUFFER_MAX_BYTES,
  });
  status.start();
  const server = await startHttp({
    listen: cfg.SLUICE_AGENT_LISTEN,
    registry: metrics.registry,
    log,
    ready: () => (lastPassOk ? { ok: true } : { ok: false, reason: 'no collection pass yet' }),
    routes: async (req, res) =>
      (await status.routes(req, res)) || (!!statsd?.http && statsd.intake.route(req, res)),
  });
  life.onClose('close http', () => {
    status.stop();
    unpublishAddress(state.dir);
    return closeHttp(server);
  });
  {
    const a = server.address() as AddressInfo;
    publishAddress(state.dir, a.address, a.port);
  }
  if (statsd?.udp) {
    const a = await statsd.intake.listenUdp(statsd.udp);
    if (a) log.info({ address: a.address, port: a.port }, 'StatsD UDP listener bound');
  }

  sender.start().catch((err) => {
    log.fatal({ err }, 'sender stopped on a bug');
    process.exitCode = 1;
    void life.close('sender failed');
  });
  life.onClose('flush queue', async () => {
    const left = await sender.drain(cfg.SLUICE_AGENT_SHUTDOWN_FLUSH_MS);
    if (left > 0)
      log.warn(
        { payloads: left, bytes: buffer.bytes, dir: bufferDir },
        'unsent payloads kept in the disk buffer for the next start',
      );
  });

  let running: Promise<void> | undefined;
  const pass = () => {
    if (running) {
      log.warn('previous pass still running: this one skipped');
      return;
    }
    running = agent
      .tick()
      .then(() => {
        lastPassOk = true;
        metrics.statfsStuck.set(collector.stuckMounts);
        const st = buffer.stats();
        drops.observe(st.drops);
        if (st.degraded)
          log.warn({ dir: bufferDir, degraded: st.degraded }, 'disk buffer degraded to memory');
      })
      .catch((err) => log.error({ err }, 'collection pass failed'))
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(pass, cfg.SLUICE_AGENT_INTERVAL_S * 1000);
  life.onClose('stop collection', async () => {
    clearInterval(timer);
    await running;
    // App metrics recorded since the last pass (intake is closed by now): one more pass puts them in
    // the buffer ahead of the flush, so a graceful stop loses none of them.
    if (statsd?.intake.pending) await agent.tick().catch((err) => log.error({ err }, 'final pass failed'));
  });
  life.onClose('stop app-metrics intake', () => statsd?.intake.close());
  pass();
  log.info(
    {
      listen: cfg.SLUICE_AGENT_LISTEN,
      http: (server.address() as AddressInfo).port,
      ingest: cfg.SLUICE_AGENT_INGEST_URL,
      intervalS: cfg.SLUICE_AGENT_INTERVAL_S,
    },
    'agent started',
  );
}
