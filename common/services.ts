/**
 * Addresses of the external services, from the environment, with the local stack's defaults.
 * `scripts/stack` starts its own service only where the matching variable is unset.
 */
export interface ServiceAddresses {
  /** Kafka bootstrap brokers, `host:port` list. */
  kafkaBrokers: string[];
  /** MongoDB connection string (FerretDB locally, or a real MongoDB 7/8). */
  mongoUrl: string;
  /** Redis URL (BullMQ, alert notifications only). */
  redisUrl: string;
}

export function serviceAddresses(env: NodeJS.ProcessEnv = process.env): ServiceAddresses {
  const brokers = (env.KAFKA_BROKERS || `127.0.0.1:${env.SLUICE_KAFKA_PORT || 9092}`)
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  return {
    kafkaBrokers: brokers,
    mongoUrl: env.MONGO_URL || `mongodb://127.0.0.1:${env.SLUICE_MONGO_PORT || 27017}/`,
    redisUrl: env.REDIS_URL || `redis://127.0.0.1:${env.SLUICE_REDIS_PORT || 6379}`,
  };
}
