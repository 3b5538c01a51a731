// A household's own data: profile and consent, meters with their latest reading and status, usage
// against a stable baseline and 110 L/person/day, today so far (also live, as server-sent events),
// its challenges, meters' broker credentials, leaks (./leaks.ts), export, erasure.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { badRequest, HttpError } from '../../http-errors.ts';
import { eventStreams } from '../../plugins/event-streams.ts';
import { errorSchema, streamQuerySchema } from '../../schemas/common.ts';
import {
  consentBodySchema,
  type ErasureReceipt,
  erasureConfirmationSchema,
  erasureReceiptSchema,
  exportQuerySchema,
  householdChallengesSchema,
  householdInvitationsSchema,
  householdSchema,
  meterRegistrationSchema,
  householdParamsSchema as params,
  registeredMeterSchema,
  todayQuerySchema,
  todaySchema,
  usageQuerySchema,
  usageSchema,
} from '../../schemas/households.ts';
import { BrokerRevocationError, eraseHousehold } from '../../services/erasure.ts';
import { householdChallenges, householdInvitations } from '../../services/household-challenges.ts';
import { householdCsv, householdExport } from '../../services/household-export.ts';
import { householdToday, householdUsageReport, SharedTodays } from '../../services/household-usage.ts';
import { changeConsent, householdOf, householdWithMeters } from '../../services/households.ts';
import { registerMeter } from '../../services/meters.ts';
import leakRoutes from './leaks.ts';

const ownData = { roles: ['household', 'admin'] as const };
/** How often a household's stream reads its figures again (as often as a leaderboard's). */
export const HOUSEHOLD_STREAM_EVERY_MS = 5_000;
/** A household's figures are shared by its streams this long: just under a tick, so each tick has fresh ones. */
export const HOUSEHOLD_TODAY_SHARED_MS = HOUSEHOLD_STREAM_EVERY_MS - 500;

/** Enforced where meters are registered; named here too, beside the route that answers with it. */
export { METERS_PER_HOUSEHOLD } from '../../services/meters.ts';

const householdRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, store, now } = app.ontap;
  const stream = eventStreams(app);
  const todays = new SharedTodays(app.ontap, now, HOUSEHOLD_TODAY_SHARED_MS);
  await app.register(leakRoutes);

  app.get(
    '/:householdId',
    {
      config: { access: ownData },
      schema: {
        tags: ['households'],
        description: 'The household, and its meters with the time of their latest reading and their latest status.',
        params,
        response: { 200: householdSchema },
      },
    },
    async (request) => householdWithMeters(db, store, request.params.householdId),
  );

  app.put(
    '/:householdId/consent',
    {
      config: { access: ownData },
      schema: {
        tags: ['households'],
        description:
          'private: only the household; challenge: alias and saving on joined leaderboards; research: also in utility aggregates.',
        params,
        body: consentBodySchema,
        response: { 200: consentBodySchema },
      },
    },
    async (request) => {
      await changeConsent(db, request.params.householdId, request.body.consent, request.principal?.accountId ?? null);
      // Leaderboards show only households that consent: drop the cached ones at once.
      app.ontap.leaderboards.forget();
      return { consent: request.body.consent };
    },
  );

  app.get(
    '/:householdId/usage',
    {
      config: { access: ownData },
      schema: {
        tags: ['households'],
        description:
          "Use by hour, day or week (local calendar) against a baseline that does not move with the window: the baseline period of the household's challenge of this kind running today, else the 28 days ending 7 days before today (`baselineFrom`…`baselineTo`, local dates). With the mean daily use over it, the daily target (water: 110 L × occupants) and litres per person per day.",
        params,
        querystring: usageQuerySchema,
        response: { 200: usageSchema, 400: errorSchema },
      },
    },
    async (request) => {
      const { granularity, from, to } = request.query;
      if (to < from)
        throw badRequest('querystring.to: must not be before from', { reason: 'to_before_from', field: 'to', in: 'querystring' });
      const span = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
      const maxDays = granularity === 'hour' ? 31 : 731;
      if (span > maxDays)
        throw badRequest(`querystring: at most ${maxDays} days at ${granularity} granularity`, { reason: 'span_too_long' });
      const household = await householdOf(db, request.params.householdId);
      return householdUsageReport(app.ontap, household, request.query, now());
    },
  );

  app.get(
    '/:householdId/today',
    {
      config: { access: ownData },
      schema: {
        tags: ['households'],
        description:
          'Today so far: use since local midnight, against a usual day by the same local clock time (the mean over the baseline days of …/usage that have data, pro rata within the current hour) and the baseline per day.',
        params,
        querystring: todayQuerySchema,
        response: { 200: todaySchema, 400: errorSchema },
      },
    },
    async (request) => {
      const household = await householdOf(db, request.params.householdId);
      return householdToday(app.ontap, household, request.query.kind, now());
    },
  );

  app.get(
    '/:householdId/stream',
    {
      config: { access: ownData },
      schema: {
        tags: ['households'],
        description:
          'Server-sent events: `today`, whose data is `{ kinds: HouseholdToday[] }` (…/today for water and every other kind the household has a meter of), sent at once and again whenever it changes (checked 5 s after each send). `once=true` sends the current one and closes. The stream ends with `signed-out` once the session is signed out or expires, or the token is revoked or expires. At most 3 event streams per account are open at once (429 `too_many_streams`), and as many as the server allows in all.',
        params,
        querystring: streamQuerySchema,
      },
    },
    async (request, reply) => {
      const household = await householdOf(db, request.params.householdId);
      await stream(request, reply, {
        event: 'today',
        read: async () => {
          // One computation per household and tick, however many of its streams are open.
          const today = await todays.get(household);
          // asOf moves every time: a change is a change of the figures.
          const version = JSON.stringify(today.kinds.map(({ asOf: _asOf, ...figures }) => figures));
          return { data: JSON.stringify(today), version };
        },
        everyMs: HOUSEHOLD_STREAM_EVERY_MS,
        once: request.query.once,
        failure: 'household stream update failed',
      });
    },
  );

  app.get(
    '/:householdId/challenges',
    {
      config: { access: ownData },
      schema: {
        tags: ['households'],
        description:
          'The challenges the household is in: upcoming, running or finished (on its local date), its own saving and status, its team and mentor, and the rank of whatever the challenge ranks (the household, its team or its street).',
        params,
        response: { 200: householdChallengesSchema },
      },
    },
    async (request) => {
      const household = await householdOf(db, request.params.householdId);
      return householdChallenges(app.ontap, household, now());
    },
  );

  app.get(
    '/:householdId/invitations',
    {
      config: { access: ownData },
      schema: {
        tags: ['households'],
        description:
          'The challenges of its neighbourhood the household is invited to (itself or with its street) and may join: not joined yet, not ended (upcoming or running on its local date), soonest first.',
        params,
        response: { 200: householdInvitationsSchema },
      },
    },
    async (request) => {
      const household = await householdOf(db, request.params.householdId);
      return householdInvitations(db, household, now());
    },
  );

  app.post(
    '/:householdId/meters',
    {
      config: { access: ownData, rateLimit: { max: 20, timeWindow: '1 minute' } },
      schema: {
        tags: ['households'],
        description:
          'Register a meter. Its MQTT credentials are shown once (OnTap keeps only a hash): user name and client id `meter-<meterId>`, a password, and the topic it publishes on. Ids beginning with "ontap" are refused.',
        params,
        body: meterRegistrationSchema,
        response: { 201: registeredMeterSchema, 409: errorSchema, 503: errorSchema },
      },
    },
    async (request, reply) => {
      await householdOf(db, request.params.householdId);
      const { brokerCredentials } = app.ontap;
      const meter = await registerMeter({ db, brokerCredentials, log: request.log }, request.params.householdId, request.body);
      return reply.status(201).send(meter);
    },
  );

  app.get(
    '/:householdId/export',
    {
      config: { access: ownData },
      schema: {
        tags: ['households'],
        description: 'Everything OnTap holds about the household: JSON, or its readings as CSV.',
        params,
        querystring: exportQuerySchema,
      },
    },
    async (request, reply) => {
      const data = await householdExport(db, store, request.params.householdId, now());
      if (request.query.format === 'csv') {
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="ontap-${request.params.householdId}.csv"`)
          .send(householdCsv(data));
      }
      return reply.header('content-disposition', `attachment; filename="ontap-${request.params.householdId}.json"`).send(data);
    },
  );

  app.delete(
    '/:householdId',
    {
      config: { access: ownData, rateLimit: { max: 5, timeWindow: '1 minute' } },
      schema: {
        tags: ['households'],
        description:
          "Erase the household: its meters are revoked on the broker first, then its readings, events, dead letters, meters, accounts, consent and memberships are deleted, and the readings store is swept again 2 and 15 minutes later. Confirm by sending the household's alias. A 503 means nothing but broker access was removed yet: ask again.",
        params,
        body: erasureConfirmationSchema,
        response: { 200: erasureReceiptSchema, 400: errorSchema, 503: errorSchema },
      },
    },
    async (request) => {
      const { id, alias } = await householdOf(db, request.params.householdId);
      if (request.body.confirm.normalize('NFKC') !== alias.normalize('NFKC'))
        throw badRequest(`body.confirm: send the household's alias ("${alias}") to confirm erasure`, {
          reason: 'confirm_mismatch',
          field: 'confirm',
        });
      let receipt: ErasureReceipt;
      try {
        receipt = await eraseHousehold(app.ontap, id);
      } catch (error) {
        if (!(error instanceof BrokerRevocationError)) throw error;
        request.log.error({ err: error }, 'erasure stopped before deleting anything');
        throw new HttpError(
          503,
          'unavailable',
          'the MQTT broker did not revoke every meter; their passwords are cleared but nothing else was erased yet: try again',
          { reason: 'broker_unavailable' },
        );
      }
      app.ontap.dailyUse.forget();
      app.ontap.leaderboards.forget();
      app.ontap.usualDays.forget();
      todays.forget();
      return receipt;
    },
  );
};

export default householdRoutes;
