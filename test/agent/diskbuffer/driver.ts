/**
 * A child process for the lock and kill -9 tests (run with `node`, not by vitest).
 *
 *   node driver.ts hold <dir>                      open, print "ready <pid>", wait to be killed
 *   node driver.ts append <dir> <fsync> <seed> <crashOp> <crashAt>
 *       open, print "ready", then forever: append content(id) and print "A <id>" once append returned;
 *       every few appends print "K <id>" and ack the head (it was delivered). Writes are split into random pieces so a kill
 *       can land mid-record. With crashOp (write|fdatasync|rename|unlink|open) the process SIGKILLs
 *       itself just before its crashAt-th call of that operation (a named crash point).
 */
import { type FileSystem, nodeFs, open } from '../../../agent/diskbuffer/index.ts';
import { content, prng } from './helpers.ts';

const [mode, dir, fsync, seedArg, crashOp, crashAtArg] = process.argv.slice(2);
if (!dir) throw new Error('usage: driver.ts hold|append <dir> ...');

function crashing(op: string | undefined, at: number, random: () => number): FileSystem {
  let calls = 0;
  const point = (name: string) => {
    if (name === op && ++calls === at) process.kill(process.pid, 'SIGKILL');
  };
  return {
    ...nodeFs,
    open: (p, flags) => {
      point('open');
      return nodeFs.open(p, flags);
    },
    // Short writes on purpose: at most a random part of what was asked, so a kill can split a record.
    write: (fd, data, offset, length) => {
      point('write');
      const n = length > 1 ? 1 + Math.floor(random() * length) : length;
      return nodeFs.write(fd, data, offset, n);
    },
    fdatasync: (fd) => {
      point('fdatasync');
      nodeFs.fdatasync(fd);
    },
    rename: (a, b) => {
      point('rename');
      nodeFs.rename(a, b);
    },
    unlink: (p) => {
      point('unlink');
      nodeFs.unlink(p);
    },
  };
}

if (mode === 'hold') {
  await open(dir);
  process.stdout.write(`ready ${process.pid}\n`);
  setInterval(() => {}, 1 << 30);
} else if (mode === 'append') {
  const seed = Number(seedArg);
  const random = prng(seed);
  const fs = crashing(crashOp === '-' ? undefined : crashOp, Number(crashAtArg), random);
  const buf = await open(dir, {
    fs,
    fsync: fsync as 'always' | 'interval' | 'never',
    segmentBytes: 4096,
    maxBytes: 1 << 30,
    positionIntervalMs: 0,
  });
  process.stdout.write('ready\n');
  for (let i = 1; ; i++) {
    const want = buf.stats().nextId;
    const id = buf.append(content(want));
    if (id !== want) throw new Error(`append returned ${id}, expected ${want}`);
    process.stdout.write(`A ${id}\n`);
    if (i % 3 === 0) {
      const head = buf.read(1)[0];
      if (head) {
        // Printed before the ack: a kill in between may leave it unacked (then delivered again once).
        process.stdout.write(`K ${head.id}\n`);
        buf.ack(head.id);
      }
    }
  }
}
