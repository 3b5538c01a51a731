// Operator views: dead letters from ingest.

import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { rejectionCodes } from '../../../devices/contract/errors.ts';

/** Every reason ingest dead-letters with: filtering by any other is a mistake worth a 400. */
const rejectionReasons = Object.keys(rejectionCodes) as [keyof typeof rejectionCodes, ...(keyof typeof rejectionCodes)[]];

const adminRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/dead-letters',
    {
      config: { access: { roles: ['admin'] } },
      schema: {
        tags: ['admin'],
        description: 'Messages ingest rejected, newest first, with counts per reason.',
        querystring: z.object({
          reason: z.enum(rejectionReasons).optional(),
          limit: z.coerce.number().int().min(1).max(1000).default(100),
        }),
        response: {
          200: z.object({
            counts: z.record(z.string(), z.number()),
            letters: z.array(
              z.object({
                receivedAt: z.iso.datetime(),
                topic: z.string(),
                reason: z.string(),
                detail: z.string(),
                payload: z.string(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const { store } = app.ontap;
      const letters = await store.deadLetters({
        limit: request.query.limit,
        ...(request.query.reason ? { reason: request.query.reason } : {}),
      });
      return {
        counts: await store.deadLetterCounts(),
        letters: letters.map((l) => ({
          receivedAt: new Date(l.receivedAt).toISOString(),
          topic: l.topic,
          reason: l.reason,
          detail: l.detail,
          payload: l.payload,
        })),
      };
    },
  );
};

export default adminRoutes;
