/**
 * The only module that imports ioredis and bullmq. Redis serves the alert path only (P3): nothing on
 * the ingest → rollups → MongoDB path may depend on it.
 */
import { type Job, type Processor, Queue, QueueEvents, Worker } from 'bullmq';
import { Redis } from 'ioredis';

export type { Job, Processor };
export { Queue, QueueEvents, Worker };

/**
 * A connection for BullMQ. `maxRetriesPerRequest: null` is what BullMQ requires for blocking workers;
 * `enableOfflineQueue: false` on producers makes an absent Redis an immediate error instead of a
 * growing in-process queue.
 */
export function redisConnection(url: string, opts: { blocking?: boolean } = {}): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: opts.blocking ? null : 1,
    enableOfflineQueue: !!opts.blocking,
    lazyConnect: false,
  });
}
