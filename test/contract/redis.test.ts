/** The Redis contract: a BullMQ queue round trip (job in, processed once, result back). */
import { afterAll, describe, expect, it } from 'vitest';
import { Queue, QueueEvents, redisConnection, Worker } from '../../common/redis.ts';
import { serviceAddresses } from '../../common/services.ts';
import { uniqueName } from '../support/wait.ts';

const url = serviceAddresses().redisUrl;
const closers: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

describe('redis contract', () => {
  it('a BullMQ job is processed once and its result comes back', async () => {
    const name = uniqueName('contract');
    const queue = new Queue(name, { connection: redisConnection(url, { blocking: true }) });
    const events = new QueueEvents(name, { connection: redisConnection(url, { blocking: true }) });
    const seen: Array<{ id: string | undefined; data: unknown }> = [];
    const worker = new Worker(
      name,
      async (job) => {
        seen.push({ id: job.id, data: job.data });
        return { doubled: (job.data as { n: number }).n * 2 };
      },
      { connection: redisConnection(url, { blocking: true }) },
    );
    closers.push(
      () => queue.obliterate({ force: true }).then(() => queue.close()),
      () => events.close(),
      () => worker.close(),
    );
    await events.waitUntilReady();
    const job = await queue.add('alert', { n: 21 }, { jobId: 'alert-1' });
    // The same job id again is a no-op: this is how a replayed alert event does not notify twice.
    const again = await queue.add('alert', { n: 21 }, { jobId: 'alert-1' });
    expect(again.id).toBe(job.id);
    const result = await job.waitUntilFinished(events, 30_000);
    expect(result).toEqual({ doubled: 42 });
    expect(seen).toEqual([{ id: 'alert-1', data: { n: 21 } }]);
  });
});
