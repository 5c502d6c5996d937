/**
 * JSON logs, one line per event, to stdout (pino: structured, fast, and what log shippers expect).
 * Every service logs through `logger(service)`; level from LOG_LEVEL (default info).
 */
import { type Logger, pino } from 'pino';

export type { Logger };

export function logger(service: string, level: string = process.env.LOG_LEVEL || 'info'): Logger {
  return pino({ name: service, level, base: { service, pid: process.pid } });
}
