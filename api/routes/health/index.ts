// Liveness, readiness, Prometheus metrics.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Counter } from 'prom-client';
import { z } from 'zod';
import { renderMetrics, serviceRegistry } from '../../../lib/metrics.ts';
import { ping } from '../../../storage/metadata/repositories/ping.ts';

const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  // This app's own registry: memory, CPU, event-loop lag and GC come with the process's metrics.
  const registry = serviceRegistry();
  const requests = new Counter({
    name: 'ontap_api_requests_total',
    help: 'HTTP requests answered, by status class',
    labelNames: ['status'],
    registers: [registry],
  });
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
    reply.header('content-type', registry.contentType).send(await renderMetrics(registry)),
  );
};

export default healthRoutes;
