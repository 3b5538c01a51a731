// Challenges: read, change, end, cancel and archive, invite, teams, join and leave, leaderboard
// (JSON and a live SSE stream).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { type Challenge, challengeSchema, type Leaderboard, leaderboardSchema } from '../../../domain/challenge.ts';
import { TEAM_SIZE } from '../../../domain/challenge-templates.ts';
import { roles } from '../../plugins/auth.ts';
import { eventStreams } from '../../plugins/event-streams.ts';
import {
  challengeChangeSchema,
  endSchema,
  invitedSchema,
  inviteesSchema,
  joinedSchema,
  joinSchema,
  leftSchema,
  mentorViewSchema,
  newTeamSchema,
  challengeParamsSchema as params,
  participationSchema,
  pledgesBodySchema,
  streamQuerySchema,
  teamListingSchema,
  teamParamsSchema,
  teamSchema,
  visibilitySchema,
} from '../../schemas/challenges.ts';
import { errorSchema } from '../../schemas/common.ts';
import {
  archiveChallenge,
  cancelChallenge,
  changeChallenge,
  changePledges,
  endChallenge,
  invite,
  joinChallenge,
  leaveChallenge,
  participation,
  presentChallenge,
  setVisibility,
} from '../../services/challenges.ts';
import { loadChallenge, loadChallengeWithBoard } from '../../services/leaderboard.ts';
import { LEADERBOARD_CACHE_MS } from '../../services/leaderboards.ts';
import { changeTeam, createTeam, dissolveTeam, mentorView, teamsOf } from '../../services/teams.ts';

const everyone = { roles };
// Boards name households: utility partners see aggregates only (docs/scoring.md).
const boardReaders = { roles: ['household', 'champion', 'admin'] as const };
const organisers = { roles: ['champion', 'admin'] as const };

const challengeRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, now } = app.ontap;
  const stream = eventStreams(app);
  const forgetLeaderboard = (challengeId: string) => app.ontap.leaderboards.forget(challengeId);

  app.get(
    '/:challengeId',
    { config: { access: everyone }, schema: { tags: ['challenges'], params, response: { 200: challengeSchema } } },
    async (request) => presentChallenge(await loadChallenge(db, request.params.challengeId), now()),
  );

  // An organiser changing a challenge: each answers with the challenge as it is now, and drops its
  // cached board.
  const organiserChange = { access: organisers, rateLimit: { max: 30, timeWindow: '1 minute' } };
  const changedResponses = { 200: challengeSchema, 400: errorSchema, 404: errorSchema, 409: errorSchema };
  const changed = (challenge: Challenge) => {
    forgetLeaderboard(challenge.id);
    return challenge;
  };

  app.patch(
    '/:challengeId',
    {
      config: organiserChange,
      schema: {
        tags: ['challenges'],
        description:
          "Change a challenge (at least one field). Name and target until it is cancelled or archived (409 `challenge_cancelled`, `challenge_archived`); `targetSaving: null` removes the target. Dates only before it starts on the neighbourhood's local date (409 `challenge_started`; a date equal to the present one is no change), checked as at creation (400 `ends_before_start`, `challenge_too_long`, `date_out_of_range`, `baseline_after_start`); a baseline window derived from the start at creation moves with the start (the 28 days before it), a given one stays. An empty change is a 400 with field code `nothing_to_change`.",
        params,
        body: challengeChangeSchema,
        response: changedResponses,
      },
    },
    async (request) => changed(await changeChallenge(db, request.params.challengeId, request.body, now())),
  );

  app.post(
    '/:challengeId/end',
    {
      config: organiserChange,
      schema: {
        tags: ['challenges'],
        description:
          "End a running challenge early: its last day becomes `lastDay` (from startsOn to endsOn, not after today: 400 `last_day_out_of_range`), by default yesterday on the neighbourhood's local date (on its first day, today). Its board then counts the complete days up to the new end, as any finished challenge's. 409 `challenge_not_running` before it starts or once it has ended, `challenge_cancelled` when cancelled.",
        params,
        body: endSchema,
        response: changedResponses,
      },
    },
    async (request) => changed(await endChallenge(db, request.params.challengeId, request.body, now())),
  );

  for (const [step, decide, description] of [
    [
      'cancel',
      cancelChallenge,
      "Cancel a challenge before it starts (409 `challenge_started` on or after its first day, on the neighbourhood's local date). A cancelled challenge is no longer offered to households, cannot be joined, invited to or given teams (409 `challenge_cancelled`), and has no leaderboard (404 `not_found`, reason `challenge_cancelled`, the public board too). Cancelling it again changes nothing.",
    ],
    [
      'archive',
      archiveChallenge,
      "Archive a finished challenge (409 `challenge_not_finished` before its last day is over, `challenge_cancelled` when cancelled). Its leaderboard stays, for evidence; it is left out of the neighbourhood's listing unless `?include=archived` and out of households' invitations, and takes no more invitations, teams or members (409 `challenge_archived`). Archiving it again changes nothing.",
    ],
  ] as const)
    app.post(
      `/:challengeId/${step}`,
      { config: organiserChange, schema: { tags: ['challenges'], description, params, response: changedResponses } },
      async (request) => changed(await decide(db, request.params.challengeId, now())),
    );

  app.get(
    '/:challengeId/leaderboard',
    {
      config: { access: boardReaders },
      schema: {
        tags: ['challenges'],
        description: 'A cancelled challenge has none: 404 `not_found`, reason `challenge_cancelled`.',
        params,
        response: { 200: leaderboardSchema, 404: errorSchema },
      },
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
          'Server-sent events: `leaderboard` whenever it changes (checked 5 s after each send). `once=true` sends the current one and closes. A cancelled challenge has none (404 `not_found`, reason `challenge_cancelled`), and its open streams end. The stream ends with `signed-out` once the session is signed out or expires, or the token is revoked or expires. At most 3 event streams per account are open at once (429 `too_many_streams`), and as many as the server allows in all.',
        params,
        querystring: streamQuerySchema,
      },
    },
    async (request, reply) => {
      await loadChallengeWithBoard(db, request.params.challengeId);
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
          'Invite households of the neighbourhood (`householdIds`), whole streets (`streetIds`), or every street it has now (`everyone: true`; a street added later is not invited until it is named). An invited street stays invited: a household that signs up on it later is invited too. Ids of another neighbourhood are ignored. `invited`: how many households this made invited (not those invited already, by themselves or by their street). A cancelled or archived challenge takes none (409 `challenge_cancelled`, `challenge_archived`).',
        params,
        body: inviteesSchema,
        response: { 200: invitedSchema, 409: errorSchema },
      },
    },
    async (request) => ({ invited: await invite(db, request.params.challengeId, request.body) }),
  );

  const teamRules = `${TEAM_SIZE.min}–${TEAM_SIZE.max} member households that joined and are not private (400 \`member_not_joined\`) around a mentor who is one of them (400 \`mentor_not_in_team\`); a member of another team moves to this one. Teams can be formed and changed until the challenge is archived, also once it has finished (a champion forming the teams of a past challenge it evidences); not in a cancelled or archived challenge (409 \`challenge_cancelled\`, \`challenge_archived\`), nor one not played in teams (400 \`not_a_team_challenge\`).`;

  app.get(
    '/:challengeId/teams',
    {
      config: { access: organisers },
      schema: {
        tags: ['challenges'],
        description: "The challenge's Friends On Tap teams, each with its members that are not private.",
        params,
        response: { 200: teamListingSchema },
      },
    },
    async (request) => teamsOf(db, request.params.challengeId),
  );

  app.post(
    '/:challengeId/teams',
    {
      config: organiserChange,
      schema: {
        tags: ['challenges'],
        description: `A Friends On Tap team: ${teamRules} A name the challenge has already is a 409 \`team_name_taken\`.`,
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

  app.put(
    '/:challengeId/teams/:teamId',
    {
      config: organiserChange,
      schema: {
        tags: ['challenges'],
        description: `Change a team: its name, mentor and members as given (a member left out stays in the challenge, in no team). ${teamRules}`,
        params: teamParamsSchema,
        body: newTeamSchema,
        response: { 200: teamSchema, 400: errorSchema, 404: errorSchema, 409: errorSchema },
      },
    },
    async (request) => {
      const { challengeId, teamId } = request.params;
      const team = await changeTeam(db, challengeId, teamId, request.body);
      forgetLeaderboard(challengeId);
      return team;
    },
  );

  app.delete(
    '/:challengeId/teams/:teamId',
    {
      config: organiserChange,
      schema: {
        tags: ['challenges'],
        description: 'Dissolve a team: its members stay in the challenge, in no team. Until the challenge is archived.',
        params: teamParamsSchema,
        response: { 200: teamSchema.pick({ id: true }), 400: errorSchema, 404: errorSchema, 409: errorSchema },
      },
    },
    async (request) => {
      const { challengeId, teamId } = request.params;
      await dissolveTeam(db, challengeId, teamId);
      forgetLeaderboard(challengeId);
      return { id: teamId };
    },
  );

  app.get(
    '/:challengeId/teams/:teamId/mentoring',
    {
      config: { access: { roles: ['household', 'champion', 'admin'] } },
      schema: {
        tags: ['challenges'],
        description:
          "The mentor's view of its team (organisers may read it too; another household gets 403 `not_the_mentor`): each member that is not private, how it is getting on in words (not figures), what it pledged and how many days in a row it has had no data — who may need a knock on the door.",
        params: teamParamsSchema,
        response: { 200: mentorViewSchema, 403: errorSchema, 404: errorSchema },
      },
    },
    async (request) => mentorView(app.ontap, request.params.challengeId, request.params.teamId, request.principal ?? null, now()),
  );

  app.post(
    '/:challengeId/membership',
    {
      config: { access: { roles: ['household'] } },
      schema: {
        tags: ['challenges'],
        description:
          "Join (the household must be invited: 403 `not_invited`), optionally pledging what it will do (`pledges`, each once). Joining raises the household's consent to at least `challenge`. Joining again changes nothing but the pledges it names. A cancelled or archived challenge cannot be joined (409 `challenge_cancelled`, `challenge_archived`).",
        params,
        body: joinSchema,
        response: { 201: joinedSchema, 400: errorSchema, 403: errorSchema, 409: errorSchema },
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
