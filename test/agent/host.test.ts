import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent } from '../../agent/agent.ts';
import { MemoryQueue } from '../../agent/buffer.ts';
import { HostCollector } from '../../agent/collect/host.ts';
import { createAgentMetrics } from '../../agent/metrics.ts';
import { SeqAllocator } from '../../agent/seq.ts';
import { StateDir } from '../../agent/state.ts';
import { logger } from '../../common/log.ts';
import { Registry } from '../../common/metrics.ts';
import { AgentPayload, type ISeries } from '../../proto/index.ts';
import { FIXTURES, values } from './helpers.ts';

const UNAME = {
  sysname: 'Linux',
  release: '6.18.44',
  version: '#1 SMP',
  machine: 'x86_64',
  nodename: 'fixture-host',
};

let root: string;

/** A host tree: the fixture /proc, a small /sys, and a rootfs with two mounts (one with a space). */
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'sluice-agent-host-'));
  cpSync(join(FIXTURES, 'proc'), join(root, 'proc'), { recursive: true });
  const eth0 = join(root, 'sys/class/net/eth0');
  mkdirSync(join(eth0, 'statistics'), { recursive: true });
  for (const [f, v] of Object.entries({
    operstate: 'up',
    address: '02:fc:00:00:00:01',
    flags: '0x1003',
    mtu: '1500',
    carrier: '1',
    'statistics/rx_nohandler': '7',
  }))
    writeFileSync(join(eth0, f), `${v}\n`);
  mkdirSync(join(root, 'sys/block/vda/queue'), { recursive: true });
  writeFileSync(join(root, 'sys/block/vda/queue/rotational'), '0\n');
  mkdirSync(join(root, 'rootfs/data dir'), { recursive: true });
  mkdirSync(join(root, 'rootfs/proc'), { recursive: true });
  const r = join(root, 'rootfs');
  writeFileSync(
    join(root, 'proc/1/mountinfo'),
    [
      `27 1 254:0 / ${r} rw,relatime - ext4 /dev/vda rw,discard`,
      `28 27 0:25 / ${r}/data\\040dir ro,nosuid - tmpfs tmpfs rw,size=4k`,
      `29 27 0:25 / ${r}/data\\040dir ro,nosuid - tmpfs tmpfs rw,size=4k`,
      `30 27 0:26 / ${r}/proc rw - proc proc rw`,
      `31 1 0:27 / /elsewhere rw - ext4 /dev/vdb rw`,
    ].join('\n'),
  );
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function collector() {
  return new HostCollector({
    procRoot: join(root, 'proc'),
    sysRoot: join(root, 'sys'),
    rootfs: join(root, 'rootfs'),
    diskExclude: /^(z?ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\d+n\d+p)\d+$/,
    mountExclude: /^\/(dev|proc|sys)($|\/)/,
    fstypeExclude: /^(proc|sysfs)$/,
    statfsTimeoutMs: 5000,
    uname: () => UNAME,
  });
}

describe('HostCollector on a fixture host', () => {
  it('every collector succeeds and the pass holds the expected series', async () => {
    const pass = await collector().collect(1_795_431_000_250);
    expect(pass.collectors.filter((c) => !c.ok)).toEqual([]);
    expect(pass.bootTime).toBe(1795430995);
    // cpu 20 + stat 6 + load 3 + meminfo 54 + time 2 + uname 1 + disk 18 + fs 2×7 + netdev 64
    // + netclass 5 + pressure 5 + filefd 2 + vmstat 7 + entropy 2
    expect(pass.points).toHaveLength(203);
    const v = values(pass.points);
    expect(v['node_time_seconds{}']).toBe(1_795_431_000.25);
    expect(
      v[
        'node_uname_info{domainname=(none),machine=x86_64,nodename=fixture-host,release=6.18.44,sysname=Linux,version=#1 SMP}'
      ],
    ).toBe(1);
    expect(v['node_disk_info{device=vda,major=254,minor=0,rotational=0}']).toBe(1);
    expect(v['node_network_receive_nohandler_total{device=eth0}']).toBe(7);

    const rootStat = statfsSync(join(root, 'rootfs'));
    const dataStat = statfsSync(join(root, 'rootfs/data dir'));
    const fs = values(pass.points.filter((p) => p.name.startsWith('node_filesystem_')));
    const l = (mp: string, dev: string, type: string) => `device=${dev},fstype=${type},mountpoint=${mp}`;
    expect(fs).toEqual({
      [`node_filesystem_readonly{${l('/', '/dev/vda', 'ext4')}}`]: 0,
      [`node_filesystem_device_error{${l('/', '/dev/vda', 'ext4')}}`]: 0,
      [`node_filesystem_size_bytes{${l('/', '/dev/vda', 'ext4')}}`]: rootStat.blocks * rootStat.bsize,
      [`node_filesystem_free_bytes{${l('/', '/dev/vda', 'ext4')}}`]: expect.any(Number),
      [`node_filesystem_avail_bytes{${l('/', '/dev/vda', 'ext4')}}`]: expect.any(Number),
      [`node_filesystem_files{${l('/', '/dev/vda', 'ext4')}}`]: rootStat.files,
      [`node_filesystem_files_free{${l('/', '/dev/vda', 'ext4')}}`]: expect.any(Number),
      [`node_filesystem_readonly{${l('/data dir', 'tmpfs', 'tmpfs')}}`]: 1,
      [`node_filesystem_device_error{${l('/data dir', 'tmpfs', 'tmpfs')}}`]: 0,
      [`node_filesystem_size_bytes{${l('/data dir', 'tmpfs', 'tmpfs')}}`]: dataStat.blocks * dataStat.bsize,
      [`node_filesystem_free_bytes{${l('/data dir', 'tmpfs', 'tmpfs')}}`]: expect.any(Number),
      [`node_filesystem_avail_bytes{${l('/data dir', 'tmpfs', 'tmpfs')}}`]: expect.any(Number),
      [`node_filesystem_files{${l('/data dir', 'tmpfs', 'tmpfs')}}`]: dataStat.files,
      [`node_filesystem_files_free{${l('/data dir', 'tmpfs', 'tmpfs')}}`]: expect.any(Number),
    });
  });

  it('a missing source is a failed collector with no series, never zeros', async () => {
    const c = new HostCollector({
      procRoot: join(root, 'nope'),
      sysRoot: join(root, 'nope'),
      rootfs: '/',
      statfsTimeoutMs: 100,
      uname: () => UNAME,
    });
    const pass = await c.collect(1000);
    expect(pass.collectors.filter((x) => x.ok).map((x) => x.name)).toEqual(['time', 'uname']);
    expect(pass.points.map((p) => p.name).sort()).toEqual([
      'node_time_seconds',
      'node_time_zone_offset_seconds',
      'node_uname_info',
    ]);
  });
});

function counterOf(series: ISeries[], name: string, labels: Record<string, string>) {
  const s = series.find(
    (x) =>
      x.name === name &&
      Object.entries(labels).every(([k, v]) => x.labels?.some((l) => l.name === k && l.value === v)),
  );
  return s?.counter?.[0];
}

describe('Agent passes across a restart', () => {
  function run(stateDir: string) {
    const state = new StateDir(stateDir);
    const buffer = new MemoryQueue({ maxBytes: 1 << 24, maxPayloads: 100 });
    const agent = new Agent({
      collector: collector(),
      state,
      seq: new SeqAllocator(state.seqStore()),
      buffer,
      metrics: createAgentMetrics(new Registry()),
      log: logger('agent-test', 'silent'),
      agentId: state.agentId(),
      host: { hostname: 'fixture-host', os: 'linux', arch: 'x64', agentVersion: '0' },
      stamp: { job: 'node', instance: 'fixture-host' },
      maxSeries: 150,
      forgetAfterPasses: 10,
    });
    return { agent, buffer };
  }
  const decode = (b: MemoryQueue) => b.read(10).map((x) => AgentPayload.decode(x.bytes));

  it('keeps the counter step across an agent restart, seq continues after the reservation', async () => {
    const stateDir = join(root, 'state');
    const statPath = join(root, 'proc/stat');
    const diskPath = join(root, 'proc/diskstats');
    const stat0 = readFileSync(statPath, 'utf8');
    const disk0 = readFileSync(diskPath, 'utf8');

    const r1 = run(stateDir);
    await r1.agent.tick(1_000_000);
    const p1 = decode(r1.buffer);
    // 203 series, 150 per payload.
    expect(p1.map((p) => [Number(p.seq), p.series.length])).toEqual([
      [1, 150],
      [2, 53],
    ]);
    const s1 = p1.flatMap((p) => p.series);
    expect(counterOf(s1, 'node_cpu_seconds_total', { cpu: '0', mode: 'user' })).toMatchObject({
      v: 301.27,
      d: 0,
      tpMs: 0,
    });
    expect(new Set(s1.flatMap((s) => s.labels?.filter((l) => l.name === 'job').map((l) => l.value)))).toEqual(
      new Set(['node']),
    );

    // The host moves on: cpu0 user +100 ticks, vda +12 sectors read. The agent restarts (a new process).
    writeFileSync(statPath, stat0.replace('cpu0 30127 ', 'cpu0 30227 '));
    writeFileSync(diskPath, disk0.replace('vda 190029 14550 7331954 ', 'vda 190030 14550 7331966 '));
    const r2 = run(stateDir);
    await r2.agent.tick(1_015_000);
    const p2 = decode(r2.buffer);
    expect(p2.map((p) => Number(p.seq))).toEqual([1001, 1002]);
    expect(p2[0]?.agentId).toBe(p1[0]?.agentId);
    const s2 = p2.flatMap((p) => p.series);
    expect(counterOf(s2, 'node_cpu_seconds_total', { cpu: '0', mode: 'user' })).toMatchObject({
      tMs: 1_015_000,
      v: 302.27,
      d: 1,
      tpMs: 1_000_000,
      reset: false,
    });
    expect(counterOf(s2, 'node_disk_read_bytes_total', { device: 'vda' })).toMatchObject({
      v: 3_753_966_592,
      d: 6144,
      tpMs: 1_000_000,
    });
    expect(counterOf(s2, 'node_disk_reads_completed_total', { device: 'vda' })).toMatchObject({ d: 1 });

    // A reboot (btime moved): the saved state is not trusted; every counter starts again.
    writeFileSync(statPath, stat0.replace('btime 1795430995', 'btime 1795440000'));
    const r3 = run(stateDir);
    await r3.agent.tick(1_030_000);
    const s3 = decode(r3.buffer).flatMap((p) => p.series);
    expect(counterOf(s3, 'node_cpu_seconds_total', { cpu: '0', mode: 'user' })).toMatchObject({
      d: 0,
      tpMs: 0,
    });
    writeFileSync(statPath, stat0);
    writeFileSync(diskPath, disk0);
  });
});
