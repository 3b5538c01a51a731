// What routes share: the databases, the readings store, the clock and settings. Decorated on the
// Fastify instance by app.ts so routes reach it as `app.ontap`.
import type { MeterCredentialSink } from '../devices/contract/credentials.ts';
import type { WaterTariff } from '../domain/leaks.ts';
import type { Database } from '../storage/metadata/database.ts';
import type { ReadingStore } from '../storage/readings/reading-store.ts';
import type { OpenStreams } from './plugins/event-streams.ts';
import type { DailyUse } from './services/daily-use.ts';
import type { Leaderboards } from './services/leaderboards.ts';
import type { UsualDays } from './services/usual-days.ts';

export type { MeterCredentialSink };

export interface ApiSettings {
  /** Utility aggregates: at least this many households … */
  aggregateMinHouseholds: number;
  /** … and no single household above this share of the total. */
  aggregateMaxShare: number;
  sessionDays: number;
  /** Session cookies always `Secure` (else only on requests that came over https). */
  secureCookies: boolean;
  /**
   * Which proxies' X-Forwarded-For / -Proto to believe (ONTAP_TRUST_PROXY): none (false), the
   * nearest n hops, or these addresses and CIDR ranges. Believing anyone lets a client choose
   * its own address, and so dodge every rate limit.
   */
  trustProxy: false | number | string[];
  /** Event streams open at once on this server, of every account together (ONTAP_MAX_EVENT_STREAMS). */
  maxEventStreams: number;
  /**
   * Where residents open OnTap (ONTAP_PUBLIC_URL), for links printed on paper; unset: the
   * address the request came to (its Host, and https only from a believed proxy).
   */
  publicUrl?: string;
  /** What leaked water costs (ONTAP_WATER_TARIFF_PER_M3, ONTAP_CURRENCY). */
  waterTariff: WaterTariff;
}

export const defaultApiSettings: ApiSettings = {
  aggregateMinHouseholds: 15,
  aggregateMaxShare: 0.15,
  sessionDays: 30,
  secureCookies: false,
  trustProxy: false,
  maxEventStreams: 2_000,
  waterTariff: { perM3: 4.02, currency: 'GBP' },
};

export interface ApiContext {
  db: Database;
  store: ReadingStore;
  dailyUse: DailyUse;
  leaderboards: Leaderboards;
  usualDays: UsualDays;
  /** The event streams open now, per account and in all (plugins/event-streams.ts). */
  streams: OpenStreams;
  settings: ApiSettings;
  /** Rate limits on (AppOptions.rateLimits): sign-up's limit on wrong invitation codes follows them. */
  rateLimits: boolean;
  now: () => number;
  brokerCredentials?: MeterCredentialSink;
}

declare module 'fastify' {
  interface FastifyInstance {
    ontap: ApiContext;
  }
}
