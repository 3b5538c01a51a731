// A neighbourhood's open-data releases: publishing one is its champion's decision (or an
// operator's), never a utility partner's, whose interest is not the households'; withdrawing one is
// an operator's act (docs/open-data.md). Anyone reads releases at /api/public/open-data.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorSchema } from '../../schemas/common.ts';
import { neighbourhoodParamsSchema } from '../../schemas/neighbourhoods.ts';
import {
  newReleaseSchema,
  OPEN_DATA_MAX_DAYS,
  publishedReleaseSchema,
  releaseParamsSchema,
  releaseSchema,
  withdrawalSchema,
} from '../../schemas/open-data.ts';
import { publishRelease, withdraw } from '../../services/open-data.ts';

const openDataRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, dailyUse, settings, now } = app.ontap;

  app.post(
    '/:neighbourhoodId/open-data/releases',
    {
      config: { access: { roles: ['champion', 'admin'] }, rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: {
        tags: ['open data'],
        description: `Publish daily aggregates as open data: a Frictionless Data Package (datapackage.json with daily-neighbourhood.csv, daily-street.csv and data-quality.csv), public at once and for good at the \`datapackage\` path given, its figures never changing. The decision is the neighbourhood's: \`confirm\` must be its id (400 \`confirm_mismatch\`), with a licence from the list. \`from\`–\`to\`: at most ${OPEN_DATA_MAX_DAYS} days (400 \`span_too_long\`, \`to_before_from\`), settled days only (400 \`days_not_settled\`). Figures are the utility aggregates' (research consent throughout the day, at least ONTAP_AGGREGATE_MIN_HOUSEHOLDS households, none above ONTAP_AGGREGATE_MAX_SHARE, complementary suppression), each day as published to utility partners and only where counting it today gives the same figures (else the whole day is withheld: \`changed_since_published\`). 409 \`nothing_to_publish\` when no figure passes, \`street_name_formula\` when a street's name begins with =, +, - or @ (rename it first), \`neighbourhood_archived\`.`,
        params: neighbourhoodParamsSchema,
        body: newReleaseSchema,
        response: { 201: publishedReleaseSchema, 400: errorSchema, 404: errorSchema, 409: errorSchema },
      },
    },
    async (request, reply) => {
      const release = await publishRelease(
        { db, dailyUse, settings },
        request.principal,
        request.params.neighbourhoodId,
        request.body,
        now(),
      );
      return reply.status(201).send(release);
    },
  );

  app.post(
    '/:neighbourhoodId/open-data/releases/:releaseId/withdraw',
    {
      config: { access: { roles: ['admin'] }, rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags: ['open data'],
        description:
          'Withdraw a release: its files are deleted, and asking for them is a 410 `release_withdrawn` that gives the reason; it stays listed as withdrawn. Copies already taken are beyond reach. Withdrawing it again changes nothing.',
        params: releaseParamsSchema,
        body: withdrawalSchema,
        response: { 200: releaseSchema, 400: errorSchema, 404: errorSchema },
      },
    },
    async (request) => {
      const { neighbourhoodId, releaseId } = request.params;
      return withdraw(db, neighbourhoodId, releaseId, request.body.reason, now());
    },
  );
};

export default openDataRoutes;
