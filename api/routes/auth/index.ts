// Sign-up by invitation, sign-in (with a per-account lockout), sign-out, who am I, API tokens.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PASSWORD_MIN_LENGTH, passwordProblem, verifyAgainstNothing } from '../../../lib/passwords.ts';
import { forbidden, HttpError } from '../../http-errors.ts';
import { roles, SESSION_COOKIE } from '../../plugins/auth.ts';
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
import { aliasSchema, errorSchema, idSchema } from '../schemas.ts';

// Sign-in takes any password an account may have (10 characters was the minimum before 12).
const credentials = z.object({ email: z.email().max(200), password: z.string().min(10, 'at least 10 characters').max(200) });
const newCredentials = z.object({
  email: z.email().max(200),
  password: z
    .string()
    .min(PASSWORD_MIN_LENGTH, `at least ${PASSWORD_MIN_LENGTH} characters`)
    .max(200)
    .describe('at least 12 characters; not a common password, nor the email address'),
});

export { SIGN_IN_LOCKOUT };

const TOKEN_DAYS = { default: 90, max: 365 } as const;

const tokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().nullable(),
  expired: z.boolean(),
});
const me = z.object({
  accountId: z.string(),
  role: z.enum(roles),
  householdId: z.string().nullable(),
  neighbourhoodId: z.string().nullable(),
  csrfToken: z.string().nullable().describe('send it as x-csrf-token with every state-changing request on this session'),
});
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
      schema: { tags: ['auth'], body: credentials, response: { 200: me, 401: errorSchema } },
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
        body: newCredentials
          .extend({
            code: z.string().min(8).max(100),
            alias: aliasSchema
              .optional()
              .describe(
                'the name shown on leaderboards (households): 2 to 40 visible characters, one alphabet, unlike any other in the neighbourhood',
              ),
            occupants: z.number().int().min(1).max(20).optional(),
          })
          .superRefine((body, context) => {
            const problem = passwordProblem(body.password, body.email);
            if (problem) context.addIssue({ code: 'custom', path: ['password'], message: problem });
          }),
        response: { 201: me, 400: errorSchema, 409: errorSchema },
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

  app.get('/me', { config: { access: { roles } }, schema: { tags: ['auth'], response: { 200: me } } }, async (request) => {
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
        body: z.object({
          name: z.string().trim().min(1).max(80),
          validDays: z.number().int().min(1).max(TOKEN_DAYS.max).default(TOKEN_DAYS.default),
        }),
        response: { 201: z.object({ id: idSchema, token: z.string(), expiresAt: z.iso.datetime() }), 403: errorSchema },
      },
    },
    async (request, reply) => {
      // A token that could make tokens would outlive its own expiry and revocation.
      if (request.principal?.via === 'token') throw forbidden('create API tokens when signed in, not with a token');
      const { id, token, expiresAt } = await createApiToken(db, request.principal?.accountId as string, request.body);
      return reply.status(201).send({ id, token, expiresAt: expiresAt.toISOString() });
    },
  );

  app.get(
    '/tokens',
    {
      config: { access: tokenOwners },
      schema: {
        tags: ['auth'],
        description: "Your API tokens: names and dates only (a token's secret is never shown again).",
        response: { 200: z.array(tokenSchema) },
      },
    },
    async (request) =>
      (await apiTokens(db, request.principal?.accountId as string)).map((token) => ({
        id: token.id,
        name: token.name,
        createdAt: token.createdAt.toISOString(),
        expiresAt: token.expiresAt.toISOString(),
        lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
        expired: token.expired,
      })),
  );

  app.delete(
    '/tokens/:tokenId',
    {
      config: { access: tokenOwners },
      schema: {
        tags: ['auth'],
        description: 'Revoke one of your API tokens: it is refused from now on.',
        params: z.object({ tokenId: idSchema }),
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
