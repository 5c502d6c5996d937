/**
 * When a scenario does not drain to the ground truth, this says where the missing or doubled samples
 * are: which payloads (agent, seq) hold them, whether `raw` holds those payloads (and how often),
 * how many rollup deltas for the affected documents `rollups` holds read-committed and read-uncommitted,
 * and where each consumer group's committed offset stands against the partition ends. The answer goes
 * into the failure message, so that a rare failure in CI can be explained from its log alone.
 */
import { type Admin, createKafka, type Kafka } from '../../common/kafka.ts';
import { serviceAddresses } from '../../common/services.ts';
import { TOPICS } from '../../common/topics.ts';
import { RawRecord, RollupBatch } from '../../proto/index.ts';

/** One rollup document that differs from the truth: `series` as the load names it. */
export interface Diff {
  coll: 'rollups_1m' | 'rollups_1h';
  series: string;
  startMs: number;
  want: number;
  have: number;
}

/** Reads every record of `topic` up to each partition's end at the time of the call. */
async function scan(
  kafka: Kafka,
  admin: Admin,
  topic: string,
  readUncommitted: boolean,
  onMessage: (partition: number, offset: string, value: Buffer) => void,
  timeoutMs = 60_000,
): Promise<string> {
  const ends = new Map<number, number>();
  for (const o of await admin.fetchTopicOffsets(topic))
    if (Number(o.high) > Number(o.low)) ends.set(o.partition, Number(o.high));
  if (ends.size === 0) return 'empty';
  const consumer = kafka.consumer({
    groupId: `sluice-diagnose-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`,
    readUncommitted,
  });
  const pending = new Set(ends.keys());
  let timer: NodeJS.Timeout | undefined;
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
      consumer.on(consumer.events.END_BATCH_PROCESS, (e) => {
        const end = ends.get(e.payload.partition);
        if (end !== undefined && Number(e.payload.lastOffset) >= end - 1) pending.delete(e.payload.partition);
        if (pending.size === 0) resolve();
      });
      void consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          const end = ends.get(batch.partition) ?? 0;
          for (const m of batch.messages)
            if (Number(m.offset) < end && m.value) onMessage(batch.partition, m.offset, m.value);
        },
      });
    });
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
  }
  return pending.size === 0
    ? 'complete'
    : `incomplete: partitions ${[...pending].join(',')} not read to their end`;
}

/**
 * `diffs`: the documents that differ; `seqsOf(series, startMs, res)`: the (agentId, seq) of every
 * payload the load built with a sample of `series` in that bucket.
 */
export async function diagnose(
  prefix: string,
  diffs: Diff[],
  seqsOf: (series: string, startMs: number, resMs: number) => { agentId: string; seq: number }[],
): Promise<string> {
  const out: string[] = [];
  // Documents whose series is known by name first (a series document not yet written leaves its id).
  const shown = [...diffs]
    .sort((a, b) => Number(b.series.includes('{')) - Number(a.series.includes('{')))
    .slice(0, 12);
  out.push(`${diffs.length} documents differ; first ${shown.length}:`);
  for (const d of shown)
    out.push(`  ${d.coll} ${d.series} @${new Date(d.startMs).toISOString()} want n=${d.want} have ${d.have}`);
  const kafka = createKafka({ clientId: 'sluice-diagnose', brokers: serviceAddresses().kafkaBrokers });
  const admin = kafka.admin();
  await admin.connect();
  try {
    // Payloads behind the differing documents, and how often `raw` holds each.
    const wanted = new Map<string, number>();
    for (const d of shown) {
      const res = d.coll === 'rollups_1m' ? 60_000 : 3_600_000;
      for (const s of seqsOf(d.series, d.startMs, res)) wanted.set(`${s.agentId}#${s.seq}`, 0);
    }
    const where = new Map<string, string[]>();
    const rawRead = await scan(kafka, admin, prefix + TOPICS.raw, true, (p, off, v) => {
      const r = RawRecord.decode(v);
      const k = `${r.payload?.agentId}#${Number(r.payload?.seq)}`;
      if (!wanted.has(k)) return;
      wanted.set(k, wanted.get(k)! + 1);
      where.set(k, [...(where.get(k) ?? []), `${p}@${off}`]);
    });
    out.push(
      `raw (${rawRead}): ${[...wanted].map(([k, n]) => `${k}×${n}${n ? ` [${where.get(k)!.join(' ')}]` : ''}`).join(', ')}`,
    );

    // Rollup deltas for the differing documents, committed and not.
    const ends = new Set(
      shown.map(
        (d) =>
          `${d.coll === 'rollups_1m' ? 60 : 3600}|${d.startMs + (d.coll === 'rollups_1m' ? 60_000 : 3_600_000)}`,
      ),
    );
    for (const uncommitted of [false, true]) {
      const found = new Map<string, string[]>();
      const read = await scan(kafka, admin, prefix + TOPICS.rollups, uncommitted, (p, off, v) => {
        for (const d of RollupBatch.decode(v).deltas) {
          const k = `${d.res}|${Number(d.endMs)}`;
          if (!ends.has(k)) continue;
          const agent = d.labels?.find((l) => l.name === 'agent')?.value;
          const key = `${d.name}{agent=${agent}} ${k}`;
          if (!shown.some((s) => s.series === `${d.name}{agent=${agent}}`)) continue;
          found.set(key, [...(found.get(key) ?? []), `n=${Number(d.n)}@${p}:${off}`]);
        }
      });
      out.push(`rollups ${uncommitted ? 'read_uncommitted' : 'read_committed'} (${read}):`);
      for (const [k, v] of found) out.push(`  ${k}: ${v.join(' ')}`);
    }

    // Consumer groups against the partition ends.
    for (const [group, topic] of [
      [`${prefix}sluice-processor`, prefix + TOPICS.raw],
      [`${prefix}sluice-connect`, prefix + TOPICS.rollups],
    ] as const) {
      const high = new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, o.high]));
      const [t] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
      out.push(
        `${group} on ${topic}: ${(t?.partitions ?? []).map((p) => `${p.partition}:${p.offset}/${high.get(p.partition)}${p.metadata ? `(${p.metadata})` : ''}`).join(' ')}`,
      );
    }
  } catch (err) {
    out.push(`diagnosis failed: ${(err as Error).message}`);
  } finally {
    await admin.disconnect();
  }
  return out.join('\n');
}
