// One schema, many uses: routes declare zod schemas; this plugin makes them the validator, the
// serializer and the OpenAPI document (/docs/json; the dashboard reads it at /docs).
import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';

type Transform = typeof jsonSchemaTransform;
type TransformObject = typeof jsonSchemaTransformObject;
type Operations = Record<string, Record<string, { requestBody?: { required?: boolean } }>>;

/**
 * @fastify/swagger calls every request body required. A route whose body schema accepts none
 * (`.optional()`) is marked so here, so the document and the clients made from it say so.
 */
function optionalBodies(): { transform: Transform; transformObject: TransformObject } {
  const optional = new Set<string>();
  const documentPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
  return {
    transform: (input) => {
      const body = (input.schema as { body?: unknown } | undefined)?.body;
      if (body instanceof z.ZodType && body.safeParse(undefined).success)
        for (const method of [input.route.method].flat()) optional.add(`${method.toLowerCase()} ${documentPath(input.url)}`);
      return jsonSchemaTransform(input);
    },
    transformObject: (input) => {
      const document = jsonSchemaTransformObject(input) as { paths?: Operations };
      for (const [path, operations] of Object.entries(document.paths ?? {}))
        for (const [method, operation] of Object.entries(operations))
          if (operation.requestBody && optional.has(`${method} ${path}`)) operation.requestBody.required = false;
      return document as ReturnType<TransformObject>;
    },
  };
}

export default fp(
  async (app: FastifyInstance) => {
    const { transform, transformObject } = optionalBodies();
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
      transform,
      // Schemas with an id (`.meta({ id })`) become components, so their $refs resolve.
      transformObject,
    });
    app.get('/docs/json', { schema: { hide: true } }, async () => app.swagger());
  },
  { name: 'schemas' },
);
