import { Counter } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { renderMetrics, serviceRegistry } from './metrics.ts';

const metricIn = (text: string, name: string) => Number(text.match(new RegExp(`^${name} (\\S+)$`, 'm'))?.[1]);

describe('renderMetrics', () => {
  it("serves the service's counters as they are now, and the process's from a collection at most a second old", async () => {
    const registry = serviceRegistry();
    const counter = new Counter({ name: 'test_things_total', help: 'things', registers: [registry] });
    const first = await renderMetrics(registry);
    counter.inc(3);
    // Burn some CPU so a fresh collection would show a different figure.
    const until = performance.now() + 30;
    while (performance.now() < until);
    const second = await renderMetrics(registry);
    expect(metricIn(first, 'test_things_total')).toBe(0);
    expect(metricIn(second, 'test_things_total')).toBe(3);
    expect(metricIn(second, 'process_cpu_user_seconds_total')).toBe(metricIn(first, 'process_cpu_user_seconds_total'));
    expect(second).toContain('# TYPE nodejs_heap_size_used_bytes gauge');
  });

  it('serves only the chosen process metrics on a public page', async () => {
    const registry = serviceRegistry();
    const text = await renderMetrics(registry, { only: ['process_resident_memory_bytes'] });
    expect(metricIn(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(text).not.toContain('nodejs_version_info');
    expect(text).not.toContain('process_open_fds');
  });
});
