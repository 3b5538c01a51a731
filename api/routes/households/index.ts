// A household's own data: profile and consent, usage against its baseline and 110 L/person/day,
// meters and their broker credentials, leak warning, export, erasure.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { BrokerIdentityTakenError } from '../../../broker/mosquitto/mosquitto-dynsec.ts';
import { deviceClientIdProblem, meterUsername } from '../../../devices/contract/identities.ts';
import { meterTopic } from '../../../devices/contract/topics.ts';
import type { meterKinds } from '../../../devices/contract/units.ts';
import { baselineOf, possibleLeak, TARGET_LITRES_PER_PERSON_PER_DAY } from '../../../domain/scoring.ts';
import { erasedMeterHash } from '../../../ingest/pipeline/meter-directory.ts';
import { encodePasswordHash, hashPassword, randomSecret } from '../../../lib/passwords.ts';
import { addDays } from '../../../lib/time.ts';
import { badRequest, conflict, HttpError, notFound } from '../../http-errors.ts';
import { BrokerRevocationError, type ErasureReceipt, eraseHousehold } from '../../services/erasure.ts';
import { loadChallenge } from '../../services/leaderboard.ts';
import { lastDayOfHours } from '../../services/leak-watch.ts';
import { consentSchema, errorSchema, idSchema, kindSchema, localDateSchema, meterIdSchema } from '../schemas.ts';
import { householdCsv, householdExport } from './export.ts';

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
/** Water, electricity, gas and sub-meters; more is a flood in the making. */
export const METERS_PER_HOUSEHOLD = 12;

export interface HouseholdRow {
  id: string;
  alias: string;
  occupants: number;
  consent: 'private' | 'challenge' | 'research';
  street: string;
  neighbourhood_id: string;
  time_zone: string;
}

const householdRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, store, now } = app.ontap;

  async function household(householdId: string) {
    const rows = await db.query<HouseholdRow>(
      `SELECT h.id, h.alias, h.occupants, h.consent, s.name AS street, s.neighbourhood_id, n.time_zone
       FROM households h JOIN streets s ON s.id = h.street_id JOIN neighbourhoods n ON n.id = s.neighbourhood_id WHERE h.id = $1`,
      [householdId],
    );
    if (!rows[0]) throw notFound(`no household ${householdId}`);
    return rows[0];
  }
  const metersOf = (householdId: string) =>
    db.query<{ id: string; kind: (typeof meterKinds)[number] }>(
      'SELECT id, kind FROM meters WHERE household_id = $1 ORDER BY id',
      [householdId],
    );

  app.get(
    '/:householdId',
    { config: { access: ownData }, schema: { tags: ['households'], params, response: { 200: householdSchema } } },
    async (request) => {
      const row = await household(request.params.householdId);
      return {
        id: row.id,
        alias: row.alias,
        occupants: row.occupants,
        consent: row.consent,
        street: row.street,
        neighbourhoodId: row.neighbourhood_id,
        timeZone: row.time_zone,
        meters: await metersOf(row.id),
      };
    },
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
      await household(request.params.householdId);
      await db.query('UPDATE households SET consent = $2 WHERE id = $1', [request.params.householdId, request.body.consent]);
      await db.query('INSERT INTO consent_changes (household_id, consent, changed_by) VALUES ($1, $2, $3)', [
        request.params.householdId,
        request.body.consent,
        request.principal?.accountId,
      ]);
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
          granularity: z.enum(['hour', 'day', 'week']).default('day'),
          from: localDateSchema,
          to: localDateSchema,
        }),
        response: {
          200: z.object({
            kind: kindSchema,
            unit: z.enum(['L', 'Wh']),
            granularity: z.enum(['hour', 'day', 'week']),
            timeZone: z.string(),
            baselinePerDay: z.number().nullable(),
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
      const { kind, granularity, from, to } = request.query;
      if (to < from) throw badRequest('querystring.to: must not be before from');
      const span = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
      if (span > (granularity === 'hour' ? 31 : 731))
        throw badRequest(`querystring: at most ${granularity === 'hour' ? 31 : 731} days at ${granularity} granularity`);
      const row = await household(request.params.householdId);
      const totals = await store.totals({
        kind,
        scope: { household: row.id },
        from,
        to,
        timeZone: row.time_zone,
        granularity: granularity === 'hour' ? 'hour' : 'day',
        groupBy: 'household',
      });
      const before = await store.totals({
        kind,
        scope: { household: row.id },
        from: addDays(from, -28),
        to: addDays(from, -1),
        timeZone: row.time_zone,
        granularity: 'day',
        groupBy: 'household',
      });
      const baseline = baselineOf(before.map((t) => ({ date: t.date, use: t.use, hasData: t.householdsWithData > 0 })));
      let points = totals.map((t) => ({ start: new Date(t.start).toISOString(), date: t.date, use: t.use, days: 1 }));
      if (granularity === 'week') points = byWeek(points);
      const perPerson = (use: number, days: number) =>
        kind === 'water' && granularity !== 'hour' ? use / days / Math.max(1, row.occupants) : null;
      return {
        kind,
        unit: kind === 'water' ? ('L' as const) : ('Wh' as const),
        granularity,
        timeZone: row.time_zone,
        baselinePerDay: baseline.status === 'rated' ? baseline.baseline : null,
        litresPerPersonPerDayTarget: kind === 'water' ? TARGET_LITRES_PER_PERSON_PER_DAY : null,
        points: points.map((p) => ({ start: p.start, date: p.date, use: p.use, perPersonPerDay: perPerson(p.use, p.days) })),
      };
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
              scope: z.enum(['households', 'teams', 'streets']),
              startsOn: z.string(),
              endsOn: z.string(),
              status: z.enum(['ranked', 'not_rated_yet', 'not_enough_data', 'too_few_rated']),
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
      const joined = await db.query<{ challenge_id: string }>('SELECT challenge_id FROM memberships WHERE household_id = $1', [
        row.id,
      ]);
      const result = [];
      for (const { challenge_id } of joined) {
        const challenge = await loadChallenge(db, challenge_id);
        const { board, members } = await app.ontap.leaderboards.get(challenge_id);
        const mine = members.get(row.id);
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
      await household(request.params.householdId);
      const { meterId, kind } = request.body;
      const username = meterUsername(meterId);
      const clientId = request.body.clientId ?? username;
      const clientIdProblem = deviceClientIdProblem(meterId, clientId);
      if (clientIdProblem) throw badRequest(`body.clientId: ${clientIdProblem}`);
      if ((await db.query('SELECT 1 FROM meters WHERE id = $1', [meterId])).length > 0)
        throw conflict(`meter ${meterId} is already registered`);
      // Each meter has its own flood allowance on the embedded broker: a household's number is bounded.
      const [{ n: meters } = { n: 0 }] = await db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM meters WHERE household_id = $1',
        [request.params.householdId],
      );
      if (meters >= METERS_PER_HOUSEHOLD)
        throw conflict(`a household has at most ${METERS_PER_HOUSEHOLD} meters; remove one first`);
      // An erased household's meter id stays unused for a while, or a gateway still publishing for
      // it would hand its readings to whoever took the id next.
      const [recentlyErased] = await db.query(
        "SELECT 1 FROM erased_meters WHERE meter_hash = $1 AND erased_at > now() - interval '30 days'",
        [erasedMeterHash(meterId)],
      );
      if (recentlyErased) throw conflict(`meter id ${meterId} belonged to an erased household recently: choose another`);
      if ((await db.query('SELECT 1 FROM meters WHERE client_id = $1', [clientId])).length > 0)
        throw conflict(`client id ${clientId} is another meter's`);
      const password = randomSecret(18);
      await db.query(
        'INSERT INTO meters (id, household_id, kind, password_hash, credentials_issued_at, client_id) VALUES ($1, $2, $3, $4, now(), $5)',
        [
          meterId,
          request.params.householdId,
          kind,
          encodePasswordHash(await hashPassword(password)),
          clientId === username ? null : clientId,
        ],
      );
      try {
        await app.ontap.brokerCredentials?.provisionMeter(meterId, password, clientId);
        // An id erased long ago is free again: its tombstone would drop the new meter's readings.
        await db.query('DELETE FROM erased_meters WHERE meter_hash = $1', [erasedMeterHash(meterId)]);
      } catch (error) {
        // No meter without its broker account: the row goes again, and the household may retry.
        await db.query('DELETE FROM meters WHERE id = $1', [meterId]);
        if (error instanceof BrokerIdentityTakenError)
          throw conflict(`meter id ${meterId} is taken on the broker: choose another`);
        request.log.error({ err: error }, 'meter provisioning on the broker failed');
        throw new HttpError(503, 'broker_unavailable', 'the MQTT broker did not take the new meter; try again in a minute');
      }
      return reply.status(201).send({
        meterId,
        kind,
        mqtt: { username, clientId, password, topic: meterTopic(meterId, 'readings') },
      });
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

function byWeek(points: { start: string; date: string; use: number; days: number }[]) {
  const weeks: { start: string; date: string; use: number; days: number }[] = [];
  for (const point of points) {
    const weekday = (new Date(`${point.date}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday = 0
    const monday = addDays(point.date, -weekday);
    const last = weeks[weeks.length - 1];
    if (last && last.date === monday) {
      last.use += point.use;
      last.days += 1;
    } else weeks.push({ start: point.start, date: monday, use: point.use, days: 1 });
  }
  return weeks;
}

export default householdRoutes;
