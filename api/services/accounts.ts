// Accounts as the API sees them: sign-up by invitation, sign-in with a per-email lockout,
// sessions, who a caller is, and API tokens.
import { randomUUID } from 'node:crypto';
import { aliasKey } from '../../lib/aliases.ts';
import { letterCodeAsMade } from '../../lib/letter-codes.ts';
import {
  decodePasswordHash,
  encodePasswordHash,
  hashPassword,
  randomSecret,
  sha256,
  verifyAgainstNothing,
  verifyPassword,
} from '../../lib/passwords.ts';
import type { Database, Queryable } from '../../storage/metadata/database.ts';
import {
  accountCredentials,
  accountScope,
  apiTokensOf,
  claimSignInAttempt,
  clearSignInFailures,
  deleteApiToken,
  deleteSession,
  emailTaken,
  forgetOldSignInFailures,
  insertAccount,
  insertApiToken,
  insertSession,
  type LockoutRule,
} from '../../storage/metadata/repositories/accounts.ts';
import { aliasesInNeighbourhood, insertConsentChange, insertHousehold } from '../../storage/metadata/repositories/households.ts';
import { lockUsableInvitation, markInvitationUsed } from '../../storage/metadata/repositories/invitations.ts';
import { lockNeighbourhood, neighbourhoodState } from '../../storage/metadata/repositories/neighbourhoods.ts';
import { badRequest, conflict, notFound, unauthorized } from '../http-errors.ts';
import type { ApiToken, CreatedApiToken, Credentials, Me, NewApiToken, SignUp } from '../schemas/auth.ts';
import { neighbourhoodArchived } from './neighbourhoods.ts';

/** Lockout: this many failed sign-ins for one email within the window pause its password sign-in. */
export const SIGN_IN_LOCKOUT: LockoutRule = { failures: 10, windowMinutes: 15, lockMinutes: 15 };

const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === '23505';

/**
 * Creates the account an invitation is for (and a household, for a household invitation). One
 * transaction, everything checked before anything is written: the invitation is used only if the
 * account is made, and its row lock makes a second sign-up with the same code wait, then find it used.
 */
export async function signUp(db: Database, request: SignUp): Promise<string> {
  const { password, code, alias, occupants } = request;
  const email = request.email.toLowerCase();
  const passwordHash = encodePasswordHash(await hashPassword(password));
  // A letter's code typed off paper may differ in case or dashes from the one made (lib/letter-codes.ts).
  const hashes = [...new Set([code, letterCodeAsMade(code) ?? code])].map(sha256);
  return db
    .transaction(async (tx) => {
      let invitation: Awaited<ReturnType<typeof lockUsableInvitation>>;
      let codeHash = '';
      for (const hash of hashes) {
        invitation = await lockUsableInvitation(tx, hash);
        codeHash = hash;
        if (invitation) break;
      }
      if (!invitation)
        throw badRequest('the invitation code is unknown, used or expired', { reason: 'invitation_invalid', field: 'code' });
      if (invitation.neighbourhoodId !== null && (await neighbourhoodState(tx, invitation.neighbourhoodId))?.archived)
        throw neighbourhoodArchived(invitation.neighbourhoodId);
      if (await emailTaken(tx, email))
        throw conflict('an account with this email exists', { reason: 'email_taken', field: 'email' });
      let householdId: string | null = null;
      if (invitation.role === 'household') {
        if (!alias)
          throw badRequest('body.alias: a household needs an alias for leaderboards', {
            reason: 'alias_required',
            field: 'alias',
          });
        await claimAlias(tx, invitation.neighbourhoodId as string, alias);
        householdId = `hh-${randomSecret(9)}`;
        await insertHousehold(tx, { id: householdId, streetId: invitation.streetId as string, alias, occupants: occupants ?? 2 });
        await insertConsentChange(tx, { householdId, consent: 'challenge' });
      }
      const id = randomUUID();
      const actsForNeighbourhood = invitation.role === 'champion' || invitation.role === 'utility';
      await insertAccount(tx, {
        id,
        email,
        passwordHash,
        role: invitation.role,
        neighbourhoodId: actsForNeighbourhood ? invitation.neighbourhoodId : null,
        householdId,
      });
      await markInvitationUsed(tx, codeHash);
      return id;
    })
    .catch((error: unknown) => {
      // Two sign-ups with one email and two codes at once: the unique email decides.
      if (isUniqueViolation(error))
        throw conflict('an account with this email exists', { reason: 'email_taken', field: 'email' });
      throw error;
    });
}

/** Refuses an alias another household of the neighbourhood has, up to case and look-alike forms (aliasKey). */
async function claimAlias(tx: Queryable, neighbourhoodId: string, alias: string): Promise<void> {
  // The neighbourhood's row lock makes concurrent sign-ups there check one after the other.
  await lockNeighbourhood(tx, neighbourhoodId);
  const key = aliasKey(alias);
  if ((await aliasesInNeighbourhood(tx, neighbourhoodId)).some((taken) => aliasKey(taken) === key))
    throw conflict(`body.alias: a household in your neighbourhood is already called "${alias}": choose another`, {
      reason: 'alias_taken',
      field: 'alias',
    });
}

/**
 * Checks a password sign-in. The attempt is counted before the password is checked, per email,
 * known or not: a lockout says nothing about which emails exist. Resolves with the account, or
 * the minutes the email stays locked.
 */
export async function signIn(db: Database, credentials: Credentials): Promise<{ accountId: string } | { lockedMinutes: number }> {
  const email = credentials.email.toLowerCase();
  const lockedMinutes = await claimSignInAttempt(db, email, SIGN_IN_LOCKOUT);
  await forgetOldSignInFailures(db);
  if (lockedMinutes !== undefined) return { lockedMinutes };
  const account = await accountCredentials(db, email);
  const stored = account ? decodePasswordHash(account.passwordHash) : undefined;
  // An unknown email costs the same scrypt as a wrong password: timing tells nothing either.
  const valid = stored ? await verifyPassword(credentials.password, stored) : await verifyAgainstNothing(credentials.password);
  if (!account || !valid) throw unauthorized('wrong email or password', { reason: 'wrong_credentials' });
  await clearSignInFailures(db, email);
  return { accountId: account.id };
}

/** A new session: its token (for the cookie, kept only as a hash) and its CSRF token. */
export async function startSession(db: Database, accountId: string, days: number): Promise<{ token: string; csrfToken: string }> {
  const token = randomSecret(32);
  const csrfToken = randomSecret(18);
  await insertSession(db, { tokenHash: sha256(token), accountId, csrfToken, days });
  return { token, csrfToken };
}

export async function endSession(db: Database, token: string): Promise<void> {
  await deleteSession(db, sha256(token));
}

export async function me(db: Database, accountId: string, csrfToken: string | null): Promise<Me> {
  const scope = await accountScope(db, accountId);
  if (!scope) throw unauthorized();
  return { ...scope, csrfToken };
}

/** A bearer token for an integration: the secret is returned once, only its hash is kept. */
export async function createApiToken(db: Database, accountId: string, request: NewApiToken): Promise<CreatedApiToken> {
  const token = `ontap_${randomSecret(30)}`;
  const id = randomUUID();
  const expiresAt = await insertApiToken(db, { id, tokenHash: sha256(token), accountId, ...request });
  return { id, token, expiresAt: expiresAt.toISOString() };
}

/** The account's API tokens: names and dates only. */
export async function apiTokens(db: Database, accountId: string): Promise<ApiToken[]> {
  return (await apiTokensOf(db, accountId)).map((token) => ({
    id: token.id,
    name: token.name,
    createdAt: token.createdAt.toISOString(),
    expiresAt: token.expiresAt.toISOString(),
    lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
    expired: token.expired,
  }));
}

export async function revokeApiToken(db: Database, accountId: string, tokenId: string): Promise<void> {
  if (!(await deleteApiToken(db, tokenId, accountId)))
    throw notFound('you have no API token with this id', { reason: 'token_unknown' });
}
