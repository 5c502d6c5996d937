/**
 * Settings several services share. A service spreads only the groups it uses into its schema, so its
 * schema says which external services it talks to (the processor has no MONGO_URL: it never reads the
 * store, P4).
 */
import { defineSchema } from './config.ts';

export const logSettings = defineSchema({
  LOG_LEVEL: {
    kind: 'string',
    default: 'info',
    doc: 'pino log level: fatal, error, warn, info, debug, trace',
  },
});

export const kafkaSettings = defineSchema({
  KAFKA_BROKERS: {
    kind: 'list',
    default: ['127.0.0.1:9092'],
    doc: 'Kafka bootstrap brokers, comma-separated host:port',
  },
  SLUICE_TOPIC_PREFIX: {
    kind: 'string',
    default: '',
    doc: 'Prefix of every Sluice topic and consumer group (several pipelines on one cluster; tests)',
  },
  SLUICE_RAW_PARTITIONS: {
    kind: 'int',
    default: 8,
    min: 1,
    max: 1024,
    doc: 'Partitions of the raw topic when Sluice creates it',
  },
  SLUICE_ROLLUP_PARTITIONS: {
    kind: 'int',
    default: 8,
    min: 1,
    max: 1024,
    doc: 'Partitions of the rollups topic when Sluice creates it',
  },
});

export const mongoSettings = defineSchema({
  MONGO_URL: {
    kind: 'url',
    default: 'mongodb://127.0.0.1:27017/',
    schemes: ['mongodb', 'mongodb+srv'],
    doc: 'MongoDB connection string (FerretDB locally, or MongoDB 7/8)',
  },
  MONGO_DB: { kind: 'string', default: 'sluice', doc: 'MongoDB database name' },
});

export const redisSettings = defineSchema({
  REDIS_URL: {
    kind: 'url',
    default: 'redis://127.0.0.1:6379',
    schemes: ['redis', 'rediss'],
    doc: 'Redis URL (alert notifications only; never on the ingest path)',
  },
});

/** The variables that name an external service's address. */
export const ADDRESS_VARIABLES = ['KAFKA_BROKERS', 'MONGO_URL', 'REDIS_URL'] as const;
