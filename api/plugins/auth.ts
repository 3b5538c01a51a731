// Who is calling, and may they? Session cookies (httpOnly, SameSite=Strict) for people, bearer
// tokens for utility integrations; both stored only as SHA-256 hashes. State-changing requests
// on a session need the session's CSRF token in `x-csrf-token` (synchronizer token pattern).
// Every route declares `config.access`; a route without one is refused (fail closed).
import { createHash } from 'node:crypto';
import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Database } from '../../storage/metadata/database.ts';
import { forbidden, unauthorized } from '../http-errors.ts';

export const roles = ['household', 'champion', 'utility', 'admin'] as const;
export type Role = (typeof roles)[number];

export interface Principal {
  accountId: string;
  role: Role;
  householdId?: string;
  /** The neighbourhood a champion or utility acts for, or a household lives in. */
  neighbourhoodId?: string;
  via: 'session' | 'token';
  csrfToken?: string;
}

/**
 * Who may call a route. With `roles`, the caller must have one of them; an `:householdId`,
 * `:neighbourhoodId` or `:challengeId` in the path must then be the caller's own (a household's
 * own household; a champion's or utility's own neighbourhood). Admins may call everything.
 */
export type Access = { public: true } | { roles: readonly Role[] };

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    access?: Access;
  }
}

export const SESSION_COOKIE = 'ontap_session';
export const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url');

interface PrincipalRow {
  account_id: string;
  role: Role;
  household_id: string | null;
  neighbourhood_id: string | null;
  csrf_token?: string;
}

const principalOf = (row: PrincipalRow, via: Principal['via']): Principal => {
  const principal: Principal = { accountId: row.account_id, role: row.role, via };
  if (row.household_id) principal.householdId = row.household_id;
  if (row.neighbourhood_id) principal.neighbourhoodId = row.neighbourhood_id;
  if (row.csrf_token) principal.csrfToken = row.csrf_token;
  return principal;
};

// A household's neighbourhood comes through its street.
const PRINCIPAL_COLUMNS = `a.id AS account_id, a.role, a.household_id,
  COALESCE(a.neighbourhood_id, (SELECT s.neighbourhood_id FROM households h JOIN streets s ON s.id = h.street_id WHERE h.id = a.household_id)) AS neighbourhood_id`;

async function identify(db: Database, request: FastifyRequest): Promise<Principal | null> {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) {
    const tokenHash = sha256(header.slice('Bearer '.length).trim());
    const rows = await db.query<PrincipalRow>(
      `UPDATE api_tokens t SET last_used_at = now() FROM accounts a
       WHERE t.token_hash = $1 AND t.expires_at > now() AND a.id = t.account_id RETURNING ${PRINCIPAL_COLUMNS}`,
      [tokenHash],
    );
    if (rows[0]) return principalOf(rows[0], 'token');
    const expired = await db.query<{ expires_at: Date | string }>('SELECT expires_at FROM api_tokens WHERE token_hash = $1', [
      tokenHash,
    ]);
    if (expired[0]) {
      const day = new Date(expired[0].expires_at).toISOString().slice(0, 10);
      throw unauthorized(`this API token expired on ${day}: create a new one`);
    }
    throw unauthorized('unknown or revoked API token');
  }
  const token = request.cookies[SESSION_COOKIE];
  if (!token) return null;
  const rows = await db.query<PrincipalRow>(
    `SELECT ${PRINCIPAL_COLUMNS}, s.csrf_token FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE s.token_hash = $1 AND s.expires_at > now()`,
    [sha256(token)],
  );
  return rows[0] ? principalOf(rows[0], 'session') : null;
}

/**
 * Whether the caller who opened a long-lived response (an event stream) is still signed in as
 * then: the session not signed out or expired, the token not revoked or expired.
 */
export async function stillSignedIn(db: Database, request: FastifyRequest): Promise<boolean> {
  const then = request.principal;
  if (!then) return true;
  try {
    return (await identify(db, request))?.accountId === then.accountId;
  } catch {
    return false;
  }
}

/** The neighbourhood a path parameter belongs to, for the ownership check. */
async function neighbourhoodOfParams(db: Database, params: Record<string, string>): Promise<string | undefined | null> {
  if (params.neighbourhoodId !== undefined) return params.neighbourhoodId;
  if (params.householdId !== undefined) {
    const rows = await db.query<{ id: string }>(
      'SELECT s.neighbourhood_id AS id FROM households h JOIN streets s ON s.id = h.street_id WHERE h.id = $1',
      [params.householdId],
    );
    return rows[0]?.id ?? null;
  }
  if (params.challengeId !== undefined) {
    const rows = await db.query<{ id: string }>('SELECT neighbourhood_id AS id FROM challenges WHERE id = $1', [
      params.challengeId,
    ]);
    return rows[0]?.id ?? null;
  }
  return undefined;
}

export async function authorize(
  db: Database,
  principal: Principal | null,
  access: Access | undefined,
  params: Record<string, string>,
): Promise<void> {
  if (!access) throw forbidden('this route has no access rule');
  if ('public' in access) return;
  if (!principal) throw unauthorized();
  if (!access.roles.includes(principal.role)) throw forbidden(`not for a ${principal.role} account`);
  if (principal.role === 'admin') return;
  if (principal.role === 'household' && params.householdId !== undefined && params.householdId !== principal.householdId) {
    throw forbidden('that is not your household');
  }
  const neighbourhood = await neighbourhoodOfParams(db, params);
  if (neighbourhood !== undefined && neighbourhood !== principal.neighbourhoodId)
    throw forbidden('that is not your neighbourhood');
}

export default fp(
  async (app: FastifyInstance, options: { db: Database }) => {
    await app.register(cookie);
    app.decorateRequest('principal', null);
    app.addHook('onRequest', async (request) => {
      request.principal = await identify(options.db, request);
    });
    // Before validation: a caller who may not use a route learns nothing about its inputs.
    app.addHook('preValidation', async (request) => {
      if (request.url.startsWith('/docs')) return;
      await authorize(
        options.db,
        request.principal,
        request.routeOptions.config.access,
        request.params as Record<string, string>,
      );
      const changesState = !['GET', 'HEAD', 'OPTIONS'].includes(request.method);
      if (
        changesState &&
        request.principal?.via === 'session' &&
        request.headers['x-csrf-token'] !== request.principal.csrfToken
      ) {
        throw forbidden('missing or wrong x-csrf-token header (take it from GET /api/auth/me)');
      }
    });
  },
  { name: 'auth' },
);
