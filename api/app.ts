// The OnTap API: infrastructure plugins first (schemas, errors, security, auth), then the routes,
// one folder per resource. `buildApp` takes its services, so tests build it around PGlite or
// PostgreSQL and a real readings store and call it with `app.inject`.
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import dashboard, { notFoundPage } from '../dashboard/plugin.ts';
import { contentSecurityPolicy } from '../lib/content-security-policy.ts';
import type { Logger } from '../lib/logger.ts';
import type { Database } from '../storage/metadata/database.ts';
import type { ReadingStore } from '../storage/readings/reading-store.ts';
import { type ApiContext, type ApiSettings, defaultApiSettings, type MeterCredentialSink } from './context.ts';
import auth from './plugins/auth.ts';
import errors from './plugins/errors.ts';
import { EVENT_STREAMS_PER_ACCOUNT, OpenStreams } from './plugins/event-streams.ts';
import schemas from './plugins/schemas.ts';
import adminRoutes from './routes/admin/index.ts';
import authRoutes from './routes/auth/index.ts';
import challengeRoutes from './routes/challenges/index.ts';
import healthRoutes from './routes/health/index.ts';
import householdRoutes from './routes/households/index.ts';
import householdReportRoutes from './routes/households/reports.ts';
import neighbourhoodRoutes from './routes/neighbourhoods/index.ts';
import openDataRoutes from './routes/neighbourhoods/open-data.ts';
import publicRoutes from './routes/public/index.ts';
import publicOpenDataRoutes from './routes/public/open-data.ts';
import { DailyUse } from './services/daily-use.ts';
import { Leaderboards } from './services/leaderboards.ts';
import { UsualDays } from './services/usual-days.ts';

export interface AppOptions {
  db: Database;
  store: ReadingStore;
  settings?: Partial<ApiSettings>;
  now?: () => number;
  brokerCredentials?: MeterCredentialSink;
  /** A pino logger for requests; none by default (tests). */
  logger?: Logger;
  /** Serve the dashboard's pages (default). */
  dashboard?: boolean;
  /** Rate limits on (default); tests that hammer a route may turn them off. */
  rateLimits?: boolean;
}

/** Every route's method and URL with its access rule, as registered (the authorization matrix test reads it). */
export interface RouteAccess {
  method: string;
  url: string;
  access: unknown;
}

/** Believes the nearest `hops` proxies (as Fastify does for a number, which its types do not allow). */
const trustHops = (hops: number) => (_address: string, hop: number) => hop < hops;

/**
 * Request logs name the route, not the URL: a URL holds household and challenge ids, which must
 * not outlive an erasure in log files.
 */
function requestLogger(logger: Logger): FastifyBaseLogger {
  return logger.child(
    {},
    {
      serializers: {
        req: (request: FastifyRequest) => ({
          method: request.method,
          route: request.routeOptions?.url ?? '(no route)',
          remoteAddress: request.ip,
        }),
      },
    },
  ) as FastifyBaseLogger;
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance & { routeAccess: RouteAccess[] }> {
  const settings: ApiSettings = { ...defaultApiSettings, ...options.settings };
  const app = Fastify({
    ...(options.logger ? { loggerInstance: requestLogger(options.logger) } : { logger: false }),
    // Off unless configured: a believed X-Forwarded-For is an address the client chose.
    trustProxy: typeof settings.trustProxy === 'number' ? trustHops(settings.trustProxy) : settings.trustProxy,
    // Event streams and keep-alive connections must not hold up a graceful stop.
    forceCloseConnections: true,
  }).withTypeProvider<ZodTypeProvider>();
  const now = options.now ?? Date.now;
  const dailyUse = new DailyUse(options.db, options.store, now);
  const usualDays = new UsualDays(options.db, options.store, dailyUse, now);
  const context: ApiContext = {
    db: options.db,
    store: options.store,
    dailyUse,
    leaderboards: new Leaderboards(options.db, dailyUse, usualDays, now),
    usualDays,
    streams: new OpenStreams({ total: settings.maxEventStreams, perAccount: EVENT_STREAMS_PER_ACCOUNT }),
    settings,
    rateLimits: options.rateLimits !== false,
    now,
    ...(options.brokerCredentials ? { brokerCredentials: options.brokerCredentials } : {}),
  };
  app.decorate('ontap', context);
  const routeAccess: RouteAccess[] = [];
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/docs')) return;
    // Read lazily: a plugin's own onRoute hook (the dashboard's) may set config after this one runs.
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue;
      routeAccess.push({
        method,
        url: route.url,
        get access() {
          return route.config?.access;
        },
      });
    }
  });

  await app.register(schemas);
  await app.register(errors, options.dashboard === false ? {} : { notFoundPage });
  await app.register(helmet, { contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicy } });
  // Limits are per route (config.rateLimit on sign-in and writes), keyed by client address.
  if (options.rateLimits !== false) await app.register(rateLimit, { global: false });
  await app.register(auth, { db: options.db });

  await app.register(healthRoutes);
  await app.register(authRoutes, { prefix: '/api/auth' });
  await app.register(householdRoutes, { prefix: '/api/households' });
  await app.register(householdReportRoutes, { prefix: '/api/households' });
  await app.register(neighbourhoodRoutes, { prefix: '/api/neighbourhoods' });
  await app.register(openDataRoutes, { prefix: '/api/neighbourhoods' });
  await app.register(challengeRoutes, { prefix: '/api/challenges' });
  await app.register(adminRoutes, { prefix: '/api/admin' });
  await app.register(publicRoutes, { prefix: '/api/public' });
  await app.register(publicOpenDataRoutes, { prefix: '/api/public/open-data' });
  if (options.dashboard !== false) await app.register(dashboard);
  await app.ready();
  return Object.assign(app, { routeAccess });
}
