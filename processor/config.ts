import { defineSchema } from '../common/config.ts';
import { kafkaSettings, logSettings } from '../common/settings.ts';

/** Processor: raw → 1m/1h rollup deltas, exactly once. */
export const processorSchema = defineSchema({
  ...logSettings,
  ...kafkaSettings,
  SLUICE_PROCESSOR_LISTEN: {
    kind: 'hostport',
    default: '127.0.0.1:9402',
    doc: 'HTTP listen address (/metrics, /healthz, /readyz)',
  },
});
