import { describe, expect, it } from 'vitest';
import {
  filesystemPoints,
  parseMountinfo,
  StatfsGuard,
  type StatfsResult,
  selectMounts,
} from '../../agent/collect/filesystem.ts';
import { until } from '../support/wait.ts';
import { fixture, values } from './helpers.ts';

const MOUNT_EXCLUDE =
  /^\/(dev|proc|run\/credentials\/.+|sys|var\/lib\/docker\/.+|var\/lib\/containers\/storage\/.+)($|\/)/;
const FSTYPE_EXCLUDE =
  /^(autofs|binfmt_misc|bpf|cgroup2?|configfs|debugfs|devpts|devtmpfs|fusectl|hugetlbfs|iso9660|mqueue|nsfs|overlay|proc|procfs|pstore|rpc_pipefs|securityfs|selinuxfs|squashfs|erofs|sysfs|tracefs)$/;

describe('mountinfo', () => {
  it('this machine’s mountinfo with the upstream filters keeps the root and the read-only tmpfs', () => {
    const mounts = selectMounts(parseMountinfo(fixture('proc/1/real-mountinfo')), {
      rootfs: '/',
      mountExclude: MOUNT_EXCLUDE,
      fstypeExclude: FSTYPE_EXCLUDE,
    });
    expect(mounts.map((m) => [m.device, m.mountpoint, m.fstype, m.majorMinor])).toEqual([
      ['/dev/vda', '/', 'ext4', '254:0'],
      ['model_tools_unavailable', '/mnt/sandboxing/model_tools_env/v1/python', 'tmpfs', '0:25'],
    ]);
  });

  it('unescapes octal, dedupes (device, mountpoint, fstype), strips the rootfs prefix', () => {
    const text = [
      '36 35 98:0 /mnt1 /host/mnt\\040disk rw,noatime master:1 - ext3 /dev/root rw,errors=continue',
      '37 35 98:0 /mnt1 /host/mnt\\040disk rw,noatime master:1 - ext3 /dev/root rw,errors=continue',
      '38 35 98:1 / /host rw - xfs /dev/sdb1 ro',
      '39 1 98:2 / /other rw - xfs /dev/sdc1 rw',
      'garbage line',
    ].join('\n');
    const mounts = selectMounts(parseMountinfo(text), { rootfs: '/host/' });
    expect(mounts).toEqual([
      {
        majorMinor: '98:0',
        mountpoint: '/mnt disk',
        options: 'rw,noatime',
        fstype: 'ext3',
        device: '/dev/root',
        superOptions: 'rw,errors=continue',
      },
      {
        majorMinor: '98:1',
        mountpoint: '/',
        options: 'rw',
        fstype: 'xfs',
        device: '/dev/sdb1',
        superOptions: 'ro',
      },
    ]);
  });

  it('sizes are blocks × bsize; ro from super options; a failed statfs sends only readonly and device_error', () => {
    const m = {
      device: 'd',
      mountpoint: '/x',
      fstype: 'xfs',
      majorMinor: '1:1',
      options: 'rw',
      superOptions: 'ro',
    };
    const stat: StatfsResult = { bsize: 4096, blocks: 66053021, bfree: 10, bavail: 7, files: 100, ffree: 40 };
    expect(values(filesystemPoints(m, stat))).toEqual({
      'node_filesystem_readonly{device=d,fstype=xfs,mountpoint=/x}': 1,
      'node_filesystem_device_error{device=d,fstype=xfs,mountpoint=/x}': 0,
      'node_filesystem_size_bytes{device=d,fstype=xfs,mountpoint=/x}': 270_553_174_016,
      'node_filesystem_free_bytes{device=d,fstype=xfs,mountpoint=/x}': 40960,
      'node_filesystem_avail_bytes{device=d,fstype=xfs,mountpoint=/x}': 28672,
      'node_filesystem_files{device=d,fstype=xfs,mountpoint=/x}': 100,
      'node_filesystem_files_free{device=d,fstype=xfs,mountpoint=/x}': 40,
    });
    expect(values(filesystemPoints({ ...m, superOptions: 'rw' }, undefined, 'EIO'))).toEqual({
      'node_filesystem_readonly{device=d,device_error=EIO,fstype=xfs,mountpoint=/x}': 0,
      'node_filesystem_device_error{device=d,device_error=EIO,fstype=xfs,mountpoint=/x}': 1,
    });
  });
});

describe('StatfsGuard', () => {
  it('times out a hung statfs and never stacks a second one on that mount', async () => {
    let calls = 0;
    let release: (() => void) | undefined;
    const hung = () => {
      calls++;
      return new Promise<StatfsResult>((resolve) => {
        release = () => resolve({ bsize: 1, blocks: 1, bfree: 1, bavail: 1, files: 1, ffree: 1 });
      });
    };
    const g = new StatfsGuard(hung, 20);
    expect(await g.stat('/nfs')).toEqual({ ok: false, error: 'statfs timed out after 20 ms' });
    expect(g.stuck).toBe(1);
    expect(await g.stat('/nfs')).toEqual({ ok: false, error: 'statfs still pending (stuck mount)' });
    expect(calls).toBe(1);
    release?.();
    await until('the hung statfs settled', () => g.stuck === 0);
    const r = g.stat('/nfs');
    release?.();
    expect(await r).toMatchObject({ ok: true });
    expect(calls).toBe(2);
  });

  it('a failing statfs reports its errno code', async () => {
    const g = new StatfsGuard(() => Promise.reject(Object.assign(new Error('x'), { code: 'EACCES' })), 1000);
    expect(await g.stat('/x')).toEqual({ ok: false, error: 'EACCES' });
    expect(g.stuck).toBe(0);
  });
});
