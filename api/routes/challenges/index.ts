// Challenges: read, invite, teams, join and leave, leaderboard (JSON and a live SSE stream).
import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { badRequest, conflict, HttpError, notFound } from '../../http-errors.ts';
import { stillSignedIn } from '../../plugins/auth.ts';
import { type Leaderboard, loadChallenge } from '../../services/leaderboard.ts';
import { LEADERBOARD_CACHE_MS } from '../../services/leaderboards.ts';
import { errorSchema, idSchema, kindSchema, localDateSchema } from '../schemas.ts';
import { TEAM_SIZE, templateIds } from './templates.ts';

const params = z.object({ challengeId: idSchema });
const everyone = { roles: ['household', 'champion', 'utility', 'admin'] as const };
// Boards name households: utility partners see aggregates only (DESIGN "Consent and privacy").
const boardReaders = { roles: ['household', 'champion', 'admin'] as const };
const organisers = { roles: ['champion', 'admin'] as const };

export const challengeSchema = z
  .object({
    id: z.string(),
    neighbourhoodId: z.string(),
    template: z.enum(templateIds as [string, ...string[]]),
    name: z.string(),
    metric: kindSchema,
    scope: z.enum(['households', 'teams', 'streets']),
    startsOn: localDateSchema,
    endsOn: localDateSchema,
    baselineFrom: localDateSchema,
    baselineTo: localDateSchema,
    targetSaving: z.number().nullable(),
    public: z.boolean().describe('the leaderboard (aliases only) is readable without signing in'),
  })
  .meta({ id: 'Challenge' });

const entrySchema = z.object({
  rank: z.number().nullable(),
  name: z.string().describe('alias, team or street name: never an address or a meter id'),
  status: z.enum(['ranked', 'not_rated_yet', 'not_enough_data', 'too_few_rated']),
  saving: z.number().nullable().describe('1 − mean daily use / baseline'),
  saved: z
    .number()
    .nullable()
    .describe(
      "base units (L, Wh) saved so far: teams and streets with at least 5 rated members only (with a saving it gives away a baseline); a household's own is in GET /api/households/:householdId/challenges",
    ),
  members: z.number().optional(),
  ratedMembers: z.number().optional(),
  mentor: z.string().nullable().optional(),
  today: z
    .number()
    .nullable()
    .describe(
      'provisional saving today so far (use since midnight against the baseline share of the day gone); ranks use complete days only',
    ),
});
export const leaderboardSchema = z
  .object({
    challengeId: z.string(),
    scope: z.enum(['households', 'teams', 'streets']),
    completeDays: z.number(),
    lastCompleteDay: localDateSchema.nullable(),
    target: z.object({ saving: z.number(), reached: z.number().nullable() }).nullable(),
    entries: z.array(entrySchema),
  })
  .meta({ id: 'Leaderboard' });

const challengeRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.ontap;
  // Open event streams end when the server closes, so closing does not wait for them.
  const streams = new Set<import('node:http').ServerResponse>();
  app.addHook('onClose', async () => {
    for (const stream of streams) stream.end();
  });
  const forgetLeaderboard = (challengeId: string) => app.ontap.leaderboards.forget(challengeId);

  app.get(
    '/:challengeId',
    { config: { access: everyone }, schema: { tags: ['challenges'], params, response: { 200: challengeSchema } } },
    async (request) => {
      const { timeZone: _zone, ...challenge } = await loadChallenge(db, request.params.challengeId);
      return challenge;
    },
  );

  app.get(
    '/:challengeId/leaderboard',
    {
      config: { access: boardReaders },
      schema: { tags: ['challenges'], params, response: { 200: leaderboardSchema, 404: errorSchema } },
    },
    // The board's JSON is made once per computation (services/leaderboard.ts), not per request:
    // this reply's serializer passes it through (the schema above still documents it).
    async (request, reply) => {
      const { json } = await app.ontap.leaderboards.get(request.params.challengeId);
      return reply
        .type('application/json; charset=utf-8')
        .serializer((payload) => payload as string)
        .send(json as unknown as Leaderboard);
    },
  );

  app.get(
    '/:challengeId/stream',
    {
      config: { access: boardReaders },
      schema: {
        tags: ['challenges'],
        description:
          'Server-sent events: `leaderboard` whenever it changes (checked every 5 s). `once=true` sends the current one and closes. The stream ends with `signed-out` once the session is signed out or expires, or the token is revoked or expires.',
        params,
        querystring: z.object({ once: z.stringbool().default(false) }),
      },
    },
    async (request, reply) => {
      await loadChallenge(db, request.params.challengeId);
      reply.hijack();
      reply.raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
      let last = '';
      const send = async () => {
        // A stream must not outlive its sign-in: sign-out, expiry or a revoked token end it.
        const signedIn = await stillSignedIn(db, request);
        if (reply.raw.writableEnded) return;
        if (!signedIn) {
          clearInterval(timer);
          reply.raw.end('event: signed-out\ndata: {}\n\n');
          return;
        }
        try {
          const board = (await app.ontap.leaderboards.get(request.params.challengeId)).json;
          if (reply.raw.writableEnded) return;
          if (board !== last) {
            last = board;
            reply.raw.write(`event: leaderboard\ndata: ${board}\n\n`);
          } else reply.raw.write(': keep-alive\n\n');
        } catch (error) {
          request.log.warn({ err: error }, 'leaderboard stream update failed');
        }
      };
      let timer: NodeJS.Timeout | undefined;
      await send();
      if (request.query.once || reply.raw.writableEnded) {
        reply.raw.end();
        return;
      }
      timer = setInterval(send, LEADERBOARD_CACHE_MS);
      streams.add(reply.raw);
      request.raw.once('close', () => {
        clearInterval(timer);
        streams.delete(reply.raw);
      });
    },
  );

  app.get(
    '/:challengeId/members',
    {
      config: { access: organisers },
      schema: {
        tags: ['challenges'],
        description:
          'Participation: how many households were invited and who joined (aliases, for forming teams). Private households are not listed.',
        params,
        response: {
          200: z.object({
            invited: z.number(),
            members: z.array(
              z.object({ householdId: z.string(), alias: z.string(), street: z.string(), team: z.string().nullable() }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const challenge = await loadChallenge(db, request.params.challengeId);
      const invited = await db.query<{ n: string }>('SELECT count(*) AS n FROM challenge_invitations WHERE challenge_id = $1', [
        challenge.id,
      ]);
      const members = await db.query<{ household_id: string; alias: string; street: string; team: string | null }>(
        `SELECT m.household_id, h.alias, s.name AS street, t.name AS team FROM memberships m JOIN households h ON h.id = m.household_id
         JOIN streets s ON s.id = h.street_id LEFT JOIN teams t ON t.id = m.team_id WHERE m.challenge_id = $1 AND h.consent <> 'private' ORDER BY h.alias`,
        [challenge.id],
      );
      return {
        invited: Number(invited[0]?.n ?? 0),
        members: members.map((m) => ({ householdId: m.household_id, alias: m.alias, street: m.street, team: m.team })),
      };
    },
  );

  app.put(
    '/:challengeId/visibility',
    {
      config: { access: organisers },
      schema: {
        tags: ['challenges'],
        description: 'Make the leaderboard public (aliases only: for the noticeboard, embeddable) or private again.',
        params,
        body: z.object({ public: z.boolean() }),
        response: { 200: z.object({ public: z.boolean() }) },
      },
    },
    async (request) => {
      await loadChallenge(db, request.params.challengeId);
      await db.query('UPDATE challenges SET public = $2 WHERE id = $1', [request.params.challengeId, request.body.public]);
      return { public: request.body.public };
    },
  );

  app.post(
    '/:challengeId/invitations',
    {
      config: { access: organisers },
      schema: {
        tags: ['challenges'],
        description: 'Invite households, or whole streets, of the neighbourhood.',
        params,
        body: z.object({
          householdIds: z.array(idSchema).max(10_000).default([]),
          streetIds: z.array(idSchema).max(1000).default([]),
        }),
        response: { 200: z.object({ invited: z.number() }) },
      },
    },
    async (request) => {
      const challenge = await loadChallenge(db, request.params.challengeId);
      const rows = await db.query<{ id: string }>(
        `INSERT INTO challenge_invitations (challenge_id, household_id)
         SELECT $1, h.id FROM households h JOIN streets s ON s.id = h.street_id
         WHERE s.neighbourhood_id = $2 AND (h.id = ANY($3::text[]) OR h.street_id = ANY($4::text[]))
         ON CONFLICT DO NOTHING RETURNING household_id AS id`,
        [challenge.id, challenge.neighbourhoodId, request.body.householdIds, request.body.streetIds],
      );
      return { invited: rows.length };
    },
  );

  app.post(
    '/:challengeId/teams',
    {
      config: { access: organisers },
      schema: {
        tags: ['challenges'],
        description: `A Friends On Tap team: ${TEAM_SIZE.min}–${TEAM_SIZE.max} member households around a mentor (one of them).`,
        params,
        body: z.object({
          name: z.string().trim().min(2).max(60),
          mentorHouseholdId: idSchema,
          householdIds: z.array(idSchema).min(TEAM_SIZE.min).max(TEAM_SIZE.max),
        }),
        response: { 201: z.object({ id: z.string(), name: z.string() }), 400: errorSchema, 409: errorSchema },
      },
    },
    async (request, reply) => {
      const challenge = await loadChallenge(db, request.params.challengeId);
      const { name, mentorHouseholdId, householdIds } = request.body;
      if (challenge.scope !== 'teams') throw badRequest('this challenge is not played in teams');
      if (!householdIds.includes(mentorHouseholdId))
        throw badRequest('body.mentorHouseholdId: the mentor must be one of the team');
      // A private household is in no view, so it cannot be put in a team (nor its membership probed).
      const members = await db.query<{ household_id: string }>(
        `SELECT m.household_id FROM memberships m JOIN households h ON h.id = m.household_id
         WHERE m.challenge_id = $1 AND m.household_id = ANY($2::text[]) AND h.consent <> 'private'`,
        [challenge.id, householdIds],
      );
      if (members.length !== new Set(householdIds).size)
        throw badRequest('body.householdIds: every team member must have joined the challenge');
      if ((await db.query('SELECT 1 FROM teams WHERE challenge_id = $1 AND name = $2', [challenge.id, name])).length > 0) {
        throw conflict(`a team called ${name} exists`);
      }
      const id = randomUUID();
      await db.query('INSERT INTO teams (id, challenge_id, name, mentor_household_id) VALUES ($1, $2, $3, $4)', [
        id,
        challenge.id,
        name,
        mentorHouseholdId,
      ]);
      await db.query('UPDATE memberships SET team_id = $1 WHERE challenge_id = $2 AND household_id = ANY($3::text[])', [
        id,
        challenge.id,
        householdIds,
      ]);
      forgetLeaderboard(challenge.id);
      return reply.status(201).send({ id, name });
    },
  );

  app.post(
    '/:challengeId/membership',
    {
      config: { access: { roles: ['household'] } },
      schema: {
        tags: ['challenges'],
        description: "Join (the household must be invited). Joining raises the household's consent to at least `challenge`.",
        params,
        response: { 201: z.object({ joined: z.string() }), 403: errorSchema },
      },
    },
    async (request, reply) => {
      const householdId = request.principal?.householdId as string;
      const challenge = await loadChallenge(db, request.params.challengeId);
      const invited = await db.query('SELECT 1 FROM challenge_invitations WHERE challenge_id = $1 AND household_id = $2', [
        challenge.id,
        householdId,
      ]);
      if (invited.length === 0) throw new HttpError(403, 'not_invited', 'your household has not been invited to this challenge');
      await db.query('INSERT INTO memberships (challenge_id, household_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
        challenge.id,
        householdId,
      ]);
      const raised = await db.query(
        "UPDATE households SET consent = 'challenge' WHERE id = $1 AND consent = 'private' RETURNING id",
        [householdId],
      );
      if (raised.length > 0) {
        await db.query("INSERT INTO consent_changes (household_id, consent, changed_by) VALUES ($1, 'challenge', $2)", [
          householdId,
          request.principal?.accountId,
        ]);
      }
      forgetLeaderboard(challenge.id);
      return reply.status(201).send({ joined: challenge.id });
    },
  );

  app.delete(
    '/:challengeId/membership',
    {
      config: { access: { roles: ['household'] } },
      schema: { tags: ['challenges'], params, response: { 200: z.object({ left: z.string() }), 404: errorSchema } },
    },
    async (request) => {
      const rows = await db.query(
        'DELETE FROM memberships WHERE challenge_id = $1 AND household_id = $2 RETURNING challenge_id',
        [request.params.challengeId, request.principal?.householdId],
      );
      if (rows.length === 0) throw notFound('your household is not in this challenge');
      forgetLeaderboard(request.params.challengeId);
      return { left: request.params.challengeId };
    },
  );
};

export default challengeRoutes;
