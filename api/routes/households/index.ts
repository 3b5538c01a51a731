// A household's own data: profile and consent, usage against its baseline and 110 L/person/day,
// meters and their broker credentials, leak warning, export, erasure.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { challengeScopeSchema, entryStatusSchema } from '../../../domain/challenge.ts';
import { usageGranularities } from '../../../domain/household-usage.ts';
import type { Consent } from '../../../domain/people.ts';
import { possibleLeak } from '../../../domain/scoring.ts';
import { badRequest, HttpError } from '../../http-errors.ts';
import { BrokerRevocationError, type ErasureReceipt, eraseHousehold } from '../../services/erasure.ts';
import { householdCsv, householdExport } from '../../services/household-export.ts';
import { householdUsageReport } from '../../services/household-usage.ts';
import { changeConsent, householdOf, householdWithMeters, joinedChallengeIds } from '../../services/households.ts';
import { loadChallenge } from '../../services/leaderboard.ts';
import { lastDayOfHours } from '../../services/leak-watch.ts';
import { registerMeter } from '../../services/meters.ts';
import { consentSchema, errorSchema, idSchema, kindSchema, localDateSchema, meterIdSchema } from '../schemas.ts';

const params = z.object({ householdId: idSchema });
const householdSchema = z.object({
  id: z.string(),
  alias: z.string(),
  occupants: z.number(),
  consent: consentSchema,
  street: z.string(),
  neighbourhoodId: z.string(),
  timeZone: z.string(),
  meters: z.array(z.object({ id: z.string(), kind: kindSchema })),
});
const ownData = { roles: ['household', 'admin'] as const };

/** Enforced where meters are registered; named here too, beside the route that answers with it. */
export { METERS_PER_HOUSEHOLD } from '../../services/meters.ts';

export interface HouseholdRow {
  id: string;
  alias: string;
  occupants: number;
  consent: Consent;
  street: string;
  neighbourhood_id: string;
  time_zone: string;
}

const householdRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, store, now } = app.ontap;

  /** The household in the row shape the handlers below read. */
  async function household(householdId: string): Promise<HouseholdRow> {
    const { neighbourhoodId, timeZone, ...profile } = await householdOf(db, householdId);
    return { ...profile, neighbourhood_id: neighbourhoodId, time_zone: timeZone };
  }

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
        body: z.object({ consent: consentSchema }),
        response: { 200: z.object({ consent: consentSchema }) },
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
        querystring: z.object({
          kind: kindSchema.default('water'),
          granularity: z.enum(usageGranularities).default('day'),
          from: localDateSchema,
          to: localDateSchema,
        }),
        response: {
          200: z.object({
            kind: kindSchema,
            unit: z.enum(['L', 'Wh']),
            granularity: z.enum(usageGranularities),
            timeZone: z.string(),
            baselinePerDay: z.number().nullable(),
            litresPerPersonPerDay: z
              .number()
              .nullable()
              .describe('water only: over the days of the window that are over (today so far is left out)'),
            litresPerPersonPerDayTarget: z.number().nullable(),
            points: z.array(
              z.object({ start: z.iso.datetime(), date: z.string(), use: z.number(), perPersonPerDay: z.number().nullable() }),
            ),
          }),
          400: errorSchema,
        },
      },
    },
    async (request) => {
      const { granularity, from, to } = request.query;
      if (to < from) throw badRequest('querystring.to: must not be before from');
      const span = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
      const maxDays = granularity === 'hour' ? 31 : 731;
      if (span > maxDays) throw badRequest(`querystring: at most ${maxDays} days at ${granularity} granularity`);
      const { id, time_zone: timeZone, occupants } = await household(request.params.householdId);
      return householdUsageReport(store, { id, timeZone, occupants }, request.query, now());
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
        response: {
          200: z.array(
            z.object({
              challengeId: z.string(),
              name: z.string(),
              template: z.string(),
              scope: challengeScopeSchema,
              startsOn: z.string(),
              endsOn: z.string(),
              status: entryStatusSchema,
              saving: z.number().nullable(),
              saved: z.number().nullable(),
              team: z.string().nullable(),
              mentor: z.string().nullable(),
              rank: z.number().nullable().describe('of the household, its team or its street, as the challenge ranks'),
              of: z.number().describe('how many are ranked'),
            }),
          ),
        },
      },
    },
    async (request) => {
      const row = await household(request.params.householdId);
      const result = [];
      for (const challenge_id of await joinedChallengeIds(db, row.id)) {
        const challenge = await loadChallenge(db, challenge_id);
        const { board, standings } = await app.ontap.leaderboards.get(challenge_id);
        const mine = standings.get(row.id);
        const name = challenge.scope === 'households' ? row.alias : challenge.scope === 'teams' ? mine?.team : mine?.street;
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
        response: { 200: z.object({ possibleLeak: z.boolean(), hoursChecked: z.number(), hoursWithoutUse: z.number() }) },
      },
    },
    async (request) => {
      const row = await household(request.params.householdId);
      const hours = (await lastDayOfHours(store, { household: row.id }, row.time_zone, now())).get(row.id) ?? [];
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
        body: z.object({
          meterId: meterIdSchema,
          kind: kindSchema,
          clientId: z
            .string()
            .max(128)
            .optional()
            .describe('only for a device that cannot set its MQTT client id: the one it uses (default: the user name)'),
        }),
        response: {
          201: z.object({
            meterId: z.string(),
            kind: kindSchema,
            mqtt: z.object({
              username: z.string(),
              clientId: z.string().describe('the one client id the broker accepts from this meter: its user name'),
              password: z.string(),
              topic: z.string(),
            }),
          }),
          409: errorSchema,
          503: errorSchema,
        },
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
        querystring: z.object({ format: z.enum(['json', 'csv']).default('json') }),
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
        body: z.object({ confirm: z.string().max(200) }),
        response: {
          200: z.object({
            erased: z.string(),
            receipt: z.string(),
            erasedAt: z.iso.datetime(),
            metersRevoked: z.array(z.string()),
            removed: z.record(z.string(), z.number()),
            finalSweepAt: z.iso.datetime(),
          }),
          400: errorSchema,
          503: errorSchema,
        },
      },
    },
    async (request) => {
      const row = await household(request.params.householdId);
      if (request.body.confirm.normalize('NFKC') !== row.alias.normalize('NFKC'))
        throw badRequest(`body.confirm: send the household's alias ("${row.alias}") to confirm erasure`);
      let receipt: ErasureReceipt;
      try {
        receipt = await eraseHousehold(app.ontap, row.id);
      } catch (error) {
        if (!(error instanceof BrokerRevocationError)) throw error;
        request.log.error({ err: error }, 'erasure stopped before deleting anything');
        throw new HttpError(
          503,
          'broker_unavailable',
          'the MQTT broker did not revoke every meter; their passwords are cleared but nothing else was erased yet: try again',
        );
      }
      app.ontap.dailyUse.forget();
      app.ontap.leaderboards.forget();
      return receipt;
    },
  );
};

export default householdRoutes;
