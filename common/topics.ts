/**
 * The Kafka topics of the pipeline, created explicitly (never auto-created: kafkajs races KRaft's
 * auto-creation, tulios/kafkajs#1563). Partitions are the unit of parallelism; `raw` is keyed by agent,
 * never by tenant (P6).
 */
import type { Admin } from './kafka.ts';

export const TOPICS = {
  raw: 'sluice.raw',
  rollups: 'sluice.rollups',
  /** The processor's dedup state, one key per raw partition, compacted. */
  dedup: 'sluice.processor.dedup',
} as const;

export interface TopicLayout {
  rawPartitions: number;
  rollupPartitions: number;
}

export const DEFAULT_LAYOUT: TopicLayout = { rawPartitions: 8, rollupPartitions: 8 };

/** Creates the pipeline's topics when missing (idempotent); waits for their leaders. */
export async function ensureTopics(
  admin: Admin,
  layout: TopicLayout = DEFAULT_LAYOUT,
  prefix = '',
): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const wanted = [
    {
      topic: prefix + TOPICS.raw,
      numPartitions: layout.rawPartitions,
      configEntries: [{ name: 'retention.ms', value: String(7 * 86_400_000) }],
    },
    {
      topic: prefix + TOPICS.rollups,
      numPartitions: layout.rollupPartitions,
      configEntries: [{ name: 'retention.ms', value: String(7 * 86_400_000) }],
    },
    {
      topic: prefix + TOPICS.dedup,
      // One partition per raw partition: each is written only by that raw partition's transactional
      // producer, so after fencing it nothing is open on it and it can be read to its end.
      numPartitions: layout.rawPartitions,
      configEntries: [
        { name: 'cleanup.policy', value: 'compact' },
        { name: 'min.compaction.lag.ms', value: '60000' },
      ],
    },
  ].filter((t) => !existing.has(t.topic));
  if (wanted.length === 0) return;
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: wanted.map((t) => ({ ...t, replicationFactor: -1 })),
    });
  } catch (err) {
    // Another process created them between listTopics and createTopics.
    if ((err as { type?: string }).type !== 'TOPIC_ALREADY_EXISTS') throw err;
  }
}
