/**
 * The agent process: config → state directory (lock, agent id, seq reservation) → HTTP /metrics →
 * collection timer → sender. SIGTERM: stop the timer, send what is queued for a bounded time, persist
 * the counter state, close the pool and the HTTP server, release the lock.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { loadConfig } from '../common/config.ts';
import { logger } from '../common/log.ts';
import { closeHttp, createLifecycle, handleSignals, startHttp } from '../common/service.ts';
import { Agent } from './agent.ts';
import { MemoryQueue } from './buffer.ts';
import { HostCollector } from './collect/host.ts';
import { agentSchema } from './config.ts';
import { createAgentMetrics } from './metrics.ts';
import { countSamples } from './payload.ts';
import { DEFAULT_POLICY } from './retry.ts';
import { Sender } from './sender.ts';
import { SeqAllocator } from './seq.ts';
import { StateDir } from './state.ts';

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

export async function main(): Promise<void> {
  const cfg = loadConfig(agentSchema);
  const log = logger('agent', cfg.LOG_LEVEL);
  const life = createLifecycle(log);
  handleSignals(life, log, cfg.SLUICE_AGENT_SHUTDOWN_FLUSH_MS + 10_000);
  const metrics = createAgentMetrics();

  const state = new StateDir(cfg.SLUICE_AGENT_STATE_DIR);
  state.lock();
  life.onClose('release state lock', () => state.unlock());
  const agentId = state.agentId();
  const seq = new SeqAllocator(state.seqStore());
  const hostname = os.hostname();
  log.info({ agentId, nextSeq: seq.peek(), stateDir: state.dir }, 'agent state loaded');

  const buffer = new MemoryQueue({
    maxBytes: cfg.SLUICE_AGENT_QUEUE_MAX_BYTES,
    maxPayloads: cfg.SLUICE_AGENT_QUEUE_MAX_PAYLOADS,
    onDrop: (bytes, reason) => {
      const samples = countSamples(bytes);
      metrics.droppedPayloads.inc({ reason });
      metrics.droppedSamples.inc({ reason }, samples);
      log.warn({ reason, samples, bytes: bytes.length }, 'queue bound: oldest payload dropped');
    },
  });
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
    buffer,
    onAppend: () => sender.wake(),
    metrics,
    log,
    agentId,
    host: { hostname, os: os.platform(), arch: os.arch(), agentVersion: agentVersion() },
    stamp: { job: cfg.SLUICE_AGENT_JOB, instance: cfg.SLUICE_AGENT_INSTANCE || hostname },
    maxSeries: cfg.SLUICE_AGENT_MAX_SERIES_PER_PAYLOAD,
    forgetAfterPasses: cfg.SLUICE_AGENT_COUNTER_FORGET_PASSES,
  });
  // Registered before the sender's drain so that it runs after it (steps run in reverse).
  life.onClose('persist counter state', () => agent.saveState());

  let lastPassOk = false;
  const server = await startHttp({
    listen: cfg.SLUICE_AGENT_LISTEN,
    registry: metrics.registry,
    log,
    ready: () => (lastPassOk ? { ok: true } : { ok: false, reason: 'no collection pass yet' }),
  });
  life.onClose('close http', () => closeHttp(server));

  sender.start().catch((err) => {
    log.fatal({ err }, 'sender stopped on a bug');
    process.exitCode = 1;
    void life.close('sender failed');
  });
  life.onClose('flush queue', async () => {
    const left = await sender.drain(cfg.SLUICE_AGENT_SHUTDOWN_FLUSH_MS);
    if (left > 0) log.warn({ payloads: left, bytes: buffer.bytes }, 'unsent payloads lost at shutdown');
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
  });
  pass();
  log.info(
    {
      listen: cfg.SLUICE_AGENT_LISTEN,
      ingest: cfg.SLUICE_AGENT_INGEST_URL,
      intervalS: cfg.SLUICE_AGENT_INTERVAL_S,
    },
    'agent started',
  );
}
