/**
 * A child process for the drop-report kill -9 test (run with `node`, not by vitest):
 *
 *   node drops-driver.ts <dir>
 *       opens the disk buffer (positions persisted only every 10 minutes, fsync never), appends three
 *       records with meta, acknowledges the first as refused for good (ackDropped), acks nothing else,
 *       prints "dropped <epoch>" and waits to be killed.
 */
import { open } from '../../agent/diskbuffer/index.ts';

const dir = process.argv[2];
if (!dir) throw new Error('usage: drops-driver.ts <dir>');
const buf = await open(dir, { fsync: 'never', positionIntervalMs: 600_000 });
for (let i = 1; i <= 3; i++)
  buf.append(new Uint8Array(100 * i).fill(i), {
    samples: 10 * i,
    minTimeMs: 1000 * i,
    maxTimeMs: 1000 * i + 1,
  });
const head = buf.read(1)[0];
if (!head) throw new Error('nothing buffered');
buf.ackDropped(head.id, 'rejected_4xx');
process.stdout.write(`dropped ${buf.stats().epoch}\n`);
setInterval(() => {}, 60_000);
