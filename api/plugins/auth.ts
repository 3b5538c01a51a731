// Who is calling, and may they? Session cookies (httpOnly, SameSite=Strict) for people, bearer
// tokens for utility integrations; both stored only as SHA-256 hashes. State-changing requests
// on a session need the session's CSRF token in `x-csrf-token` (synchronizer token pattern).
// Every route declares `config.access`; a route without one is refused (fail closed).
import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { type Role, roles } from '../../domain/people.ts';
import { sha256 } from '../../lib/passwords.ts';
import type { Database } from '../../storage/metadata/database.ts';
import {
  type AccountScope,
  apiTokenExpiry,
  type SessionPrincipal,
  sessionPrincipal,
  useApiToken,
} from '../../storage/metadata/repositories/accounts.ts';
import { neighbourhoodOfChallenge } from '../../storage/metadata/repositories/challenges.ts';
import { neighbourhoodOfHousehold } from '../../storage/metadata/repositories/households.ts';
import { forbidden, unauthorized } from '../http-errors.ts';
import type { Principal } from '../principal.ts';

// sha256 is lib/passwords.ts's: re-exported for the tests that hash tokens as this plugin does.
export { type Role, roles, sha256 };

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

const principalOf = (scope: AccountScope & Partial<SessionPrincipal>, via: Principal['via']): Principal => {
  const principal: Principal = { accountId: scope.accountId, role: scope.role, via };
  if (scope.householdId) principal.householdId = scope.householdId;
  if (scope.neighbourhoodId) principal.neighbourhoodId = scope.neighbourhoodId;
  if (scope.csrfToken) principal.csrfToken = scope.csrfToken;
  return principal;
};

async function identify(db: Database, request: FastifyRequest): Promise<Principal | null> {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) {
    const tokenHash = sha256(header.slice('Bearer '.length).trim());
    const scope = await useApiToken(db, tokenHash);
    if (scope) return principalOf(scope, 'token');
    const expiredOn = await apiTokenExpiry(db, tokenHash);
    if (expiredOn) {
      const day = expiredOn.toISOString().slice(0, 10);
      throw unauthorized(`this API token expired on ${day}: create a new one`);
    }
    throw unauthorized('unknown or revoked API token');
  }
  const token = request.cookies[SESSION_COOKIE];
  if (!token) return null;
  const session = await sessionPrincipal(db, sha256(token));
  return session ? principalOf(session, 'session') : null;
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
  if (params.householdId !== undefined) return (await neighbourhoodOfHousehold(db, params.householdId)) ?? null;
  if (params.challengeId !== undefined) return (await neighbourhoodOfChallenge(db, params.challengeId)) ?? null;
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
  if (!access.roles.includes(principal.role)) throw forbidden(`not for a ${principal.role} account`, { reason: 'wrong_role' });
  if (principal.role === 'admin') return;
  if (principal.role === 'household' && params.householdId !== undefined && params.householdId !== principal.householdId) {
    throw forbidden('that is not your household', { reason: 'not_your_household' });
  }
  const neighbourhood = await neighbourhoodOfParams(db, params);
  if (neighbourhood !== undefined && neighbourhood !== principal.neighbourhoodId)
    throw forbidden('that is not your neighbourhood', { reason: 'not_your_neighbourhood' });
}

export default fp(
  async (app: FastifyInstance, options: { db: Database }) => {
    await app.register(cookie);
    app.decorateRequest('principal', null);
    // An address no route answers goes to the not-found handler, which holds no data: it answers
    // 404 whoever calls (no access rule to refuse it for, no credentials to check).
    app.addHook('onRequest', async (request) => {
      if (request.is404) return;
      request.principal = await identify(options.db, request);
    });
    // Before validation: a caller who may not use a route learns nothing about its inputs.
    app.addHook('preValidation', async (request) => {
      if (request.is404 || request.url.startsWith('/docs')) return;
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
        throw forbidden('missing or wrong x-csrf-token header (take it from GET /api/auth/me)', { reason: 'csrf' });
      }
    });
  },
  { name: 'auth' },
);
