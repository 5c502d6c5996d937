/**
 * A child process for the drop tests' kill -9 cases (run with `node`, not by vitest); positions are
 * persisted only every 10 minutes and fsync is off, so only what the buffer writes at once survives.
 *
 *   node drops-driver.ts rejected <dir>
 *       appends three records with meta, acknowledges the first as refused for good (ackDropped),
 *       prints "dropped <epoch>" and waits to be killed.
 *   node drops-driver.ts evicting <dir>
 *       (16 KiB bound, 4 KiB segments) appends 1000-byte records; the head is being sent (sending) when
 *       the bound evicts it; prints "evicted <records appended>" and waits to be killed, no answer given.
 */
import { open } from '../../agent/diskbuffer/index.ts';

const [mode, dir] = process.argv.slice(2);
if (!dir) throw new Error('usage: drops-driver.ts rejected|evicting <dir>');
const meta = (i: number) => ({ samples: 10 * i, minTimeMs: 1000 * i, maxTimeMs: 1000 * i + 1 });
if (mode === 'rejected') {
  const buf = await open(dir, { fsync: 'never', positionIntervalMs: 600_000 });
  for (let i = 1; i <= 3; i++) buf.append(new Uint8Array(100 * i).fill(i), meta(i));
  const head = buf.read(1)[0];
  if (!head) throw new Error('nothing buffered');
  buf.ackDropped(head.id, 'rejected_4xx');
  process.stdout.write(`dropped ${buf.stats().epoch}\n`);
} else {
  const buf = await open(dir, {
    maxBytes: 16 * 1024,
    segmentBytes: 4 * 1024,
    fsync: 'never',
    positionIntervalMs: 600_000,
  });
  buf.append(new Uint8Array(1000), meta(1));
  buf.sending(1);
  let i = 1;
  while (buf.read(1)[0]?.id === 1) buf.append(new Uint8Array(1000), meta(++i));
  process.stdout.write(`evicted ${i}\n`);
}
setInterval(() => {}, 60_000);
