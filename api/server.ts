// Runs the API on its port (ontap api, ontap start): first-run admin, leak watch, erasure sweeps,
// ended challenges' usual hours dropped, listen.
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/config.ts';
import type { Logger } from '../lib/logger.ts';
import type { Database } from '../storage/metadata/database.ts';
import type { ReadingStore } from '../storage/readings/reading-store.ts';
import { buildApp } from './app.ts';
import { bootstrapAdmin } from './bootstrap.ts';
import type { MeterCredentialSink } from './context.ts';
import { watchErasureSweeps } from './services/erasure.ts';
import { watchLeaks } from './services/leak-watch.ts';
import { watchEndedUsualHours } from './services/usual-days.ts';

export interface RunningApi {
  app: FastifyInstance;
  url: string;
  /** Set when ONTAP_HTTP_PORT was left at its default and that was taken. */
  movedFromPort?: number;
  close(): Promise<void>;
}

export async function startApiServer(
  config: Config,
  services: { db: Database; store: ReadingStore; brokerCredentials?: MeterCredentialSink; logger: Logger },
): Promise<RunningApi> {
  const app = await buildApp({
    db: services.db,
    store: services.store,
    logger: services.logger,
    settings: {
      aggregateMinHouseholds: config.ONTAP_AGGREGATE_MIN_HOUSEHOLDS,
      aggregateMaxShare: config.ONTAP_AGGREGATE_MAX_SHARE,
      trustProxy: config.ONTAP_TRUST_PROXY,
      maxEventStreams: config.ONTAP_MAX_EVENT_STREAMS,
      ...(config.ONTAP_PUBLIC_URL ? { publicUrl: config.ONTAP_PUBLIC_URL } : {}),
      waterTariff: { perM3: config.ONTAP_WATER_TARIFF_PER_M3, currency: config.ONTAP_CURRENCY },
    },
    ...(services.brokerCredentials ? { brokerCredentials: services.brokerCredentials } : {}),
  });
  let movedFromPort: number | undefined;
  try {
    await app.listen({ port: config.ONTAP_HTTP_PORT, host: config.ONTAP_HTTP_HOST });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    if (config.explicitlySet.has('ONTAP_HTTP_PORT')) {
      throw new Error(
        `ONTAP_HTTP_PORT ${config.ONTAP_HTTP_PORT} is already in use: choose a free port or leave ONTAP_HTTP_PORT unset`,
      );
    }
    movedFromPort = config.ONTAP_HTTP_PORT;
    await app.listen({ port: 0, host: config.ONTAP_HTTP_HOST });
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.ONTAP_HTTP_PORT;
  const url = `http://${config.ONTAP_HTTP_HOST === '0.0.0.0' ? '127.0.0.1' : config.ONTAP_HTTP_HOST}:${port}`;
  const admin = await bootstrapAdmin(
    services.db,
    config.ONTAP_ADMIN_EMAIL && config.ONTAP_ADMIN_PASSWORD
      ? { email: config.ONTAP_ADMIN_EMAIL, password: config.ONTAP_ADMIN_PASSWORD }
      : undefined,
  );
  if (admin.admin === 'created') console.log(`Admin account ${admin.email} created from ONTAP_ADMIN_EMAIL.`);
  if (admin.admin === 'setup') {
    console.log(`No admin yet. Sign up as admin within a day with this one-time code: ${admin.code}`);
    console.log(`  (POST ${url}/api/auth/signup with {"code", "email", "password"}, or the dashboard's setup page)`);
  }
  const stopLeaks = watchLeaks(services.db, services.store, 5 * 60_000, (error) =>
    services.logger.warn({ err: error }, 'leak check failed'),
  );
  const stopSweeps = watchErasureSweeps(services.db, services.store, 15_000, (error) =>
    services.logger.warn({ err: error }, 'erasure sweep failed; it is tried again'),
  );
  const stopUsualHours = watchEndedUsualHours(services.db, 60 * 60_000, (error) =>
    services.logger.warn({ err: error }, "dropping ended challenges' usual hours failed; it is tried again"),
  );
  return {
    app,
    url,
    ...(movedFromPort === undefined ? {} : { movedFromPort }),
    async close() {
      stopLeaks();
      stopSweeps();
      stopUsualHours();
      await app.close();
    },
  };
}
