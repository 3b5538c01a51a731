// Sign-up by invitation, sign-in (with a per-account lockout), sign-out, who am I, API tokens.
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { aliasKey } from '../../../lib/aliases.ts';
import {
  decodePasswordHash,
  encodePasswordHash,
  hashPassword,
  PASSWORD_MIN_LENGTH,
  passwordProblem,
  randomSecret,
  verifyAgainstNothing,
  verifyPassword,
} from '../../../lib/passwords.ts';
import type { Queryable } from '../../../storage/metadata/database.ts';
import { badRequest, conflict, forbidden, HttpError, notFound, unauthorized } from '../../http-errors.ts';
import { roles, SESSION_COOKIE, sha256 } from '../../plugins/auth.ts';
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

/** Lockout: this many failed sign-ins for one email within the window pause its password sign-in. */
export const SIGN_IN_LOCKOUT = { failures: 10, windowMinutes: 15, lockMinutes: 15 } as const;
const TOKEN_DAYS = { default: 90, max: 365 } as const;

const tokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().nullable(),
  expired: z.boolean(),
});
const iso = (value: unknown) => new Date(value as string | Date).toISOString();

const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === '23505';
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

  async function startSession(accountId: string, request: FastifyRequest, reply: FastifyReply): Promise<string> {
    const token = randomSecret(32);
    const csrfToken = randomSecret(18);
    await db.query(
      `INSERT INTO sessions (token_hash, account_id, csrf_token, expires_at) VALUES ($1, $2, $3, now() + ($4 || ' days')::interval)`,
      [sha256(token), accountId, csrfToken, String(settings.sessionDays)],
    );
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

  /**
   * Counts a sign-in attempt for `email` before its password is checked, in one statement, so
   * that parallel guesses cannot all slip in before the tenth failure is written (review finding:
   * the check ran before scrypt, the count after). Resolves with the minutes left when the email
   * is locked (and this attempt refused); a successful sign-in forgets the count.
   */
  async function claimAttempt(email: string): Promise<number | undefined> {
    const { failures, windowMinutes, lockMinutes } = SIGN_IN_LOCKOUT;
    const [row] = await db.query<{ minutes: number | null }>(
      `INSERT INTO sign_in_failures AS f (email, failures, first_failed_at) VALUES ($1, 1, now())
       ON CONFLICT (email) DO UPDATE SET
         failures = CASE WHEN f.locked_until > now() THEN f.failures
           WHEN f.first_failed_at < now() - make_interval(mins => $2) THEN 1 ELSE f.failures + 1 END,
         first_failed_at = CASE WHEN f.locked_until > now() THEN f.first_failed_at
           WHEN f.first_failed_at < now() - make_interval(mins => $2) THEN now() ELSE f.first_failed_at END,
         locked_until = CASE WHEN f.locked_until > now() THEN f.locked_until
           WHEN f.first_failed_at >= now() - make_interval(mins => $2) AND f.failures + 1 > $3
             THEN now() + make_interval(mins => $4) ELSE f.locked_until END
       RETURNING CASE WHEN locked_until > now() THEN ceil(extract(epoch FROM locked_until - now()) / 60)::int END AS minutes`,
      [email, windowMinutes, failures, lockMinutes],
    );
    // Forget old attempts, so guessing at many emails does not grow the table for ever.
    await db.query(
      `DELETE FROM sign_in_failures WHERE first_failed_at < now() - interval '1 day' AND (locked_until IS NULL OR locked_until < now())`,
    );
    return row?.minutes ?? undefined;
  }

  async function meOf(accountId: string, csrfToken: string | null) {
    const rows = await db.query<{ role: (typeof roles)[number]; household_id: string | null; neighbourhood_id: string | null }>(
      `SELECT a.role, a.household_id, COALESCE(a.neighbourhood_id, s.neighbourhood_id) AS neighbourhood_id
       FROM accounts a LEFT JOIN households h ON h.id = a.household_id LEFT JOIN streets s ON s.id = h.street_id WHERE a.id = $1`,
      [accountId],
    );
    const row = rows[0];
    if (!row) throw unauthorized();
    return { accountId, role: row.role, householdId: row.household_id, neighbourhoodId: row.neighbourhood_id, csrfToken };
  }

  app.post(
    '/login',
    {
      config: { access: { public: true }, ...authLimit },
      schema: { tags: ['auth'], body: credentials, response: { 200: me, 401: errorSchema } },
    },
    async (request, reply) => {
      const email = request.body.email.toLowerCase();
      // Counted before the password is checked, per email, known or not: a lockout says nothing
      // about which emails exist.
      const lockedMinutes = await claimAttempt(email);
      if (lockedMinutes !== undefined) {
        reply.header('retry-after', String(lockedMinutes * 60));
        throw new HttpError(
          429,
          'too_many_requests',
          `too many failed sign-ins for this email: try again in ${lockedMinutes} minute${lockedMinutes === 1 ? '' : 's'}`,
        );
      }
      const rows = await db.query<{ id: string; password_hash: string }>(
        'SELECT id, password_hash FROM accounts WHERE email = $1',
        [email],
      );
      const stored = rows[0] ? decodePasswordHash(rows[0].password_hash) : undefined;
      // An unknown email costs the same scrypt as a wrong password: timing tells nothing either.
      const valid = stored
        ? await verifyPassword(request.body.password, stored)
        : await verifyAgainstNothing(request.body.password);
      if (!rows[0] || !valid) throw unauthorized('wrong email or password');
      await db.query('DELETE FROM sign_in_failures WHERE email = $1', [email]);
      const csrfToken = await startSession(rows[0].id, request, reply);
      return meOf(rows[0].id, csrfToken);
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
      const { email, password, code, alias, occupants } = request.body;
      const passwordHash = encodePasswordHash(await hashPassword(password));
      // One transaction: the invitation is used only if the account is made, and the row lock
      // on it makes a second sign-up with the same code wait, then find it used.
      const accountId = await db
        .transaction(async (tx) => {
          const invitation = (
            await tx.query<{
              neighbourhood_id: string | null;
              role: 'household' | 'champion' | 'utility' | 'admin';
              street_id: string | null;
            }>(
              'UPDATE invitations SET used_at = now() WHERE code_hash = $1 AND used_at IS NULL AND expires_at > now() RETURNING neighbourhood_id, role, street_id',
              [sha256(code)],
            )
          )[0];
          if (!invitation) throw badRequest('the invitation code is unknown, used or expired');
          if ((await tx.query('SELECT 1 FROM accounts WHERE email = lower($1)', [email])).length > 0)
            throw conflict('an account with this email exists');
          let householdId: string | null = null;
          if (invitation.role === 'household') {
            if (!alias) throw badRequest('body.alias: a household needs an alias for leaderboards');
            householdId = `hh-${randomSecret(9)}`;
            await claimAlias(tx, invitation.neighbourhood_id as string, alias);
            await tx.query('INSERT INTO households (id, street_id, alias, occupants) VALUES ($1, $2, $3, $4)', [
              householdId,
              invitation.street_id,
              alias,
              occupants ?? 2,
            ]);
            await tx.query("INSERT INTO consent_changes (household_id, consent) VALUES ($1, 'challenge')", [householdId]);
          }
          const id = randomUUID();
          await tx.query(
            'INSERT INTO accounts (id, email, password_hash, role, neighbourhood_id, household_id) VALUES ($1, lower($2), $3, $4, $5, $6)',
            [
              id,
              email,
              passwordHash,
              invitation.role,
              invitation.role === 'household' || invitation.role === 'admin' ? null : invitation.neighbourhood_id,
              householdId,
            ],
          );
          return id;
        })
        .catch((error: unknown) => {
          // Two sign-ups with one email and two codes at once: the unique email decides.
          if (isUniqueViolation(error)) throw conflict('an account with this email exists');
          throw error;
        });
      const csrfToken = await startSession(accountId, request, reply);
      return reply.status(201).send(await meOf(accountId, csrfToken));
    },
  );

  /** Refuses an alias another household of the neighbourhood has, up to case and look-alike forms (aliasKey). */
  async function claimAlias(tx: Queryable, neighbourhoodId: string, alias: string): Promise<void> {
    // The neighbourhood's row lock makes concurrent sign-ups there check one after the other.
    await tx.query('SELECT 1 FROM neighbourhoods WHERE id = $1 FOR UPDATE', [neighbourhoodId]);
    const taken = await tx.query<{ alias: string }>(
      'SELECT h.alias FROM households h JOIN streets s ON s.id = h.street_id WHERE s.neighbourhood_id = $1',
      [neighbourhoodId],
    );
    const key = aliasKey(alias);
    if (taken.some((row) => aliasKey(row.alias) === key))
      throw conflict(`body.alias: a household in your neighbourhood is already called "${alias}": choose another`);
  }

  app.post(
    '/logout',
    { config: { access: { roles } }, schema: { tags: ['auth'], response: { 204: z.null() } } },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token) await db.query('DELETE FROM sessions WHERE token_hash = $1', [sha256(token)]);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  app.get('/me', { config: { access: { roles } }, schema: { tags: ['auth'], response: { 200: me } } }, async (request) => {
    const principal = request.principal as NonNullable<typeof request.principal>;
    return meOf(principal.accountId, principal.csrfToken ?? null);
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
      const token = `ontap_${randomSecret(30)}`;
      const id = randomUUID();
      const rows = await db.query<{ expires_at: Date | string }>(
        `INSERT INTO api_tokens (id, token_hash, account_id, name, expires_at) VALUES ($1, $2, $3, $4, now() + make_interval(days => $5))
         RETURNING expires_at`,
        [id, sha256(token), request.principal?.accountId, request.body.name, request.body.validDays],
      );
      return reply.status(201).send({ id, token, expiresAt: iso(rows[0]?.expires_at) });
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
    async (request) => {
      const rows = await db.query<{
        id: string;
        name: string;
        created_at: Date;
        expires_at: Date;
        last_used_at: Date | null;
        expired: boolean;
      }>(
        'SELECT id, name, created_at, expires_at, last_used_at, expires_at <= now() AS expired FROM api_tokens WHERE account_id = $1 ORDER BY created_at',
        [request.principal?.accountId],
      );
      return rows.map((row) => ({
        id: row.id,
        name: row.name,
        createdAt: iso(row.created_at),
        expiresAt: iso(row.expires_at),
        lastUsedAt: row.last_used_at ? iso(row.last_used_at) : null,
        expired: row.expired,
      }));
    },
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
      const rows = await db.query('DELETE FROM api_tokens WHERE id = $1 AND account_id = $2 RETURNING id', [
        request.params.tokenId,
        request.principal?.accountId,
      ]);
      if (rows.length === 0) throw notFound('you have no API token with this id');
      return reply.status(204).send(null);
    },
  );
};

export default authRoutes;
