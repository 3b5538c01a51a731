// Sign-up by invitation, sign-in (with a per-account lockout), sign-out, who am I, API tokens.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { verifyAgainstNothing } from '../../../lib/passwords.ts';
import { forbidden, HttpError } from '../../http-errors.ts';
import { roles, SESSION_COOKIE } from '../../plugins/auth.ts';
import {
  apiTokenSchema,
  createdApiTokenSchema,
  credentialsSchema,
  meSchema,
  newApiTokenSchema,
  signUpSchema,
  tokenParamsSchema,
} from '../../schemas/auth.ts';
import { errorSchema } from '../../schemas/common.ts';
import {
  apiTokens,
  createApiToken,
  endSession,
  revokeApiToken,
  SIGN_IN_LOCKOUT,
  signIn,
  signUp,
  startSession,
  me as whoIs,
} from '../../services/accounts.ts';

export { SIGN_IN_LOCKOUT };

const authLimit = { rateLimit: { max: 10, timeWindow: '1 minute' } };

const authRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, settings } = app.ontap;
  // Made now, so the first sign-in with an unknown email costs no more than later ones.
  await verifyAgainstNothing('');

  /** Starts a session on a cookie; resolves with its CSRF token. */
  async function sessionCookie(accountId: string, request: FastifyRequest, reply: FastifyReply): Promise<string> {
    const { token, csrfToken } = await startSession(db, accountId, settings.sessionDays);
    reply.setCookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'strict',
      // Over TLS, or behind a trusted proxy that says the client used https (ONTAP_TRUST_PROXY).
      secure: settings.secureCookies || request.protocol === 'https',
      path: '/',
      maxAge: settings.sessionDays * 86_400,
    });
    return csrfToken;
  }

  app.post(
    '/login',
    {
      config: { access: { public: true }, ...authLimit },
      schema: { tags: ['auth'], body: credentialsSchema, response: { 200: meSchema, 401: errorSchema } },
    },
    async (request, reply) => {
      const outcome = await signIn(db, request.body);
      if ('lockedMinutes' in outcome) {
        const minutes = outcome.lockedMinutes;
        reply.header('retry-after', String(minutes * 60));
        throw new HttpError(
          429,
          'too_many_requests',
          `too many failed sign-ins for this email: try again in ${minutes} minute${minutes === 1 ? '' : 's'}`,
          { reason: 'locked_out' },
        );
      }
      const csrfToken = await sessionCookie(outcome.accountId, request, reply);
      return whoIs(db, outcome.accountId, csrfToken);
    },
  );

  app.post(
    '/signup',
    {
      config: { access: { public: true }, ...authLimit },
      schema: {
        tags: ['auth'],
        description: 'Create an account with an invitation code from a champion (households) or an admin (champions, utilities).',
        body: signUpSchema,
        response: { 201: meSchema, 400: errorSchema, 409: errorSchema },
      },
    },
    async (request, reply) => {
      const accountId = await signUp(db, request.body);
      const csrfToken = await sessionCookie(accountId, request, reply);
      return reply.status(201).send(await whoIs(db, accountId, csrfToken));
    },
  );

  app.post(
    '/logout',
    { config: { access: { roles } }, schema: { tags: ['auth'], response: { 204: z.null() } } },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token) await endSession(db, token);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  app.get('/me', { config: { access: { roles } }, schema: { tags: ['auth'], response: { 200: meSchema } } }, async (request) => {
    const principal = request.principal as NonNullable<typeof request.principal>;
    return whoIs(db, principal.accountId, principal.csrfToken ?? null);
  });

  const tokenOwners = { roles: ['utility', 'admin'] as const };

  app.post(
    '/tokens',
    {
      config: { access: tokenOwners },
      schema: {
        tags: ['auth'],
        description:
          'A bearer token for an integration; shown once, kept only as a hash. It expires (default 90 days, at most 365).',
        body: newApiTokenSchema,
        response: { 201: createdApiTokenSchema, 403: errorSchema },
      },
    },
    async (request, reply) => {
      // A token that could make tokens would outlive its own expiry and revocation.
      if (request.principal?.via === 'token') throw forbidden('create API tokens when signed in, not with a token');
      return reply.status(201).send(await createApiToken(db, request.principal?.accountId as string, request.body));
    },
  );

  app.get(
    '/tokens',
    {
      config: { access: tokenOwners },
      schema: {
        tags: ['auth'],
        description: "Your API tokens: names and dates only (a token's secret is never shown again).",
        response: { 200: z.array(apiTokenSchema) },
      },
    },
    async (request) => apiTokens(db, request.principal?.accountId as string),
  );

  app.delete(
    '/tokens/:tokenId',
    {
      config: { access: tokenOwners },
      schema: {
        tags: ['auth'],
        description: 'Revoke one of your API tokens: it is refused from now on.',
        params: tokenParamsSchema,
        response: { 204: z.null(), 404: errorSchema },
      },
    },
    async (request, reply) => {
      await revokeApiToken(db, request.principal?.accountId as string, request.params.tokenId);
      return reply.status(204).send(null);
    },
  );
};

export default authRoutes;
