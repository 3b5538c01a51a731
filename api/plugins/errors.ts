// Every error leaves as JSON in the Error schema ({ error, message, reason?, fields? }) with the
// right status; never a stack trace. Validation errors list each field at fault with zod's issue
// code and limit, so a client can word them for its users instead of showing zod's English.
import type { FastifyError, FastifyInstance, FastifySchemaValidationError } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { HttpError } from '../http-errors.ts';
import type { ApiErrorBody } from '../schemas/common.ts';

type FieldIssue = NonNullable<ApiErrorBody['fields']>[number];

function fieldIssue(issue: FastifySchemaValidationError, where: string): FieldIssue {
  const field = issue.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const params = issue.params as { maximum?: unknown; minimum?: unknown; params?: { reason?: unknown } };
  const limit = [params.maximum, params.minimum].find((value) => typeof value === 'number' || typeof value === 'bigint');
  // A custom rule (an alias's, say) names itself in its params.
  const reason = params.params?.reason;
  const code = issue.keyword === 'custom' && typeof reason === 'string' ? reason : issue.keyword;
  return { in: where, field, code, ...(limit !== undefined ? { limit: Number(limit) } : {}) };
}

export interface ErrorsOptions {
  /** The HTML page for an unknown address asked for by a browser (the dashboard's 404 page). */
  notFoundPage?: () => string | undefined;
}

export default fp(
  async (app: FastifyInstance, options: ErrorsOptions) => {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      if (error instanceof HttpError) {
        const { detail } = error;
        const body: ApiErrorBody = { error: error.code, message: error.message };
        if (detail) {
          body.reason = detail.reason;
          if (detail.field) body.fields = [{ in: detail.in ?? 'body', field: detail.field, code: detail.reason }];
        }
        return reply.status(error.statusCode).send(body);
      }
      if (hasZodFastifySchemaValidationErrors(error)) {
        const where = error.validationContext ?? 'request';
        const fields = error.validation.map((issue) => fieldIssue(issue, where));
        const message = error.validation
          .map((issue, i) => `${where}${fields[i]?.field ? `.${fields[i].field}` : ''}: ${issue.message}`)
          .join('; ');
        return reply.status(400).send({ error: 'bad_request', message, reason: 'invalid_fields', fields });
      }
      if (error.statusCode === 429) return reply.status(429).send({ error: 'too_many_requests', message: error.message });
      if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
        return reply.status(error.statusCode).send({ error: 'bad_request', message: error.message });
      }
      request.log.error({ err: error }, 'request failed');
      return reply.status(500).send({ error: 'internal', message: 'something went wrong on our side' });
    });
    app.setNotFoundHandler((request, reply) => {
      const path = request.url.split('?')[0] ?? '/';
      // A person who followed a wrong link gets a page; a program gets JSON.
      const page = options.notFoundPage?.();
      if (page && request.method === 'GET' && !path.startsWith('/api/') && request.headers.accept?.includes('text/html')) {
        return reply.status(404).type('text/html; charset=utf-8').send(page);
      }
      return reply.status(404).send({ error: 'not_found', message: `no route ${request.method} ${path}` });
    });
  },
  { name: 'errors' },
);
