// Prometheus metrics are prom-client's. Each service (ingest, the API) keeps its own Registry, so
// several in one process (`ontap start`, tests) never clash on a name. The process's metrics
// (memory, CPU, event-loop lag, GC) are collected once per process, because each collection starts
// monitors that are never stopped, and are served beside every service's own.
import { type Counter, collectDefaultMetrics, type Gauge, Registry } from 'prom-client';

let processRegistry: Registry | undefined;

/** A new registry for one service's metrics; the process's are collected from then on. */
export function serviceRegistry(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return new Registry();
}

/** A /metrics page: the service's metrics and the process's. */
export function renderMetrics(registry: Registry): Promise<string> {
  return Registry.merge(processRegistry ? [registry, processRegistry] : [registry]).metrics();
}

/** The value of a metric without labels. */
export async function currentValue(metric: Counter | Gauge): Promise<number> {
  const { values } = await metric.get();
  return values.find((value) => Object.keys(value.labels).length === 0)?.value ?? 0;
}
