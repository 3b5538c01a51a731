// Prometheus metrics are prom-client's. Each service (ingest, the API) keeps its own Registry, so
// several in one process (`ontap start`, tests) never clash on a name. The process's metrics
// (memory, CPU, event-loop lag, GC) are collected once per process, because each collection starts
// monitors that are never stopped, and are served beside every service's own.
//
// Collecting the process's metrics costs about half a millisecond of CPU (it reads /proc, lists
// open files and waits a loop turn for the lag), thirty times a service's own. They are collected
// at most once a second, so a scraper polling fast (a benchmark, a dashboard) cannot make them a
// cost of the service; the service's own counters are always current.
import { type Counter, collectDefaultMetrics, type Gauge, Registry } from 'prom-client';

const PROCESS_METRICS_MAX_AGE_MS = 1000;

let processRegistry: Registry | undefined;
let processSnapshot: { at: number; metrics: Promise<Map<string, string>> } | undefined;

/** A new registry for one service's metrics; the process's are collected from then on. */
export function serviceRegistry(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return new Registry();
}

/** The process's metrics as text, by name: collected anew when the last collection is over a second old. */
function processMetrics(registry: Registry): Promise<Map<string, string>> {
  const now = Date.now();
  if (!processSnapshot || now - processSnapshot.at > PROCESS_METRICS_MAX_AGE_MS) {
    const metrics = Promise.all(
      registry
        .getMetricsAsArray()
        .map(async (metric) => [metric.name, await registry.getSingleMetricAsString(metric.name)] as const),
    ).then((entries) => new Map(entries));
    // A failed collection is not kept: the next scrape tries again.
    metrics.catch(() => {
      if (processSnapshot?.metrics === metrics) processSnapshot = undefined;
    });
    processSnapshot = { at: now, metrics };
  }
  return processSnapshot.metrics;
}

/**
 * A /metrics page: the service's metrics and the process's, all of them or (on a page anyone may
 * read) only `only` of them: the rest (Node's version, file descriptors, heap) helps an attacker more
 * than an operator who can read them on a private port.
 */
export async function renderMetrics(registry: Registry, { only }: { only?: readonly string[] } = {}): Promise<string> {
  const own = await registry.metrics();
  if (!processRegistry) return own;
  const process = await processMetrics(processRegistry);
  const chosen = only ? only.flatMap((name) => process.get(name) ?? []) : [...process.values()];
  return `${[own.trimEnd(), ...chosen].join('\n')}\n`;
}

/** The value of a metric without labels. */
export async function currentValue(metric: Counter | Gauge): Promise<number> {
  const { values } = await metric.get();
  return values.find((value) => Object.keys(value.labels).length === 0)?.value ?? 0;
}
