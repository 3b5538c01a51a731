// Liveness, readiness, Prometheus metrics.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Counter, Gauge, MetricsRegistry } from '../../../lib/metrics.ts';

const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  const registry = new MetricsRegistry();
  const requests = registry.add(new Counter('ontap_api_requests_total', 'HTTP requests answered, by status class'));
  registry.add(new Gauge('process_resident_memory_bytes', 'Resident memory of this process', () => process.memoryUsage.rss()));
  app.addHook('onResponse', async (_request, reply) => {
    requests.inc(1, { status: `${Math.floor(reply.statusCode / 100)}xx` });
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
        await app.ontap.db.query('SELECT 1');
        return { status: 'ready' };
      } catch {
        return reply.status(503).send({ status: 'database unavailable' });
      }
    },
  );

  app.get('/metrics', { config: { access: { public: true } }, schema: { hide: true } }, async (_request, reply) =>
    reply.header('content-type', 'text/plain; version=0.0.4').send(registry.render()),
  );
};

export default healthRoutes;
