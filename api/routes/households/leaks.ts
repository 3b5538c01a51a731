// A household's leaks: the warning now, its episodes over any stretch of history (back-filled
// included) with litres lost and their cost, and its mark on each (docs/leaks.md). Registered
// under /api/households by index.ts, with the access rule of every household route.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { addDays, localDate } from '../../../lib/time.ts';
import { badRequest } from '../../http-errors.ts';
import { errorSchema } from '../../schemas/common.ts';
import { householdParamsSchema as params } from '../../schemas/households.ts';
import {
  householdLeaksSchema,
  LEAK_WINDOW_DEFAULT_DAYS,
  LEAK_WINDOW_MAX_DAYS,
  leakMarkBodySchema,
  leakMarkParamsSchema,
  leakMarkReceiptSchema,
  leakSchema,
  leaksQuerySchema,
} from '../../schemas/leaks.ts';
import { householdOf } from '../../services/households.ts';
import { currentLeak, householdLeaks, markLeakEpisode } from '../../services/leak-episodes.ts';

const ownData = { roles: ['household', 'admin'] as const };

const leakRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, store, settings, now } = app.ontap;

  app.get(
    '/:householdId/leak',
    {
      config: { access: ownData },
      schema: {
        tags: ['households'],
        description:
          'Possible leak now: the water meter has not had one clock hour without consumption for 24 hours up to its latest reading (an episode running now, as …/leaks lists it), with its start and the mark the household gave it.',
        params,
        response: { 200: leakSchema },
      },
    },
    async (request) => currentLeak({ db, store }, await householdOf(db, request.params.householdId), now()),
  );

  app.get(
    '/:householdId/leaks',
    {
      config: { access: ownData },
      schema: {
        tags: ['households'],
        description: `Leak episodes that overlap the household's local days \`from\`…\`to\` (default the last ${LEAK_WINDOW_DEFAULT_DAYS}; at most ${LEAK_WINDOW_MAX_DAYS}), back-filled history included: runs of at least 24 clock hours each with water use, each with its start, end (null while ongoing), litres lost (the continuous flow under all use) and their cost at the tariff in force, and the household's mark. Newest first.`,
        params,
        querystring: leaksQuerySchema,
        response: { 200: householdLeaksSchema, 400: errorSchema },
      },
    },
    async (request) => {
      const household = await householdOf(db, request.params.householdId);
      const to = request.query.to ?? localDate(now(), household.timeZone);
      const from = request.query.from ?? addDays(to, -(LEAK_WINDOW_DEFAULT_DAYS - 1));
      if (to < from)
        throw badRequest('querystring.to: must not be before from', { reason: 'to_before_from', field: 'to', in: 'querystring' });
      if ((Date.parse(to) - Date.parse(from)) / 86_400_000 + 1 > LEAK_WINDOW_MAX_DAYS)
        throw badRequest(`querystring: at most ${LEAK_WINDOW_MAX_DAYS} days`, { reason: 'span_too_long' });
      return householdLeaks({ db, store }, settings.waterTariff, household, { from, to }, now());
    },
  );

  app.put(
    '/:householdId/leaks/:start/mark',
    {
      config: { access: ownData, rateLimit: { max: 60, timeWindow: '1 minute' } },
      schema: {
        tags: ['households'],
        description:
          "Mark the episode that starts at `start` (its `start` in …/leaks): fixed (it was a leak, now repaired) or expected (no leak: watering, filling a pool); null takes the mark away. A marked episode running now is not in its champion's count. 404 `leak_episode_unknown` when none of the household's episodes starts there.",
        params: leakMarkParamsSchema,
        body: leakMarkBodySchema,
        response: { 200: leakMarkReceiptSchema, 400: errorSchema, 404: errorSchema },
      },
    },
    async (request) => {
      const household = await householdOf(db, request.params.householdId);
      const start = Date.parse(request.params.start);
      return markLeakEpisode({ db, store }, household, start, request.body.mark, now());
    },
  );
};

export default leakRoutes;
