// One schema, many uses: routes declare zod schemas; this plugin makes them the validator, the
// serializer and the OpenAPI document (/docs/json; the dashboard reads it at /docs).
import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';

export default fp(
  async (app: FastifyInstance) => {
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    await app.register(swagger, {
      openapi: {
        info: { title: 'OnTap API', version: '1', description: 'Households, consent, challenges, scoring and leaderboards.' },
        components: {
          securitySchemes: {
            session: { type: 'apiKey', in: 'cookie', name: 'ontap_session' },
            token: { type: 'http', scheme: 'bearer' },
          },
        },
      },
      transform: jsonSchemaTransform,
      // Schemas with an id (`.meta({ id })`) become components, so their $refs resolve.
      transformObject: jsonSchemaTransformObject,
    });
    app.get('/docs/json', { schema: { hide: true } }, async () => app.swagger());
  },
  { name: 'schemas' },
);
