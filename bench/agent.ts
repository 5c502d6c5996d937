/**
 * The agent's own cost: `node bench/agent.ts` (about 1,000 series every BENCH_INTERVAL_S=10 s for
 * BENCH_DURATION_S=150 s).
 *
 * The real agent process (`agent/cli.ts run`, every collector, the disk buffer with its default fsync
 * policy, gzip, the HTTP sender) reads a synthetic host: a procfs/sysfs tree written by this process
 * (SLUICE_AGENT_PROC_ROOT / SYS_ROOT), with BENCH_CPUS cpus, BENCH_DISKS disks and BENCH_NICS network
 * interfaces (default 27, 16, 16: 89 + 10 per cpu + 18 per disk + 22 per interface = 999 series per
 * pass, the agent's own count is printed), and whose counters advance every second
 * (files replaced atomically, so a pass never reads half a file). Ingest is a stub in this process
 * answering 204, which decodes every payload to count its series. The StatsD UDP listener is off (no
 * app metrics: this is the host collector's cost).
 *
 * Measured over the window that starts once the first payload arrived (module loading and the first
 * pass are start-up, reported apart): user+sys CPU of the agent process from /proc/<pid>/stat (% of one
 * core, and CPU ms per pass), RSS sampled every second from /proc/<pid>/status (mean, peak, end) and
 * VmHWM; the agent's own /metrics for series per pass, collect duration and payload bytes. Peer in the
 * same run: a bare `node` process (its RSS is Node's floor on this machine).
 *
 * Bounds: the run stops after BENCH_DURATION_S (+ start-up, at most 60 s) whatever happens; the agent
 * is SIGTERMed, then SIGKILLed after 20 s. Everything on 127.0.0.1; the fixture lives in a temp dir.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { AgentPayload } from '../proto/index.ts';
import { envInt, fmt, machine, packageVersion, root, table } from './lib.ts';

const INTERVAL_S = envInt('BENCH_INTERVAL_S', 10, 1, 3600);
const DURATION_S = envInt('BENCH_DURATION_S', 150, 10, 3600);
const CPUS = envInt('BENCH_CPUS', 27, 1, 1024);
const DISKS = envInt('BENCH_DISKS', 16, 0, 1024);
const NICS = envInt('BENCH_NICS', 16, 0, 1024);
const CLK_TCK = 100;
const MIB = 1024 * 1024;

const dir = mkdtempSync(join(tmpdir(), 'sluice-bench-agent-'));
const proc = join(dir, 'proc');
const sys = join(dir, 'sys');
let tick = 0;

function put(path: string, text: string): void {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

/** The counter files, advanced by `tick` (one step a second). */
function writeCounters(): void {
  const t = tick;
  const fixture = readFileSync(join(root, 'test/agent/fixtures/proc/stat'), 'utf8').split('\n');
  const cpu = (i: number) =>
    [100 + t * 30 + i, 0, 50 + t * 10, 1000 + t * 50, 5 + t, 0, 1 + t, 0, 0, 0].join(' ');
  put(
    join(proc, 'stat'),
    [
      `cpu  ${cpu(0)}`,
      ...Array.from({ length: CPUS }, (_, i) => `cpu${i} ${cpu(i)}`),
      ...fixture.filter((l) => !l.startsWith('cpu')),
    ].join('\n'),
  );
  put(
    join(proc, 'diskstats'),
    `${Array.from(
      { length: DISKS },
      (_, i) =>
        `259 ${i} nvme${i}n1 ${[t * 10, 0, t * 80, t * 3, t * 20, t, t * 160, t * 5, 0, t * 7, t * 8, 0, 0, 0, 0, t, t].join(' ')}`,
    ).join('\n')}\n`,
  );
  const head =
    'Inter-|   Receive                                                |  Transmit\n face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n';
  put(
    join(proc, 'net/dev'),
    head +
      Array.from(
        { length: NICS },
        (_, i) => `  eth${i}: ${[t * 1500, t, 0, 0, 0, 0, 0, 0, t * 900, t, 0, 0, 0, 0, 0, 0].join(' ')}`,
      ).join('\n') +
      '\n',
  );
}

function writeFixture(): void {
  cpSync(join(root, 'test/agent/fixtures/proc'), proc, { recursive: true });
  mkdirSync(join(proc, 'net'), { recursive: true });
  writeFileSync(join(proc, '1/mountinfo'), '27 1 254:0 / / rw,relatime - ext4 /dev/vda rw\n');
  for (let i = 0; i < DISKS; i++) {
    mkdirSync(join(sys, 'block', `nvme${i}n1`, 'queue'), { recursive: true });
    writeFileSync(join(sys, 'block', `nvme${i}n1`, 'queue/rotational'), '0\n');
  }
  for (let i = 0; i < NICS; i++) {
    const d = join(sys, 'class/net', `eth${i}`);
    mkdirSync(join(d, 'statistics'), { recursive: true });
    const files: Record<string, string> = {
      operstate: 'up',
      address: `02:00:00:00:00:${i.toString(16).padStart(2, '0')}`,
      broadcast: 'ff:ff:ff:ff:ff:ff',
      duplex: 'full',
      flags: '0x1003',
      speed: '10000',
      mtu: '1500',
      carrier: '1',
      'statistics/rx_nohandler': '0',
    };
    for (const [f, v] of Object.entries(files)) writeFileSync(join(d, f), `${v}\n`);
  }
  writeCounters();
}

function procStat(pid: number): { cpuS: number; rss: number; hwm: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) * 1024;
  return { cpuS: (Number(f[11]) + Number(f[12])) / CLK_TCK, rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

/** Value of a metric (sum over its label sets) in Prometheus text. */
function metric(text: string, name: string): number {
  let v = 0;
  for (const line of text.split('\n'))
    if (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) v += Number(line.split(' ').at(-1));
  return v;
}

const got = { payloads: 0, series: 0, bytes: 0, firstMs: 0 };
const ingest = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const raw = gunzipSync(Buffer.concat(chunks));
    const p = AgentPayload.decode(raw);
    got.payloads++;
    got.series += p.series.length;
    got.bytes += raw.length;
    got.firstMs ||= performance.now();
    res.writeHead(204).end();
  });
});

const children: ChildProcess[] = [];
const hardStop = setTimeout(
  () => {
    console.error('hard stop: the run took too long');
    for (const c of children) c.kill('SIGKILL');
    process.exit(2);
  },
  (DURATION_S + 120) * 1000,
);
hardStop.unref();

async function sleep(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

try {
  writeFixture();
  await new Promise<void>((r) => ingest.listen(0, '127.0.0.1', r));
  const state = join(dir, 'state');
  const config = join(dir, 'agent.yaml');
  writeFileSync(
    config,
    [
      `state_dir: ${state}`,
      'listen: 127.0.0.1:0',
      `ingest_url: http://127.0.0.1:${(ingest.address() as AddressInfo).port}`,
      `interval_s: ${INTERVAL_S}`,
      `proc_root: ${proc}`,
      `sys_root: ${sys}`,
      "statsd_listen: 'off'",
      'log_level: warn',
    ].join('\n'),
  );
  const counters = setInterval(() => {
    tick++;
    writeCounters();
  }, 1000);
  const peer = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)']);
  children.push(peer);
  const t0 = performance.now();
  const agent = spawn(process.execPath, [join(root, 'agent/cli.ts'), 'run', '--config', config], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  children.push(agent);
  const pid = agent.pid as number;
  while (!got.firstMs && performance.now() - t0 < 60_000) await sleep(50);
  if (!got.firstMs) throw new Error('no payload from the agent within 60 s');
  const startup = { s: (got.firstMs - t0) / 1000, ...procStat(pid) };
  const address = JSON.parse(readFileSync(join(state, 'http.json'), 'utf8')) as { port: number };
  const metricsText = async () => (await fetch(`http://127.0.0.1:${address.port}/metrics`)).text();
  const m0 = await metricsText();
  const w0 = {
    ms: performance.now(),
    ...procStat(pid),
    payloads: got.payloads,
    series: got.series,
    bytes: got.bytes,
  };
  const rss: number[] = [];
  while (performance.now() - w0.ms < DURATION_S * 1000) {
    await sleep(1000);
    rss.push(procStat(pid).rss);
  }
  const w1 = {
    ms: performance.now(),
    ...procStat(pid),
    payloads: got.payloads,
    series: got.series,
    bytes: got.bytes,
  };
  const m1 = await metricsText();
  const peerRss = procStat(peer.pid as number).rss;
  clearInterval(counters);
  agent.kill('SIGTERM');
  const exited = await Promise.race([
    new Promise((r) => agent.once('exit', r)),
    sleep(20_000).then(() => 'timeout'),
  ]);
  if (exited === 'timeout') agent.kill('SIGKILL');
  peer.kill('SIGKILL');

  const windowS = (w1.ms - w0.ms) / 1000;
  const cpuS = w1.cpuS - w0.cpuS;
  const passes =
    metric(m1, 'sluice_agent_collect_duration_seconds_count') -
    metric(m0, 'sluice_agent_collect_duration_seconds_count');
  const collectS =
    metric(m1, 'sluice_agent_collect_duration_seconds_sum') -
    metric(m0, 'sluice_agent_collect_duration_seconds_sum');
  const payloads = w1.payloads - w0.payloads;
  const mean = rss.reduce((a, b) => a + b, 0) / rss.length;
  console.log(`machine: ${machine()}`);
  console.log(
    `versions: sluice ${JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version}, protobufjs ${packageVersion('protobufjs')}, undici ${packageVersion('undici')}, prom-client ${packageVersion('prom-client')}, yaml ${packageVersion('yaml')}`,
  );
  console.log(
    `load: the real agent, ${metric(m1, 'sluice_agent_series')} series per pass (${CPUS} cpus, ${DISKS} disks, ${NICS} interfaces, synthetic procfs/sysfs, counters advancing every second) every ${INTERVAL_S} s; window ${fmt(windowS)} s after the first payload; disk buffer fsync=interval; ingest stub answering 204`,
  );
  console.log(
    table(
      ['measure', 'value'],
      [
        ['series per pass (agent metric)', fmt(metric(m1, 'sluice_agent_series'))],
        ['passes in the window', fmt(passes)],
        ['payloads received / series received', `${fmt(payloads)} / ${fmt(w1.series - w0.series)}`],
        [
          'payload size, protobuf before gzip (mean)',
          `${fmt((w1.bytes - w0.bytes) / Math.max(1, payloads) / 1024, 1)} KiB`,
        ],
        ['CPU, % of one core (user+sys)', `${fmt((cpuS / windowS) * 100, 2)} %`],
        [
          'CPU per pass (collect, encode, buffer, gzip, send)',
          `${fmt((cpuS / Math.max(1, passes)) * 1000, 1)} ms`,
        ],
        ['collect duration per pass (mean, wall)', `${fmt((collectS / Math.max(1, passes)) * 1000, 1)} ms`],
        ['RSS mean / peak (sampled 1/s)', `${fmt(mean / MIB, 1)} / ${fmt(Math.max(...rss) / MIB, 1)} MiB`],
        ['RSS at the end / VmHWM', `${fmt(w1.rss / MIB, 1)} / ${fmt(w1.hwm / MIB, 1)} MiB`],
        [
          'start-up: first payload after / CPU / RSS',
          `${fmt(startup.s, 2)} s / ${fmt(startup.cpuS, 2)} s / ${fmt(startup.rss / MIB, 1)} MiB`,
        ],
        ['peer: bare node process RSS', `${fmt(peerRss / MIB, 1)} MiB`],
      ],
    ),
  );
  console.log(
    `agent exit on SIGTERM: ${exited === 'timeout' ? 'SIGKILLed after 20 s' : `code ${agent.exitCode}`}`,
  );
} finally {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  ingest.close();
  rmSync(dir, { recursive: true, force: true });
}
