// What anyone may read: leaderboards a champion made public (aliases only), for noticeboards and embedding.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { notFound } from '../../http-errors.ts';
import { loadChallenge } from '../../services/leaderboard.ts';
import { leaderboardSchema } from '../challenges/index.ts';
import { errorSchema, idSchema } from '../schemas.ts';

const publicRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/challenges/:challengeId/leaderboard',
    {
      config: { access: { public: true }, rateLimit: { max: 120, timeWindow: '1 minute' } },
      schema: {
        tags: ['public'],
        params: z.object({ challengeId: idSchema }),
        response: {
          200: leaderboardSchema.extend({ name: z.string(), startsOn: z.string(), endsOn: z.string() }),
          404: errorSchema,
        },
      },
    },
    async (request) => {
      const challenge = await loadChallenge(app.ontap.db, request.params.challengeId).catch(() => null);
      if (!challenge?.public) throw notFound('no public challenge with this id');
      const { board } = await app.ontap.leaderboards.get(challenge.id);
      return { ...board, name: challenge.name, startsOn: challenge.startsOn, endsOn: challenge.endsOn };
    },
  );
};

export default publicRoutes;
