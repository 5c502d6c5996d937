/**
 * The only module that imports kafkajs (kafkajs is in maintenance mode; swapping the client must touch
 * this folder only). Clients log through our JSON logger; kafkajs' noisy ERROR lines for
 * CONCURRENT_TRANSACTIONS retries (tulios/kafkajs#1315: expected right after a commit, retried) go to debug.
 */
import { Kafka, type KafkaConfig, logLevel as KafkaLogLevel, type LogEntry } from 'kafkajs';
import type { Logger } from './log.ts';

export type { Admin, Consumer, EachBatchPayload, Producer, Transaction } from 'kafkajs';
export { CompressionTypes } from 'kafkajs';

const levels: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [KafkaLogLevel.ERROR]: 'error',
  [KafkaLogLevel.WARN]: 'warn',
  [KafkaLogLevel.INFO]: 'info',
  [KafkaLogLevel.DEBUG]: 'debug',
};

function logCreator(log: Logger | undefined) {
  return () =>
    ({ level, label, log: entry }: LogEntry) => {
      if (!log) return;
      const { message, ...rest } = entry;
      const concurrent = /CONCURRENT_TRANSACTIONS|concurrent operation/i.test(
        `${message} ${rest.error ?? ''}`,
      );
      const lvl = concurrent ? 'debug' : (levels[level] ?? 'info');
      log[lvl]({ kafka: label, ...rest }, `kafkajs: ${message}`);
    };
}

export interface ClientOptions {
  clientId: string;
  brokers: string[];
  log?: Logger;
  /** Extra kafkajs settings (timeouts); retry settings are per producer/consumer. */
  extra?: Partial<KafkaConfig>;
}

export function createKafka(opts: ClientOptions): Kafka {
  return new Kafka({
    clientId: opts.clientId,
    brokers: opts.brokers,
    connectionTimeout: 3000,
    requestTimeout: 30000,
    logLevel: opts.log ? KafkaLogLevel.INFO : KafkaLogLevel.NOTHING,
    logCreator: logCreator(opts.log),
    ...opts.extra,
  });
}

export type { Kafka };
