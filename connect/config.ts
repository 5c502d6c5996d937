import { defineSchema } from '../common/config.ts';
import { kafkaSettings, logSettings, mongoSettings, redisSettings } from '../common/settings.ts';

/** Connect: rollup deltas → MongoDB guarded upserts. */
export const connectSchema = defineSchema({
  ...logSettings,
  ...kafkaSettings,
  ...mongoSettings,
  ...redisSettings,
  SLUICE_CONNECT_LISTEN: {
    kind: 'hostport',
    default: '127.0.0.1:9403',
    doc: 'HTTP listen address (/metrics, /healthz, /readyz)',
  },
});
