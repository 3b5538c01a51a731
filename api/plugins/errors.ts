// Every error leaves as JSON { error, message } with the right status; never a stack trace.
import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { HttpError } from '../http-errors.ts';

export default fp(
  async (app: FastifyInstance) => {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      if (error instanceof HttpError) return reply.status(error.statusCode).send({ error: error.code, message: error.message });
      if (hasZodFastifySchemaValidationErrors(error)) {
        const issues = error.validation.map((issue) => {
          const path = issue.instancePath.replace(/^\//, '').replace(/\//g, '.');
          return `${error.validationContext ?? 'request'}${path ? `.${path}` : ''}: ${issue.message}`;
        });
        return reply.status(400).send({ error: 'bad_request', message: issues.join('; ') });
      }
      if (error.statusCode === 429) return reply.status(429).send({ error: 'too_many_requests', message: error.message });
      if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
        return reply.status(error.statusCode).send({ error: 'bad_request', message: error.message });
      }
      request.log.error({ err: error }, 'request failed');
      return reply.status(500).send({ error: 'internal', message: 'something went wrong on our side' });
    });
    app.setNotFoundHandler((request, reply) =>
      reply.status(404).send({ error: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}` }),
    );
  },
  { name: 'errors' },
);
