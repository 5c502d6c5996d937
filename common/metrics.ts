/**
 * Self-instrumentation (P9): one prom-client registry per process with the default process metrics
 * (RSS, CPU, heap, event-loop lag). Each stage declares its metrics in its own `metrics.ts` against
 * this registry; nothing is created ad hoc.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export { Counter, Gauge, Histogram, Registry };

export function createRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}
