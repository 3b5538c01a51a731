// Sign-up by invitation, sign-in (with a per-account lockout), sign-out, who am I, API tokens.
import { normalizeIP } from '@fastify/rate-limit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { verifyAgainstNothing } from '../../../lib/passwords.ts';
import { type FailureRule, RecentFailures } from '../../../lib/recent-failures.ts';
import { forbidden, HttpError } from '../../http-errors.ts';
import { roles, SESSION_COOKIE } from '../../plugins/auth.ts';
import {
  apiTokenSchema,
  createdApiTokenSchema,
  credentialsSchema,
  meSchema,
  newApiTokenSchema,
  type SignUp,
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

/** Sign-in, per client address (on top of the per-email lockout, SIGN_IN_LOCKOUT). */
const signInLimit = { rateLimit: { max: 10, timeWindow: '1 minute' } };

const TEN_MINUTES = 10 * 60_000;
/**
 * Sign-up, per client address: a community evening signs many households up behind one
 * connection, mistyped passwords and all. Invitation codes are long random secrets, so guessing
 * them is hopeless; still, wrong codes are what is limited hard (SIGN_UP_WRONG_CODES).
 */
export const SIGN_UP_LIMIT = { max: 120, timeWindow: TEN_MINUTES };
/** Wrong (unknown, used or expired) invitation codes per client address: beyond, 429 `too_many_wrong_codes`. */
export const SIGN_UP_WRONG_CODES: FailureRule = { max: 20, windowMs: TEN_MINUTES };

const minutesFrom = (ms: number) => Math.max(1, Math.ceil(ms / 60_000));
const tooManyRequests = (reply: FastifyReply, waitMs: number, message: string, reason: string) => {
  const minutes = minutesFrom(waitMs);
  reply.header('retry-after', String(minutes * 60));
  return new HttpError(429, 'too_many_requests', `${message}: try again in ${minutes} minute${minutes === 1 ? '' : 's'}`, {
    reason,
  });
};

const authRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db, settings, now } = app.ontap;
  // Made now, so the first sign-in with an unknown email costs no more than later ones.
  await verifyAgainstNothing('');
  const wrongCodes = new RecentFailures(SIGN_UP_WRONG_CODES, now);

  /** Signs up, counting wrong codes per address (keyed as the rate limits key it: an IPv6 address by its /64). */
  async function signUpCountingWrongCodes(body: SignUp, request: FastifyRequest, reply: FastifyReply): Promise<string> {
    if (!app.ontap.rateLimits) return signUp(db, body);
    const address = normalizeIP(request.ip);
    const waitMs = wrongCodes.waitMs(address);
    if (waitMs > 0)
      throw tooManyRequests(reply, waitMs, 'too many wrong invitation codes from your address', 'too_many_wrong_codes');
    try {
      return await signUp(db, body);
    } catch (error) {
      if (error instanceof HttpError && error.detail?.reason === 'invitation_invalid') wrongCodes.record(address);
      throw error;
    }
  }

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
      config: { access: { public: true }, ...signInLimit },
      schema: { tags: ['auth'], body: credentialsSchema, response: { 200: meSchema, 401: errorSchema, 429: errorSchema } },
    },
    async (request, reply) => {
      const outcome = await signIn(db, request.body);
      if ('lockedMinutes' in outcome)
        throw tooManyRequests(reply, outcome.lockedMinutes * 60_000, 'too many failed sign-ins for this email', 'locked_out');
      const csrfToken = await sessionCookie(outcome.accountId, request, reply);
      return whoIs(db, outcome.accountId, csrfToken);
    },
  );

  app.post(
    '/signup',
    {
      config: { access: { public: true }, rateLimit: SIGN_UP_LIMIT },
      schema: {
        tags: ['auth'],
        description: `Create an account with an invitation code from a champion (households) or an admin (champions, utilities). Per client address: ${SIGN_UP_LIMIT.max} sign-up requests in 10 minutes, and after ${SIGN_UP_WRONG_CODES.max} wrong (unknown, used or expired) codes in 10 minutes none until the first of them is 10 minutes old (429 \`too_many_wrong_codes\`).`,
        body: signUpSchema,
        response: { 201: meSchema, 400: errorSchema, 409: errorSchema, 429: errorSchema },
      },
    },
    async (request, reply) => {
      const accountId = await signUpCountingWrongCodes(request.body, request, reply);
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
