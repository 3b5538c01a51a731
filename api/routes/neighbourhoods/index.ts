// Neighbourhoods and their streets set up by operators; a neighbourhood's organisation:
// invitations, challenges, streets, leak counts (champions) and aggregates for utility partners
// under the 15/15 rule.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { challengeSchema, challengeStatus, storedChallengeSchema } from '../../../domain/challenge.ts';
import { TARGET_LITRES_PER_PERSON_PER_DAY } from '../../../domain/scoring.ts';
import { getOrCreate } from '../../../lib/collections.ts';
import { localDate } from '../../../lib/time.ts';
import { badRequest } from '../../http-errors.ts';
import { roles } from '../../plugins/auth.ts';
import { challengeRequestSchema } from '../../schemas/challenges.ts';
import { type ApiErrorBody, errorSchema } from '../../schemas/common.ts';
import { neighbourhoodLeaksSchema } from '../../schemas/leaks.ts';
import {
  aggregatesQuerySchema,
  aggregatesSchema,
  challengeListingsQuerySchema,
  challengeListingsSchema,
  createdNeighbourhoodSchema,
  createdStreetsSchema,
  INVITATION_LETTERS_MAX,
  invitationPackSchema,
  invitationSchema,
  neighbourhoodChangeSchema,
  neighbourhoodListingQuerySchema,
  neighbourhoodSchema,
  neighbourhoodSummariesSchema,
  newInvitationSchema,
  newNeighbourhoodSchema,
  newStreetsSchema,
  neighbourhoodParamsSchema as params,
  rosterSchema,
  streetChangeSchema,
  streetParamsSchema,
  streetSchema,
  streetsSchema,
  type WithheldReason,
} from '../../schemas/neighbourhoods.ts';
import { type Figure, withheldReasonOf } from '../../services/aggregates.ts';
import { createChallenge } from '../../services/challenges.ts';
import { invitationLettersPdf } from '../../services/invitation-letters.ts';
import { mintInvitationPack } from '../../services/invitation-pack.ts';
import { neighbourhoodLeaks } from '../../services/leak-episodes.ts';
import {
  addStreets,
  archive,
  challenges,
  changeNeighbourhood,
  changeStreet,
  createInvitation,
  createNeighbourhood,
  neighbourhoodSummaries,
  streets,
  timeZoneOf,
} from '../../services/neighbourhoods.ts';
import { publishedAggregates } from '../../services/published-aggregates.ts';
import { roster } from '../../services/roster.ts';

const organisers = { roles: ['champion', 'admin'] as const };
const admins = { roles: ['admin'] as const };

const neighbourhoodRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, store, dailyUse, usualDays, leaderboards, settings, now } = app.ontap;

  // '' rather than '/': the collection is /api/neighbourhoods, without a trailing slash.
  app.get(
    '',
    {
      config: { access: admins },
      schema: {
        tags: ['neighbourhoods'],
        description:
          'Every neighbourhood with how many streets and households it has, by name. Archived ones only with `include=archived`.',
        querystring: neighbourhoodListingQuerySchema,
        response: { 200: neighbourhoodSummariesSchema },
      },
    },
    async (request) => neighbourhoodSummaries(db, { includeArchived: request.query.include === 'archived' }),
  );

  app.patch(
    '/:neighbourhoodId',
    {
      config: { access: admins, rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags: ['neighbourhoods'],
        description:
          "Rename a neighbourhood or change its time zone (at least one: else 400 `nothing_to_change`). Every day OnTap counts there is a calendar day in that zone, so the zone changes only while none of its challenges has started (409 `time_zone_locked`, on the later of the two zones' dates; cancelled ones do not count); daily figures kept by the old zone's days are then computed again, while utility aggregates already published stay as published. 409 `neighbourhood_archived` once archived.",
        params,
        body: neighbourhoodChangeSchema,
        response: { 200: neighbourhoodSchema, 400: errorSchema, 404: errorSchema, 409: errorSchema },
      },
    },
    async (request) => {
      const { timeZoneChanged, ...changed } = await changeNeighbourhood(db, request.params.neighbourhoodId, request.body, now());
      if (timeZoneChanged) {
        // Boards and daily figures computed on the old zone's days.
        leaderboards.forget();
        dailyUse.forget();
        usualDays.forget();
      }
      return changed;
    },
  );

  app.post(
    '/:neighbourhoodId/archive',
    {
      config: { access: admins, rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags: ['neighbourhoods'],
        description:
          'Archive a neighbourhood whose challenges are all over (409 `challenge_not_over` while one is to come or running: end or cancel it first). It is then left out of the listing unless `include=archived`, and takes no new streets, invitations (codes, invitation letters, challenge invitations), challenges or sign-ups, also with codes given before (409 `neighbourhood_archived`). Everything it holds stays. Archiving it again changes nothing.',
        params,
        response: { 200: neighbourhoodSchema, 404: errorSchema, 409: errorSchema },
      },
    },
    async (request) => archive(db, request.params.neighbourhoodId, now()),
  );

  app.post(
    '',
    {
      config: { access: admins, rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags: ['neighbourhoods'],
        description:
          'Create a neighbourhood. Its days are calendar days in `timeZone` (400 `time_zone_unknown` unless an IANA zone). Without `id`, one is made from the name (numbered when taken); a given `id` that exists is a 409 `neighbourhood_taken`.',
        body: newNeighbourhoodSchema,
        response: { 201: createdNeighbourhoodSchema, 400: errorSchema, 409: errorSchema },
      },
    },
    async (request, reply) => reply.status(201).send(await createNeighbourhood(db, request.body)),
  );

  app.post(
    '/:neighbourhoodId/streets',
    {
      config: { access: organisers, rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags: ['neighbourhoods'],
        description:
          'Add streets by name (1–200 at a time). Names the neighbourhood has already (compared case-insensitively after NFKC) are not added again but listed in `existing`.',
        params,
        body: newStreetsSchema,
        response: { 201: createdStreetsSchema, 400: errorSchema, 404: errorSchema },
      },
    },
    async (request, reply) => reply.status(201).send(await addStreets(db, request.params.neighbourhoodId, request.body.names)),
  );

  app.patch(
    '/:neighbourhoodId/streets/:streetId',
    {
      config: { access: organisers, rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags: ['neighbourhoods'],
        description:
          'Rename a street (its id stays, and so do its households and invitations). 409 `street_name_taken` when another street of the neighbourhood has the name (compared as when adding), `neighbourhood_archived` once archived; 404 `street_unknown` for a street of another neighbourhood.',
        params: streetParamsSchema,
        body: streetChangeSchema,
        response: { 200: streetSchema, 400: errorSchema, 404: errorSchema, 409: errorSchema },
      },
    },
    async (request) => changeStreet(db, request.params.neighbourhoodId, request.params.streetId, request.body.name),
  );

  app.get(
    '/:neighbourhoodId/streets',
    {
      config: { access: organisers },
      schema: {
        tags: ['neighbourhoods'],
        params,
        response: { 200: streetsSchema },
      },
    },
    async (request) => streets(db, request.params.neighbourhoodId),
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
        body: newInvitationSchema,
        response: { 201: invitationSchema, 400: errorSchema, 403: errorSchema, 404: errorSchema },
      },
    },
    async (request, reply) => {
      const { code, expiresAt } = await createInvitation(
        db,
        request.principal,
        { neighbourhoodId: request.params.neighbourhoodId, ...request.body },
        now(),
      );
      return reply.status(201).send({ code, expiresAt: expiresAt.toISOString() });
    },
  );

  app.post(
    '/:neighbourhoodId/invitation-pack',
    {
      config: { access: organisers, rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: {
        tags: ['neighbourhoods'],
        description: `Invitation letters to print for one street, as a PDF (200 \`application/pdf\`, A4): a cover page for the champion's doorstep round, then one letter a home, each with its own household code (1 to ${INVITATION_LETTERS_MAX} letters, all minted together, valid \`validDays\`) in large type and as a QR code of the sign-up page with the code filled in (at ONTAP_PUBLIC_URL, else the address this request came to). With \`challengeId\`, the letters name that challenge, its dates and the pledges a home can make, and the street is invited to it. 400 \`street_unknown\` for a street of another neighbourhood; 404 \`challenge_unknown\`; 409 \`challenge_cancelled\`, \`challenge_archived\`, \`challenge_over\`, \`neighbourhood_archived\`. The codes are not kept: only this PDF holds them.`,
        params,
        body: invitationPackSchema,
        response: { 400: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema },
      },
    },
    async (request, reply) => {
      const pack = await mintInvitationPack(
        db,
        request.principal,
        { neighbourhoodId: request.params.neighbourhoodId, ...request.body },
        now(),
        settings.publicUrl ?? `${request.protocol}://${request.host}`,
      );
      // A Buffer is sent as it is; the reply's types know only the JSON (error) responses.
      const pdf: unknown = await invitationLettersPdf(pack);
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="invitations-${request.body.streetId}.pdf"`)
        .header('cache-control', 'no-store')
        .send(pdf as ApiErrorBody);
    },
  );

  app.get(
    '/:neighbourhoodId/challenges',
    {
      config: { access: { roles } },
      schema: {
        tags: ['neighbourhoods'],
        description:
          "The neighbourhood's challenges, latest start first, each with its status on the neighbourhood's local date. Archived ones only with `include=archived`.",
        params,
        querystring: challengeListingsQuerySchema,
        response: { 200: challengeListingsSchema },
      },
    },
    async (request) => {
      const listed = await challenges(db, request.params.neighbourhoodId, {
        includeArchived: request.query.include === 'archived',
      });
      return listed.map((row) => ({
        id: row.id,
        name: row.name,
        // Stored as text: checked against the templates and statuses OnTap knows.
        template: challengeSchema.shape.template.parse(row.template),
        startsOn: row.startsOn,
        endsOn: row.endsOn,
        status: challengeStatus(
          { ...row, lifecycle: storedChallengeSchema.shape.lifecycle.parse(row.lifecycle) },
          localDate(now(), row.timeZone),
        ),
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
        body: challengeRequestSchema,
        response: { 201: challengeSchema, 400: errorSchema },
      },
    },
    async (request, reply) => {
      const challenge = await createChallenge(
        db,
        request.params.neighbourhoodId,
        request.body,
        request.principal?.accountId ?? null,
        now(),
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
          "How many households have a possible leak now that they have not marked fixed or expected, in all and per street (counts only: champions do not see which). Private households are not counted: only they see anything about themselves. A street's count is withheld under `minHouseholds` households that are not private, and the street with the fewest households after it while the withheld streets together would be under it, so that no count is given, or can be worked out from the total, over fewer households.",
        params,
        response: { 200: neighbourhoodLeaksSchema, 404: errorSchema },
      },
    },
    async (request) => neighbourhoodLeaks({ db, store }, request.params.neighbourhoodId, now()),
  );

  app.get(
    '/:neighbourhoodId/households',
    {
      config: { access: organisers },
      schema: {
        tags: ['neighbourhoods'],
        description:
          "The neighbourhood's households as their consent allows, by street, then alias: alias, street, the challenges each joined and is invited to (by itself or by its street) that have not ended, how many meters it has and how many of them sent a reading in the last 24 hours. Never an address, a meter id, an email, occupants or a figure of use. A private household is not listed: it is only counted on its street in `privateByStreet`, so its street can still be invited.",
        params,
        response: { 200: rosterSchema, 404: errorSchema },
      },
    },
    async (request) => roster(db, store, request.params.neighbourhoodId, now()),
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
        querystring: aggregatesQuerySchema,
        response: { 200: aggregatesSchema, 400: errorSchema },
      },
    },
    async (request) => {
      const { kind, from, to, by } = request.query;
      if (to < from)
        throw badRequest('querystring.to: must not be before from', { reason: 'to_before_from', field: 'to', in: 'querystring' });
      if ((Date.parse(to) - Date.parse(from)) / 86_400_000 > 366)
        throw badRequest('querystring: at most 366 days', { reason: 'span_too_long' });
      const rule = { minHouseholds: settings.aggregateMinHouseholds, maxShare: settings.aggregateMaxShare };
      const days = await publishedAggregates(db, dailyUse, {
        neighbourhoodId: request.params.neighbourhoodId,
        kind,
        from,
        to,
        timeZone: await timeZoneOf(db, request.params.neighbourhoodId),
        rule,
      });
      const groups = new Map<string, ({ date: string; withheldReason: WithheldReason | null } & Figure)[]>();
      const add = (group: string, date: string, figure: Figure) =>
        getOrCreate(groups, group, () => []).push({ date, ...figure, withheldReason: withheldReasonOf(figure.withheld) });
      for (const { date, figures } of days) {
        if (by === 'neighbourhood') add('neighbourhood', date, figures.neighbourhood);
        else for (const { street, ...figure } of figures.streets) add(street, date, figure);
      }
      return {
        kind,
        litresPerPersonPerDayTarget: kind === 'water' ? TARGET_LITRES_PER_PERSON_PER_DAY : null,
        rule,
        groups: [...groups].map(([group, groupDays]) => ({ group, days: groupDays })),
      };
    },
  );
};

export default neighbourhoodRoutes;
