// Sign-up by invitation, sign-in, sign-out, who am I, API tokens.
import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { decodePasswordHash, encodePasswordHash, hashPassword, randomSecret, verifyPassword } from '../../../lib/passwords.ts';
import { badRequest, conflict, unauthorized } from '../../http-errors.ts';
import { roles, SESSION_COOKIE, sha256 } from '../../plugins/auth.ts';
import { errorSchema, idSchema } from '../schemas.ts';

const credentials = z.object({ email: z.email().max(200), password: z.string().min(10, 'at least 10 characters').max(200) });
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

  async function startSession(accountId: string, reply: import('fastify').FastifyReply): Promise<string> {
    const token = randomSecret(32);
    const csrfToken = randomSecret(18);
    await db.query(
      `INSERT INTO sessions (token_hash, account_id, csrf_token, expires_at) VALUES ($1, $2, $3, now() + ($4 || ' days')::interval)`,
      [sha256(token), accountId, csrfToken, String(settings.sessionDays)],
    );
    reply.setCookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: settings.secureCookies,
      path: '/',
      maxAge: settings.sessionDays * 86_400,
    });
    return csrfToken;
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
      const rows = await db.query<{ id: string; password_hash: string }>(
        'SELECT id, password_hash FROM accounts WHERE email = lower($1)',
        [request.body.email],
      );
      const stored = rows[0] ? decodePasswordHash(rows[0].password_hash) : undefined;
      if (!rows[0] || !stored || !(await verifyPassword(request.body.password, stored)))
        throw unauthorized('wrong email or password');
      const csrfToken = await startSession(rows[0].id, reply);
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
        body: credentials.extend({
          code: z.string().min(8).max(100),
          alias: z.string().trim().min(2).max(40).optional().describe('the name shown on leaderboards (households)'),
          occupants: z.number().int().min(1).max(20).optional(),
        }),
        response: { 201: me, 400: errorSchema, 409: errorSchema },
      },
    },
    async (request, reply) => {
      const { email, password, code, alias, occupants } = request.body;
      const invitation = (
        await db.query<{
          neighbourhood_id: string | null;
          role: 'household' | 'champion' | 'utility' | 'admin';
          street_id: string | null;
        }>(
          'UPDATE invitations SET used_at = now() WHERE code_hash = $1 AND used_at IS NULL AND expires_at > now() RETURNING neighbourhood_id, role, street_id',
          [sha256(code)],
        )
      )[0];
      if (!invitation) throw badRequest('the invitation code is unknown, used or expired');
      if ((await db.query('SELECT 1 FROM accounts WHERE email = lower($1)', [email])).length > 0)
        throw conflict('an account with this email exists');
      if (invitation.role === 'household' && !alias) throw badRequest('body.alias: a household needs an alias for leaderboards');
      const accountId = randomUUID();
      let householdId: string | null = null;
      if (invitation.role === 'household') {
        householdId = `hh-${randomSecret(9)}`;
        await db.query('INSERT INTO households (id, street_id, alias, occupants) VALUES ($1, $2, $3, $4)', [
          householdId,
          invitation.street_id,
          alias,
          occupants ?? 2,
        ]);
        await db.query("INSERT INTO consent_changes (household_id, consent) VALUES ($1, 'challenge')", [householdId]);
      }
      await db.query(
        'INSERT INTO accounts (id, email, password_hash, role, neighbourhood_id, household_id) VALUES ($1, lower($2), $3, $4, $5, $6)',
        [
          accountId,
          email,
          encodePasswordHash(await hashPassword(password)),
          invitation.role,
          invitation.role === 'household' || invitation.role === 'admin' ? null : invitation.neighbourhood_id,
          householdId,
        ],
      );
      const csrfToken = await startSession(accountId, reply);
      return reply.status(201).send(await meOf(accountId, csrfToken));
    },
  );

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

  app.post(
    '/tokens',
    {
      config: { access: { roles: ['utility', 'admin'] } },
      schema: {
        tags: ['auth'],
        description: 'A bearer token for an integration; shown once, kept only as a hash.',
        body: z.object({ name: z.string().trim().min(1).max(80) }),
        response: { 201: z.object({ id: idSchema, token: z.string() }) },
      },
    },
    async (request, reply) => {
      const token = `ontap_${randomSecret(30)}`;
      const id = randomUUID();
      await db.query('INSERT INTO api_tokens (id, token_hash, account_id, name) VALUES ($1, $2, $3, $4)', [
        id,
        sha256(token),
        request.principal?.accountId,
        request.body.name,
      ]);
      return reply.status(201).send({ id, token });
    },
  );
};

export default authRoutes;
