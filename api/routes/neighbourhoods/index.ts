// A neighbourhood's organisation: invitations, challenges, streets, leak count (champions) and
// aggregates for utility partners under the 15/15 rule.
import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { getOrCreate } from '../../../lib/collections.ts';
import { randomSecret } from '../../../lib/passwords.ts';
import { addDays } from '../../../lib/time.ts';
import { badRequest, forbidden, notFound } from '../../http-errors.ts';
import { sha256 } from '../../plugins/auth.ts';
import type { Figure } from '../../services/aggregates.ts';
import { publishedAggregates } from '../../services/published-aggregates.ts';
import { challengeSchema } from '../challenges/index.ts';
import { DEFAULT_BASELINE_DAYS, templateIds, templates } from '../challenges/templates.ts';
import { DATE_RANGE, errorSchema, idSchema, inDateRange, kindSchema, localDateSchema } from '../schemas.ts';

const params = z.object({ neighbourhoodId: idSchema });
const organisers = { roles: ['champion', 'admin'] as const };
/** Longest challenge or baseline window, in days. */
const MAX_WINDOW_DAYS = 366;
const daysFrom = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;

const neighbourhoodRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, dailyUse, settings, now } = app.ontap;

  async function timeZoneOf(neighbourhoodId: string): Promise<string> {
    const rows = await db.query<{ time_zone: string }>('SELECT time_zone FROM neighbourhoods WHERE id = $1', [neighbourhoodId]);
    if (!rows[0]) throw notFound(`no neighbourhood ${neighbourhoodId}`);
    return rows[0].time_zone;
  }

  app.get(
    '/:neighbourhoodId/streets',
    {
      config: { access: organisers },
      schema: {
        tags: ['neighbourhoods'],
        params,
        response: { 200: z.array(z.object({ id: z.string(), name: z.string(), households: z.number() })) },
      },
    },
    async (request) => {
      const rows = await db.query<{ id: string; name: string; households: string }>(
        'SELECT s.id, s.name, count(h.id) AS households FROM streets s LEFT JOIN households h ON h.street_id = s.id WHERE s.neighbourhood_id = $1 GROUP BY s.id, s.name ORDER BY s.name',
        [request.params.neighbourhoodId],
      );
      return rows.map((row) => ({ id: row.id, name: row.name, households: Number(row.households) }));
    },
  );

  app.post(
    '/:neighbourhoodId/invitations',
    {
      config: { access: organisers, rateLimit: { max: 60, timeWindow: '1 minute' } },
      schema: {
        tags: ['neighbourhoods'],
        description:
          'An invitation code (shown once). Champions invite households to a street; admins may also invite champions and utility partners.',
        params,
        body: z.object({
          role: z.enum(['household', 'champion', 'utility']),
          streetId: idSchema.optional(),
          validDays: z.number().int().min(1).max(90).default(14),
        }),
        response: { 201: z.object({ code: z.string(), expiresAt: z.iso.datetime() }), 400: errorSchema, 403: errorSchema },
      },
    },
    async (request, reply) => {
      const { role, streetId, validDays } = request.body;
      if (role !== 'household' && request.principal?.role !== 'admin')
        throw forbidden('only an admin invites champions and utility partners');
      if (role === 'household') {
        if (!streetId) throw badRequest('body.streetId: a household invitation names its street');
        const street = await db.query('SELECT 1 FROM streets WHERE id = $1 AND neighbourhood_id = $2', [
          streetId,
          request.params.neighbourhoodId,
        ]);
        if (street.length === 0) throw badRequest('body.streetId: no such street in this neighbourhood');
      }
      const code = randomSecret(12);
      const expiresAt = new Date(now() + validDays * 86_400_000);
      await db.query(
        'INSERT INTO invitations (code_hash, neighbourhood_id, role, street_id, created_by, expires_at) VALUES ($1, $2, $3, $4, $5, $6)',
        [
          sha256(code),
          request.params.neighbourhoodId,
          role,
          role === 'household' ? streetId : null,
          request.principal?.accountId,
          expiresAt,
        ],
      );
      return reply.status(201).send({ code, expiresAt: expiresAt.toISOString() });
    },
  );

  app.get(
    '/:neighbourhoodId/challenges',
    {
      config: { access: { roles: ['household', 'champion', 'utility', 'admin'] } },
      schema: {
        tags: ['neighbourhoods'],
        params,
        response: { 200: z.array(challengeSchema.pick({ id: true, name: true, template: true, startsOn: true, endsOn: true })) },
      },
    },
    async (request) => {
      const rows = await db.query<{ id: string; name: string; template: string; starts_on: unknown; ends_on: unknown }>(
        'SELECT id, name, template, starts_on, ends_on FROM challenges WHERE neighbourhood_id = $1 ORDER BY starts_on DESC',
        [request.params.neighbourhoodId],
      );
      const date = (value: unknown) => (value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10));
      return rows.map((row) => ({
        id: row.id,
        name: row.name,
        template: row.template,
        startsOn: date(row.starts_on),
        endsOn: date(row.ends_on),
      }));
    },
  );

  app.post(
    '/:neighbourhoodId/challenges',
    {
      config: { access: organisers, rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags: ['neighbourhoods'],
        description:
          'Create a challenge from a template; anything given overrides the template. Baseline: the 28 days before the start unless given.',
        params,
        body: z.object({
          template: z.enum(templateIds as [string, ...string[]]),
          name: z.string().trim().min(2).max(80).optional(),
          metric: kindSchema.optional(),
          scope: z.enum(['households', 'teams', 'streets']).optional(),
          startsOn: localDateSchema,
          endsOn: localDateSchema.optional(),
          baselineFrom: localDateSchema.optional(),
          baselineTo: localDateSchema.optional(),
          targetSaving: z.number().gt(0).lt(1).optional().describe('e.g. 0.1 for 10%'),
          public: z.boolean().optional().describe('leaderboard readable without signing in (aliases only)'),
        }),
        response: { 201: challengeSchema, 400: errorSchema },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const template = templates[body.template as keyof typeof templates];
      const startsOn = body.startsOn;
      const endsOn = body.endsOn ?? addDays(startsOn, template.days - 1);
      const baselineTo = body.baselineTo ?? addDays(startsOn, -1);
      const baselineFrom = body.baselineFrom ?? addDays(baselineTo, -(DEFAULT_BASELINE_DAYS - 1));
      if (endsOn < startsOn) throw badRequest('body.endsOn: the challenge must not end before it starts');
      if (baselineFrom > baselineTo || baselineTo >= startsOn)
        throw badRequest('body.baselineTo: the baseline window must end before the challenge starts');
      // Dates the template filled in must be as sensible as given ones; a window of years would be a leaderboard nobody can compute.
      if (!inDateRange(endsOn)) throw badRequest(`body.endsOn: the challenge would end after ${DATE_RANGE.to}`);
      if (!inDateRange(baselineFrom)) throw badRequest(`body.baselineFrom: the baseline would start before ${DATE_RANGE.from}`);
      if (daysFrom(startsOn, endsOn) > MAX_WINDOW_DAYS)
        throw badRequest(`body.endsOn: a challenge lasts at most ${MAX_WINDOW_DAYS} days`);
      if (daysFrom(baselineFrom, baselineTo) > MAX_WINDOW_DAYS)
        throw badRequest(`body.baselineFrom: a baseline covers at most ${MAX_WINDOW_DAYS} days`);
      await timeZoneOf(request.params.neighbourhoodId);
      const challenge = {
        id: randomUUID(),
        neighbourhoodId: request.params.neighbourhoodId,
        template: body.template,
        name: body.name ?? template.name,
        metric: body.metric ?? template.metric,
        scope: body.scope ?? template.scope,
        startsOn,
        endsOn,
        baselineFrom,
        baselineTo,
        targetSaving: body.targetSaving ?? null,
        public: body.public ?? false,
      };
      await db.query(
        `INSERT INTO challenges (id, neighbourhood_id, template, name, metric, scope, starts_on, ends_on, baseline_from, baseline_to, target_saving, created_by, public)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
        [
          challenge.id,
          challenge.neighbourhoodId,
          challenge.template,
          challenge.name,
          challenge.metric,
          challenge.scope,
          startsOn,
          endsOn,
          baselineFrom,
          baselineTo,
          challenge.targetSaving,
          request.principal?.accountId,
          challenge.public,
        ],
      );
      return reply.status(201).send(challenge);
    },
  );

  app.get(
    '/:neighbourhoodId/leaks',
    {
      config: { access: organisers },
      schema: {
        tags: ['neighbourhoods'],
        description:
          'How many households have a possible leak now (a count only: champions do not see which). Private households are not counted: only they see anything about themselves.',
        params,
        response: { 200: z.object({ households: z.number() }) },
      },
    },
    async (request) => {
      const rows = await db.query<{ n: string }>(
        `SELECT count(DISTINCT e.household_id) AS n FROM household_events e JOIN households h ON h.id = e.household_id JOIN streets s ON s.id = h.street_id
         WHERE s.neighbourhood_id = $1 AND h.consent <> 'private' AND e.type = 'leak_raised' AND NOT EXISTS (
           SELECT 1 FROM household_events c WHERE c.household_id = e.household_id AND c.type = 'leak_cleared' AND c.at > e.at)`,
        [request.params.neighbourhoodId],
      );
      return { households: Number(rows[0]?.n ?? 0) };
    },
  );

  app.get(
    '/:neighbourhoodId/aggregates',
    {
      config: { access: { roles: ['utility', 'admin'] } },
      schema: {
        tags: ['utility'],
        description:
          'Daily totals and litres per person per day by street or for the neighbourhood, over households that consented to `research` throughout the day (and still do), settled days only. A figure is withheld (with its reason, and no numbers) when fewer than 15 households or one household above 15% of it (configurable), or when the neighbourhood figure minus the shown streets would be such a figure. A day is published once, every grouping together, and served unchanged after.',
        params,
        querystring: z.object({
          kind: kindSchema.default('water'),
          from: localDateSchema,
          to: localDateSchema,
          by: z.enum(['street', 'neighbourhood']).default('street'),
        }),
        response: {
          200: z.object({
            kind: kindSchema,
            rule: z.object({ minHouseholds: z.number(), maxShare: z.number() }),
            groups: z.array(
              z.object({
                group: z.string(),
                days: z.array(
                  z.object({
                    date: localDateSchema,
                    households: z.number().nullable().describe('null when withheld'),
                    total: z.number().nullable(),
                    perPersonPerDay: z.number().nullable(),
                    withheld: z.string().nullable(),
                  }),
                ),
              }),
            ),
          }),
          400: errorSchema,
        },
      },
    },
    async (request) => {
      const { kind, from, to, by } = request.query;
      if (to < from) throw badRequest('querystring.to: must not be before from');
      if ((Date.parse(to) - Date.parse(from)) / 86_400_000 > 366) throw badRequest('querystring: at most 366 days');
      const rule = { minHouseholds: settings.aggregateMinHouseholds, maxShare: settings.aggregateMaxShare };
      const days = await publishedAggregates(db, dailyUse, {
        neighbourhoodId: request.params.neighbourhoodId,
        kind,
        from,
        to,
        timeZone: await timeZoneOf(request.params.neighbourhoodId),
        rule,
      });
      const groups = new Map<string, ({ date: string } & Figure)[]>();
      for (const { date, figures } of days) {
        if (by === 'neighbourhood') getOrCreate(groups, 'neighbourhood', () => []).push({ date, ...figures.neighbourhood });
        else for (const { street, ...figure } of figures.streets) getOrCreate(groups, street, () => []).push({ date, ...figure });
      }
      return { kind, rule, groups: [...groups].map(([group, groupDays]) => ({ group, days: groupDays })) };
    },
  );
};

export default neighbourhoodRoutes;
