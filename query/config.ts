import { defineSchema } from '../common/config.ts';
import { logSettings, mongoSettings } from '../common/settings.ts';

/** Query: the Prometheus-compatible HTTP API for Grafana. */
export const querySchema = defineSchema({
  ...logSettings,
  ...mongoSettings,
  SLUICE_QUERY_LISTEN: {
    kind: 'hostport',
    default: '127.0.0.1:9401',
    doc: 'HTTP listen address (Prometheus API, /metrics, /healthz, /readyz)',
  },
});
