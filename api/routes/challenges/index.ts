// Challenges: read, invite, teams, join and leave, leaderboard (JSON and a live SSE stream).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { challengeSchema, type Leaderboard, leaderboardSchema } from '../../../domain/challenge.ts';
import { TEAM_SIZE } from '../../../domain/challenge-templates.ts';
import { roles } from '../../plugins/auth.ts';
import { eventStreams } from '../../plugins/event-streams.ts';
import {
  invitedSchema,
  inviteesSchema,
  joinedSchema,
  joinSchema,
  leftSchema,
  newTeamSchema,
  challengeParamsSchema as params,
  participationSchema,
  pledgesBodySchema,
  streamQuerySchema,
  teamSchema,
  visibilitySchema,
} from '../../schemas/challenges.ts';
import { errorSchema } from '../../schemas/common.ts';
import {
  changePledges,
  createTeam,
  invite,
  joinChallenge,
  leaveChallenge,
  participation,
  setVisibility,
} from '../../services/challenges.ts';
import { loadChallenge } from '../../services/leaderboard.ts';
import { LEADERBOARD_CACHE_MS } from '../../services/leaderboards.ts';

const everyone = { roles };
// Boards name households: utility partners see aggregates only (docs/scoring.md).
const boardReaders = { roles: ['household', 'champion', 'admin'] as const };
const organisers = { roles: ['champion', 'admin'] as const };

const challengeRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.ontap;
  const stream = eventStreams(app);
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
          'Server-sent events: `leaderboard` whenever it changes (checked 5 s after each send). `once=true` sends the current one and closes. The stream ends with `signed-out` once the session is signed out or expires, or the token is revoked or expires. At most 3 event streams per account are open at once (429 `too_many_streams`), and as many as the server allows in all.',
        params,
        querystring: streamQuerySchema,
      },
    },
    async (request, reply) => {
      await loadChallenge(db, request.params.challengeId);
      await stream(request, reply, {
        event: 'leaderboard',
        read: async () => ({ data: (await app.ontap.leaderboards.get(request.params.challengeId)).json }),
        everyMs: LEADERBOARD_CACHE_MS,
        once: request.query.once,
        failure: 'leaderboard stream update failed',
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
          'Participation: how many households are invited (by themselves or by their street, each once) and who joined (aliases, for forming teams). Private households are not listed.',
        params,
        response: { 200: participationSchema },
      },
    },
    async (request) => participation(db, request.params.challengeId),
  );

  app.put(
    '/:challengeId/visibility',
    {
      config: { access: organisers },
      schema: {
        tags: ['challenges'],
        description: 'Make the leaderboard public (aliases only: for the noticeboard, embeddable) or private again.',
        params,
        body: visibilitySchema,
        response: { 200: visibilitySchema },
      },
    },
    async (request) => {
      await setVisibility(db, request.params.challengeId, request.body.public);
      return { public: request.body.public };
    },
  );

  app.post(
    '/:challengeId/invitations',
    {
      config: { access: organisers },
      schema: {
        tags: ['challenges'],
        description:
          'Invite households of the neighbourhood (`householdIds`), whole streets (`streetIds`), or every street it has now (`everyone: true`; a street added later is not invited until it is named). An invited street stays invited: a household that signs up on it later is invited too. Ids of another neighbourhood are ignored. `invited`: how many households this made invited (not those invited already, by themselves or by their street).',
        params,
        body: inviteesSchema,
        response: { 200: invitedSchema },
      },
    },
    async (request) => ({ invited: await invite(db, request.params.challengeId, request.body) }),
  );

  app.post(
    '/:challengeId/teams',
    {
      config: { access: organisers },
      schema: {
        tags: ['challenges'],
        description: `A Friends On Tap team: ${TEAM_SIZE.min}–${TEAM_SIZE.max} member households around a mentor (one of them).`,
        params,
        body: newTeamSchema,
        response: { 201: teamSchema, 400: errorSchema, 409: errorSchema },
      },
    },
    async (request, reply) => {
      const team = await createTeam(db, request.params.challengeId, request.body);
      forgetLeaderboard(request.params.challengeId);
      return reply.status(201).send(team);
    },
  );

  app.post(
    '/:challengeId/membership',
    {
      config: { access: { roles: ['household'] } },
      schema: {
        tags: ['challenges'],
        description:
          "Join (the household must be invited: 403 `not_invited`), optionally pledging what it will do (`pledges`, each once). Joining raises the household's consent to at least `challenge`. Joining again changes nothing but the pledges it names.",
        params,
        body: joinSchema,
        response: { 201: joinedSchema, 400: errorSchema, 403: errorSchema },
      },
    },
    async (request, reply) => {
      const joined = await joinChallenge(
        db,
        request.params.challengeId,
        { householdId: request.principal?.householdId as string, accountId: request.principal?.accountId ?? null },
        request.body,
      );
      forgetLeaderboard(joined);
      return reply.status(201).send({ joined });
    },
  );

  app.put(
    '/:challengeId/membership/pledges',
    {
      config: { access: { roles: ['household'] } },
      schema: {
        tags: ['challenges'],
        description: 'Change what the household pledges to do in a challenge it is in (404 `not_a_member` otherwise).',
        params,
        body: pledgesBodySchema,
        response: { 200: pledgesBodySchema, 400: errorSchema, 404: errorSchema },
      },
    },
    async (request) => ({
      pledges: await changePledges(
        db,
        request.params.challengeId,
        request.principal?.householdId as string,
        request.body.pledges,
      ),
    }),
  );

  app.delete(
    '/:challengeId/membership',
    {
      config: { access: { roles: ['household'] } },
      schema: { tags: ['challenges'], params, response: { 200: leftSchema, 404: errorSchema } },
    },
    async (request) => {
      await leaveChallenge(db, request.params.challengeId, request.principal?.householdId as string);
      forgetLeaderboard(request.params.challengeId);
      return { left: request.params.challengeId };
    },
  );
};

export default challengeRoutes;
