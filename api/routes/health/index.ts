// Liveness, readiness, Prometheus metrics.

import fp from 'fastify-plugin';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Counter } from 'prom-client';
import { z } from 'zod';
import { renderMetrics, serviceRegistry } from '../../../lib/metrics.ts';
import { ping } from '../../../storage/metadata/repositories/ping.ts';

/** Of the process's metrics, the public page shows only memory. */
const PUBLIC_PROCESS_METRICS = ['process_resident_memory_bytes'] as const;

// Wrapped in fastify-plugin so the request counter's hook sees every route of the app, not only these.
const healthRoutes: FastifyPluginAsyncZod = fp(async (app) => {
  // This app's own registry, so several apps in one process never clash on a name.
  const registry = serviceRegistry();
  const requests = new Counter({
    name: 'ontap_api_requests_total',
    help: 'HTTP requests answered, by status class',
    labelNames: ['status'],
    registers: [registry],
  });
  for (const status of ['2xx', '3xx', '4xx', '5xx']) requests.inc({ status }, 0);
  app.addHook('onResponse', async (_request, reply) => {
    requests.inc({ status: `${Math.floor(reply.statusCode / 100)}xx` });
  });

  app.get(
    '/healthz',
    {
      config: { access: { public: true } },
      schema: { tags: ['health'], response: { 200: z.object({ status: z.literal('ok') }) } },
    },
    async () => ({
      status: 'ok' as const,
    }),
  );

  app.get(
    '/readyz',
    {
      config: { access: { public: true } },
      schema: { tags: ['health'], response: { 200: z.object({ status: z.string() }), 503: z.object({ status: z.string() }) } },
    },
    async (_request, reply) => {
      try {
        await ping(app.ontap.db);
        return { status: 'ready' };
      } catch {
        return reply.status(503).send({ status: 'database unavailable' });
      }
    },
  );

  app.get('/metrics', { config: { access: { public: true } }, schema: { hide: true } }, async (_request, reply) =>
    reply.header('content-type', registry.contentType).send(await renderMetrics(registry, { only: PUBLIC_PROCESS_METRICS })),
  );
});

export default healthRoutes;
