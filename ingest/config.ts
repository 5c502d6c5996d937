import { defineSchema } from '../common/config.ts';
import { kafkaSettings, logSettings } from '../common/settings.ts';

/** Ingest: agents' HTTP endpoint. */
export const ingestSchema = defineSchema({
  ...logSettings,
  ...kafkaSettings,
  SLUICE_INGEST_LISTEN: {
    kind: 'hostport',
    default: '127.0.0.1:9400',
    doc: 'HTTP listen address (agents, /metrics, /healthz, /readyz)',
  },
});
