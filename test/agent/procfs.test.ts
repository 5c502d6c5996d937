import { describe, expect, it } from 'vitest';
import { netclassPoints } from '../../agent/collect/netclass.ts';
import {
  bootTime,
  parseDiskstats,
  parseFileNr,
  parseLoadavg,
  parseMeminfo,
  parseNetDev,
  parsePressure,
  parseSingle,
  parseStat,
  parseVmstat,
} from '../../agent/collect/procfs.ts';
import { MILLIS, SECTORS, TICKS } from '../../agent/model.ts';
import { fixture, raws, values } from './helpers.ts';

// Expected numbers below are worked out by hand from the fixture files (copied from this machine's /proc).
const DISK_EXCLUDE = /^(z?ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\d+n\d+p)\d+$/;

describe('/proc/stat', () => {
  const points = parseStat(fixture('proc/stat'));

  it('per-CPU times as ticks ÷ 100, scalars as is; the aggregate cpu line is not exported', () => {
    expect(values(points)).toEqual({
      'node_cpu_seconds_total{cpu=0,mode=user}': 301.27,
      'node_cpu_seconds_total{cpu=0,mode=nice}': 0,
      'node_cpu_seconds_total{cpu=0,mode=system}': 87.41,
      'node_cpu_seconds_total{cpu=0,mode=idle}': 1243.18,
      'node_cpu_seconds_total{cpu=0,mode=iowait}': 1.35,
      'node_cpu_seconds_total{cpu=0,mode=irq}': 0,
      'node_cpu_seconds_total{cpu=0,mode=softirq}': 0.79,
      'node_cpu_seconds_total{cpu=0,mode=steal}': 0.41,
      'node_cpu_guest_seconds_total{cpu=0,mode=user}': 0,
      'node_cpu_guest_seconds_total{cpu=0,mode=nice}': 0,
      'node_cpu_seconds_total{cpu=1,mode=user}': 324.79,
      'node_cpu_seconds_total{cpu=1,mode=nice}': 0,
      'node_cpu_seconds_total{cpu=1,mode=system}': 101.19,
      'node_cpu_seconds_total{cpu=1,mode=idle}': 1196.01,
      'node_cpu_seconds_total{cpu=1,mode=iowait}': 9.66,
      'node_cpu_seconds_total{cpu=1,mode=irq}': 0,
      'node_cpu_seconds_total{cpu=1,mode=softirq}': 2.89,
      'node_cpu_seconds_total{cpu=1,mode=steal}': 0.39,
      'node_cpu_guest_seconds_total{cpu=1,mode=user}': 0,
      'node_cpu_guest_seconds_total{cpu=1,mode=nice}': 0,
      'node_intr_total{}': 2152444,
      'node_context_switches_total{}': 3796419,
      'node_boot_time_seconds{}': 1795430995,
      'node_forks_total{}': 40249,
      'node_procs_running{}': 4,
      'node_procs_blocked{}': 0,
    });
    expect(raws(points)['node_cpu_seconds_total{cpu=0,mode=idle}']).toBe(124318);
    const idle = points.find((p) => p.name === 'node_cpu_seconds_total' && p.labels.mode === 'idle');
    expect(idle).toMatchObject({ kind: 'counter', unit: TICKS, backwards: 'cpu' });
    expect(bootTime(fixture('proc/stat'))).toBe(1795430995);
  });

  it('an old kernel without steal/guest columns gives only the columns present', () => {
    expect(values(parseStat('cpu  1 2 3 4 5 6 7\ncpu0 1 2 3 4 5 6 7\n'))).toEqual({
      'node_cpu_seconds_total{cpu=0,mode=user}': 0.01,
      'node_cpu_seconds_total{cpu=0,mode=nice}': 0.02,
      'node_cpu_seconds_total{cpu=0,mode=system}': 0.03,
      'node_cpu_seconds_total{cpu=0,mode=idle}': 0.04,
      'node_cpu_seconds_total{cpu=0,mode=iowait}': 0.05,
      'node_cpu_seconds_total{cpu=0,mode=irq}': 0.06,
      'node_cpu_seconds_total{cpu=0,mode=softirq}': 0.07,
    });
  });
});

describe('/proc/meminfo', () => {
  const v = values(parseMeminfo(fixture('proc/meminfo')));

  it('every line: kB × 1024 with _bytes, parentheses to underscore, unit-less lines as is', () => {
    expect(Object.keys(v)).toHaveLength(54);
    expect(v['node_memory_MemTotal_bytes{}']).toBe(25_276_502_016); // 24684084 kB
    expect(v['node_memory_MemAvailable_bytes{}']).toBe(24_295_370_752); // 23725948 kB
    expect(v['node_memory_Active_anon_bytes{}']).toBe(1_593_344); // Active(anon) 1556 kB
    expect(v['node_memory_Inactive_file_bytes{}']).toBe(218_587_136); // Inactive(file) 213464 kB
    expect(v['node_memory_VmallocTotal_bytes{}']).toBe(35_184_372_087_808); // 2^35 − 1 kB
    expect(v['node_memory_HugePages_Total{}']).toBe(0);
    expect(v['node_memory_SwapTotal_bytes{}']).toBe(0);
  });

  it('HugePages counts without a unit get no suffix', () => {
    expect(values(parseMeminfo('HugePages_Total:       5\nHugepagesize:       2048 kB\n'))).toEqual({
      'node_memory_HugePages_Total{}': 5,
      'node_memory_Hugepagesize_bytes{}': 2_097_152,
    });
  });
});

describe('/proc/diskstats', () => {
  it('keeps whole disks; sectors × 512, ms ÷ 1000, discarded sectors as is, io_now a gauge', () => {
    const { points, devices } = parseDiskstats(fixture('proc/diskstats'), DISK_EXCLUDE);
    expect(devices).toEqual([{ device: 'vda', major: '254', minor: '0' }]);
    expect(values(points)).toEqual({
      'node_disk_reads_completed_total{device=vda}': 190029,
      'node_disk_reads_merged_total{device=vda}': 14550,
      'node_disk_read_bytes_total{device=vda}': 3_753_960_448, // 7331954 sectors
      'node_disk_read_time_seconds_total{device=vda}': 268.301,
      'node_disk_writes_completed_total{device=vda}': 45796,
      'node_disk_writes_merged_total{device=vda}': 148134,
      'node_disk_written_bytes_total{device=vda}': 7_026_774_016, // 13724168 sectors
      'node_disk_write_time_seconds_total{device=vda}': 63.365,
      'node_disk_io_now{device=vda}': 0,
      'node_disk_io_time_seconds_total{device=vda}': 25.744,
      'node_disk_io_time_weighted_seconds_total{device=vda}': 337.837,
      'node_disk_discards_completed_total{device=vda}': 79629,
      'node_disk_discards_merged_total{device=vda}': 4,
      'node_disk_discarded_sectors_total{device=vda}': 8035480,
      'node_disk_discard_time_seconds_total{device=vda}': 5.48,
      'node_disk_flush_requests_total{device=vda}': 10908,
      'node_disk_flush_requests_time_seconds_total{device=vda}': 0.69,
    });
    const read = points.find((p) => p.name === 'node_disk_read_bytes_total');
    expect(read).toMatchObject({ raw: 7331954, unit: SECTORS });
    expect(points.find((p) => p.name === 'node_disk_read_time_seconds_total')).toMatchObject({
      raw: 268301,
      unit: MILLIS,
    });
  });

  it('14-field lines (kernel < 4.18) give only their fields; shorter lines and partitions are skipped', () => {
    const text = [
      '   8       0 sda 1 2 3 4 5 6 7 8 9 10 11',
      '   8       1 sda1 1 2 3 4 5 6 7 8 9 10 11',
      '   8      16 sdb 1 2 3 4 5 6 7 8 9 10',
      ' 259       0 nvme0n1 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17',
      ' 259       1 nvme0n1p1 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17',
      ' 253       0 dm-0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15',
    ].join('\n');
    const { points, devices } = parseDiskstats(text, DISK_EXCLUDE);
    expect(devices.map((d) => d.device)).toEqual(['sda', 'nvme0n1', 'dm-0']);
    const v = values(points.filter((p) => p.labels.device === 'sda'));
    expect(v).toEqual({
      'node_disk_reads_completed_total{device=sda}': 1,
      'node_disk_reads_merged_total{device=sda}': 2,
      'node_disk_read_bytes_total{device=sda}': 1536,
      'node_disk_read_time_seconds_total{device=sda}': 0.004,
      'node_disk_writes_completed_total{device=sda}': 5,
      'node_disk_writes_merged_total{device=sda}': 6,
      'node_disk_written_bytes_total{device=sda}': 3584,
      'node_disk_write_time_seconds_total{device=sda}': 0.008,
      'node_disk_io_now{device=sda}': 9,
      'node_disk_io_time_seconds_total{device=sda}': 0.01,
      'node_disk_io_time_weighted_seconds_total{device=sda}': 0.011,
    });
    // 18 fields: discards present, flushes absent.
    const dm = Object.keys(values(points.filter((p) => p.labels.device === 'dm-0')));
    expect(dm).toContain('node_disk_discard_time_seconds_total{device=dm-0}');
    expect(dm).not.toContain('node_disk_flush_requests_total{device=dm-0}');
    expect(dm).toHaveLength(15); // fields 4–18: 14 counters and io_now
  });
});

describe('/proc/net/dev', () => {
  it('16 counters per interface, lo included by default', () => {
    const points = parseNetDev(fixture('proc/net/dev'), undefined);
    expect(points).toHaveLength(64);
    const v = values(points);
    expect(v['node_network_receive_bytes_total{device=eth0}']).toBe(1303234224);
    expect(v['node_network_receive_packets_total{device=eth0}']).toBe(46652);
    expect(v['node_network_transmit_bytes_total{device=eth0}']).toBe(3973883);
    expect(v['node_network_transmit_packets_total{device=eth0}']).toBe(31204);
    expect(v['node_network_transmit_compressed_total{device=eth0}']).toBe(0);
    expect(v['node_network_receive_bytes_total{device=lo}']).toBe(3211556);
    expect(v['node_network_transmit_packets_total{device=lo}']).toBe(18953);
    expect(parseNetDev(fixture('proc/net/dev'), /^lo$/)).toHaveLength(48);
  });

  it('a name glued to its first number, and a value above 2^53 kept exact as bigint', () => {
    const text = 'h1\nh2\n  eth0:1303234224 46652 1 2 3 4 5 6 7 8 9 10 11 12 13 14\n';
    const big = 'h1\nh2\n  eth1: 18014398509481985 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n';
    expect(raws(parseNetDev(text, undefined))).toMatchObject({
      'node_network_receive_bytes_total{device=eth0}': 1303234224,
      'node_network_receive_errs_total{device=eth0}': 1,
      'node_network_transmit_compressed_total{device=eth0}': 14,
    });
    expect(raws(parseNetDev(big, undefined))['node_network_receive_bytes_total{device=eth1}']).toBe(
      18014398509481985n,
    );
  });
});

describe('pressure, load, file-nr, vmstat, entropy', () => {
  it('pressure totals µs ÷ 1e6; cpu full not exported; irq full only', () => {
    expect(values(parsePressure('cpu', fixture('proc/pressure/cpu')))).toEqual({
      'node_pressure_cpu_waiting_seconds_total{}': 197.252562,
    });
    expect(values(parsePressure('io', fixture('proc/pressure/io')))).toEqual({
      'node_pressure_io_waiting_seconds_total{}': 12.436653,
      'node_pressure_io_stalled_seconds_total{}': 8.66818,
    });
    expect(values(parsePressure('memory', fixture('proc/pressure/memory')))).toEqual({
      'node_pressure_memory_waiting_seconds_total{}': 0,
      'node_pressure_memory_stalled_seconds_total{}': 0,
    });
    expect(values(parsePressure('irq', 'full avg10=0.00 avg60=0.00 avg300=0.00 total=1234567\n'))).toEqual({
      'node_pressure_irq_stalled_seconds_total{}': 1.234567,
    });
    // An older kernel's cpu file without a full line.
    expect(parsePressure('cpu', 'some avg10=0.00 avg60=0.00 avg300=0.00 total=5\n')).toHaveLength(1);
  });

  it('loadavg, file-nr, vmstat include list, entropy', () => {
    expect(values(parseLoadavg(fixture('proc/loadavg')))).toEqual({
      'node_load1{}': 0.3,
      'node_load5{}': 0.43,
      'node_load15{}': 0.6,
    });
    expect(values(parseFileNr(fixture('proc/sys/fs/file-nr')))).toEqual({
      'node_filefd_allocated{}': 850,
      'node_filefd_maximum{}': 2466170,
    });
    const vm = parseVmstat(fixture('proc/vmstat'));
    expect(vm.every((p) => p.kind === 'counter')).toBe(true);
    expect(values(vm)).toEqual({
      'node_vmstat_pgpgin{}': 3665977,
      'node_vmstat_pgpgout{}': 6862084,
      'node_vmstat_pswpin{}': 0,
      'node_vmstat_pswpout{}': 0,
      'node_vmstat_pgfault{}': 31528059,
      'node_vmstat_pgmajfault{}': 4681,
      'node_vmstat_oom_kill{}': 0,
    });
    expect(
      values(parseSingle('node_entropy_available_bits', fixture('proc/sys/kernel/random/entropy_avail'))),
    ).toEqual({ 'node_entropy_available_bits{}': 256 });
    expect(parseSingle('x', '')).toEqual([]);
  });
});

describe('/sys/class/net', () => {
  it('state of an up NIC with an invalid speed (-1: omitted)', () => {
    const v = values(
      netclassPoints('eth0', {
        operstate: 'up\n',
        address: '02:fc:00:00:00:01\n',
        broadcast: 'ff:ff:ff:ff:ff:ff\n',
        duplex: 'unknown\n',
        flags: '0x1003\n',
        speed: '-1\n',
        mtu: '1500\n',
        carrier: '1\n',
        'statistics/rx_nohandler': '0\n',
      }),
    );
    expect(v).toEqual({
      'node_network_up{device=eth0}': 1,
      'node_network_info{address=02:fc:00:00:00:01,adminstate=up,broadcast=ff:ff:ff:ff:ff:ff,device=eth0,duplex=unknown,operstate=up}': 1,
      'node_network_mtu_bytes{device=eth0}': 1500,
      'node_network_carrier{device=eth0}': 1,
      'node_network_receive_nohandler_total{device=eth0}': 0,
    });
  });

  it('a down link: carrier and speed unreadable are omitted; speed Mbit/s × 125000', () => {
    const v = values(netclassPoints('ifb0', { operstate: 'down\n', flags: '0x82\n', mtu: '1500\n' }));
    expect(v['node_network_up{device=ifb0}']).toBe(0);
    expect(Object.keys(v)).toHaveLength(3);
    expect(Object.keys(v)[1]).toContain('adminstate=down');
    expect(values(netclassPoints('e', { speed: '1000\n' }))['node_network_speed_bytes{device=e}']).toBe(
      125_000_000,
    );
  });
});
