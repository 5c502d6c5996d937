/**
 * A fix for kafkajs 2.2.4's read_committed filtering, installed before kafkajs loads.
 *
 * kafkajs drops the records of aborted transactions with the broker's list of aborted transactions,
 * assuming that list is ordered by first offset and activating one entry per record. The broker
 * orders it by *last* offset (its transaction index), so when transactions of several producers
 * interleave on a partition — every processor's per-partition producer writes to every rollups
 * partition — a record of an aborted transaction that started before another, shorter aborted one
 * is delivered as if committed. Found by the fault harness (scenario 1: a processor killed between
 * sendOffsets and commit; its aborted deltas reached connect, 60 samples doubled). This replacement
 * does what the Java consumer does: order by first offset, activate every transaction that has
 * started, ignore a producer's transactional records until its abort marker.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

interface Msg {
  offset: string;
  key: Buffer | null;
  batchContext: { producerId: unknown; inTransaction: boolean };
  isControlRecord?: boolean;
}
interface Aborted {
  firstOffset: unknown;
  producerId: unknown;
}

const ABORT_KEY = Buffer.from([0, 0, 0, 0]);
const isAbortMarker = (m: Msg) => !!m.key && Buffer.from(m.key).equals(ABORT_KEY);

export function filterAbortedMessages({
  messages,
  abortedTransactions,
}: {
  messages: Msg[];
  abortedTransactions?: Aborted[];
}): Msg[] {
  if (!abortedTransactions?.length) return messages;
  const pending = [...abortedTransactions].sort((a, b) => {
    const x = BigInt(String(a.firstOffset));
    const y = BigInt(String(b.firstOffset));
    return x < y ? -1 : x > y ? 1 : 0;
  });
  const active = new Set<string>();
  return messages.filter((m) => {
    const offset = BigInt(m.offset);
    while (pending.length && BigInt(String(pending[0]!.firstOffset)) <= offset)
      active.add(String(pending.shift()!.producerId));
    const producer = String(m.batchContext.producerId);
    if (isAbortMarker(m)) {
      active.delete(producer);
      return true;
    }
    return !(m.batchContext.inTransaction && active.has(producer));
  });
}

const path = require.resolve('kafkajs/src/consumer/filterAbortedMessages.js');
if (!require.cache[path]) {
  const Module = require('node:module') as { new (id: string): NodeJS.Module };
  const mod = new Module(path);
  mod.filename = path;
  mod.loaded = true;
  mod.exports = filterAbortedMessages;
  require.cache[path] = mod;
}
