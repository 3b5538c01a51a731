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

/**
 * A /metrics page: the service's metrics and the process's, all of them or (on a page anyone may
 * read) only `only` of them: the rest (Node's version, file descriptors, heap) helps an attacker more
 * than an operator who can read them on a private port.
 */
export async function renderMetrics(registry: Registry, { only }: { only?: readonly string[] } = {}): Promise<string> {
  if (!processRegistry) return registry.metrics();
  if (!only) return Registry.merge([registry, processRegistry]).metrics();
  const own = await registry.metrics();
  const process = processRegistry;
  const chosen = await Promise.all(
    only.filter((name) => process.getSingleMetric(name)).map((name) => process.getSingleMetricAsString(name)),
  );
  return `${[own.trimEnd(), ...chosen].join('\n')}\n`;
}

/** The value of a metric without labels. */
export async function currentValue(metric: Counter | Gauge): Promise<number> {
  const { values } = await metric.get();
  return values.find((value) => Object.keys(value.labels).length === 0)?.value ?? 0;
}
