// Serves the dashboard's built pages (dist/, made by `npm run build:dashboard`, which `npm install`
// runs) as static files. Every page fetches its data through the documented API (no
// private routes), so what the dashboard shows any client can get.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { embeddableFrameAncestors } from '../lib/content-security-policy.ts';

const here = dirname(fileURLToPath(import.meta.url));

/** The built pages; a clear error when they were never built. */
export function dashboardDist(): string {
  const dist = join(here, 'dist');
  if (!existsSync(join(dist, 'index.html')))
    throw new Error(`the dashboard is not built (no ${dist}/index.html): run \`npm run build:dashboard\` (npm install does)`);
  return dist;
}

let notFound: string | undefined;
/** The built 404 page's HTML (read once). */
export function notFoundPage(): string {
  notFound ??= readFileSync(join(dashboardDist(), '404.html'), 'utf8');
  return notFound;
}

export default async function dashboard(app: FastifyInstance): Promise<void> {
  // Static files are public (they hold no data); the API behind them checks every call.
  app.addHook('onRoute', (route) => {
    route.config = { ...(route.config ?? {}), access: { public: true } };
  });
  await app.register(fastifyStatic, { root: dashboardDist(), prefix: '/', index: ['index.html'] });
  // The API reference: the dashboard's page over the OpenAPI document at /docs/json.
  app.get('/docs', { schema: { hide: true } }, (_request, reply) => reply.sendFile('api-reference.html'));
  // The public leaderboard may be embedded in other sites (a community centre's page).
  app.addHook('onSend', async (request, reply) => {
    if (request.url.split('?')[0] !== '/board.html') return;
    reply.removeHeader('x-frame-options');
    const policy = reply.getHeader('content-security-policy');
    if (typeof policy === 'string')
      reply.header(
        'content-security-policy',
        policy.replace(/frame-ancestors [^;]*/, `frame-ancestors ${embeddableFrameAncestors}`),
      );
  });
}
