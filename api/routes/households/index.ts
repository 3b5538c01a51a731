// A household's own data: profile and consent, usage against its baseline and 110 L/person/day,
// meters and their broker credentials, leak warning, export, erasure.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { possibleLeak } from '../../../domain/scoring.ts';
import { badRequest, HttpError } from '../../http-errors.ts';
import { errorSchema } from '../../schemas/common.ts';
import {
  consentBodySchema,
  type ErasureReceipt,
  erasureConfirmationSchema,
  erasureReceiptSchema,
  exportQuerySchema,
  householdChallengesSchema,
  householdSchema,
  leakSchema,
  meterRegistrationSchema,
  householdParamsSchema as params,
  registeredMeterSchema,
  usageQuerySchema,
  usageSchema,
} from '../../schemas/households.ts';
import { BrokerRevocationError, eraseHousehold } from '../../services/erasure.ts';
import { householdCsv, householdExport } from '../../services/household-export.ts';
import { householdUsageReport } from '../../services/household-usage.ts';
import { changeConsent, householdOf, householdWithMeters, joinedChallengeIds } from '../../services/households.ts';
import { loadChallenge } from '../../services/leaderboard.ts';
import { lastDayOfHours } from '../../services/leak-watch.ts';
import { registerMeter } from '../../services/meters.ts';

const ownData = { roles: ['household', 'admin'] as const };

/** Enforced where meters are registered; named here too, beside the route that answers with it. */
export { METERS_PER_HOUSEHOLD } from '../../services/meters.ts';

const householdRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, store, now } = app.ontap;

  app.get(
    '/:householdId',
    { config: { access: ownData }, schema: { tags: ['households'], params, response: { 200: householdSchema } } },
    async (request) => householdWithMeters(db, request.params.householdId),
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
          'Use by hour, day or week (local calendar), the baseline (mean daily use over the 28 days before `from`) and litres per person per day.',
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
      return householdUsageReport(store, household, request.query, now());
    },
  );

  app.get(
    '/:householdId/challenges',
    {
      config: { access: ownData },
      schema: {
        tags: ['households'],
        description:
          'The challenges the household is in: its own saving and status, its team and mentor, and the rank of whatever the challenge ranks (the household, its team or its street).',
        params,
        response: { 200: householdChallengesSchema },
      },
    },
    async (request) => {
      const household = await householdOf(db, request.params.householdId);
      const result = [];
      for (const challengeId of await joinedChallengeIds(db, household.id)) {
        const challenge = await loadChallenge(db, challengeId);
        const { board, standings } = await app.ontap.leaderboards.get(challengeId);
        const mine = standings.get(household.id);
        const name = challenge.scope === 'households' ? household.alias : challenge.scope === 'teams' ? mine?.team : mine?.street;
        const entry = board.entries.find((e) => e.name === name);
        result.push({
          challengeId: challenge.id,
          name: challenge.name,
          template: challenge.template,
          scope: challenge.scope,
          startsOn: challenge.startsOn,
          endsOn: challenge.endsOn,
          status: mine?.status ?? 'not_rated_yet',
          saving: mine?.saving ?? null,
          saved: mine?.saved ?? null,
          team: mine?.team ?? null,
          mentor: entry?.mentor ?? null,
          rank: entry?.rank ?? null,
          of: board.entries.filter((e) => e.rank !== null).length,
        });
      }
      return result;
    },
  );

  app.get(
    '/:householdId/leak',
    {
      config: { access: ownData },
      schema: {
        tags: ['households'],
        description: 'Possible leak: the water meter has not had one clock hour without consumption in the last 24 hours.',
        params,
        response: { 200: leakSchema },
      },
    },
    async (request) => {
      const { id, timeZone } = await householdOf(db, request.params.householdId);
      const hours = (await lastDayOfHours(store, { household: id }, timeZone, now())).get(id) ?? [];
      return {
        possibleLeak: possibleLeak(hours),
        hoursChecked: hours.length,
        hoursWithoutUse: hours.filter((use) => use <= 0).length,
      };
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
      return receipt;
    },
  );
};

export default householdRoutes;
