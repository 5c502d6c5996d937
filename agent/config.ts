import { defineSchema } from '../common/config.ts';
import { logSettings } from '../common/settings.ts';

/** Agent: host and app metrics → ingest. */
export const agentSchema = defineSchema({
  ...logSettings,
  SLUICE_AGENT_INGEST_URL: {
    kind: 'url',
    default: 'http://127.0.0.1:9400',
    schemes: ['http', 'https'],
    doc: 'Base URL of ingest',
  },
  SLUICE_AGENT_API_KEY: {
    kind: 'string',
    default: 'dev-key',
    doc: 'API key sent to ingest (selects the tenant)',
  },
  SLUICE_AGENT_LISTEN: {
    kind: 'hostport',
    default: '127.0.0.1:9404',
    doc: 'HTTP listen address (app-metrics intake, /metrics, /healthz)',
  },
  SLUICE_AGENT_INTERVAL_S: {
    kind: 'int',
    default: 15,
    min: 1,
    max: 3600,
    doc: 'Collection interval, seconds',
  },
});
