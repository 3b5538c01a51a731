// What anyone may read: leaderboards a champion made public, for noticeboards and embedding.
// The rule: aliases, rank and saving for complete days only — no live figure, no litres (litres
// beside a saving and its days give away a baseline), no member counts.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { notFound } from '../../http-errors.ts';
import { errorSchema } from '../../schemas/common.ts';
import { publicBoardParamsSchema, publicBoardSchema } from '../../schemas/public.ts';
import { boardOfCancelled, loadChallenge } from '../../services/leaderboard.ts';

const publicRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/challenges/:challengeId/leaderboard',
    {
      config: { access: { public: true }, rateLimit: { max: 120, timeWindow: '1 minute' } },
      schema: {
        tags: ['public'],
        description:
          'The board of a challenge its champion made public (404 `not_found` otherwise; reason `challenge_cancelled` once it was cancelled).',
        params: publicBoardParamsSchema,
        response: { 200: publicBoardSchema, 404: errorSchema },
      },
    },
    async (request) => {
      const challenge = await loadChallenge(app.ontap.db, request.params.challengeId).catch(() => null);
      if (!challenge?.public) throw notFound('no public challenge with this id', { reason: 'challenge_unknown' });
      if (challenge.lifecycle === 'cancelled') throw boardOfCancelled(challenge.id);
      const { publicBoard } = await app.ontap.leaderboards.get(challenge.id);
      return { ...publicBoard, name: challenge.name, startsOn: challenge.startsOn, endsOn: challenge.endsOn };
    },
  );
};

export default publicRoutes;
