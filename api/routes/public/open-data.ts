// Open-data releases, for anyone: the listing of a neighbourhood's releases and each release's
// files exactly as published. A release's files never change, so caches may keep them without
// asking again; for a day only, so that a withdrawal reaches them.
import { createHash } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiErrorBody } from '../../schemas/common.ts';
import { errorSchema } from '../../schemas/common.ts';
import { publicReleasesParamsSchema, publicReleasesSchema, releaseFileParamsSchema } from '../../schemas/open-data.ts';
import { publicReleaseFile, publicReleases } from '../../services/open-data.ts';

const RELEASE_FILE_CACHE = 'public, max-age=86400, immutable';
/** Open data is for any site's scripts too: nothing here depends on who asks. */
const anyOrigin = { 'access-control-allow-origin': '*', 'cross-origin-resource-policy': 'cross-origin' };

const publicOpenDataRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.ontap;

  app.get(
    '/:neighbourhoodId',
    {
      config: { access: { public: true }, rateLimit: { max: 120, timeWindow: '1 minute' } },
      schema: {
        tags: ['public'],
        description:
          "A neighbourhood's open-data releases, newest first, withdrawn ones too (404 `no_releases` when it published none).",
        params: publicReleasesParamsSchema,
        response: { 200: publicReleasesSchema, 404: errorSchema },
      },
    },
    async (request, reply) => {
      const listing = await publicReleases(db, request.params.neighbourhoodId);
      reply.headers({ ...anyOrigin, 'cache-control': 'no-cache' });
      return listing;
    },
  );

  app.get(
    '/:neighbourhoodId/:releaseId/:file',
    {
      config: { access: { public: true }, rateLimit: { max: 120, timeWindow: '1 minute' } },
      schema: {
        tags: ['public'],
        description:
          "A release's file as published, byte for byte: `datapackage.json` (application/json) or one of its resources (text/csv). Cached for a day as immutable, with an ETag. 404 `release_unknown` or `file_unknown`; 410 `release_withdrawn`, with the reason, once withdrawn.",
        params: releaseFileParamsSchema,
        response: { 304: z.null().describe('not modified: the ETag given is still its'), 404: errorSchema, 410: errorSchema },
      },
    },
    async (request, reply) => {
      const { neighbourhoodId, releaseId, file } = request.params;
      const stored = await publicReleaseFile(db, neighbourhoodId, releaseId, file);
      const etag = `"${createHash('sha256').update(stored.content).digest('base64url')}"`;
      reply.headers({ ...anyOrigin, 'cache-control': RELEASE_FILE_CACHE, etag });
      if (request.headers['if-none-match'] === etag) return reply.status(304).send(null);
      // Sent as stored: the descriptor's hashes are of these bytes. (The reply's types know only the JSON errors.)
      const content: unknown = stored.content;
      return reply.type(`${stored.mediaType}; charset=utf-8`).send(content as ApiErrorBody);
    },
  );
};

export default publicOpenDataRoutes;
