// Accounts and how they prove who they are: sessions (cookies), API tokens (bearer), and the
// failed sign-ins that lock an email's password sign-in for a while.

import type { Role } from '../../../domain/people.ts';
import type { Queryable } from '../database.ts';

export type { Role };

export interface NewAccount {
  id: string;
  /** Stored as given: callers lower-case it. */
  email: string;
  passwordHash: string;
  role: Role;
  neighbourhoodId?: string | null;
  householdId?: string | null;
}

/** Who an account acts as: a household's neighbourhood comes through its street. */
export interface AccountScope {
  accountId: string;
  role: Role;
  householdId: string | null;
  neighbourhoodId: string | null;
}

export interface SessionPrincipal extends AccountScope {
  csrfToken: string;
}

export interface ApiTokenListing {
  id: string;
  name: string;
  createdAt: Date;
  expiresAt: Date;
  lastUsedAt: Date | null;
  expired: boolean;
}

// ---- accounts

export async function insertAccount(q: Queryable, account: NewAccount): Promise<void> {
  await q.query(
    'INSERT INTO accounts (id, email, password_hash, role, neighbourhood_id, household_id) VALUES ($1, $2, $3, $4, $5, $6)',
    [account.id, account.email, account.passwordHash, account.role, account.neighbourhoodId ?? null, account.householdId ?? null],
  );
}

export async function emailTaken(q: Queryable, email: string): Promise<boolean> {
  return (await q.query('SELECT 1 FROM accounts WHERE email = lower($1)', [email])).length > 0;
}

/** The account signing in with `email` (already lower-cased), if any. */
export async function accountCredentials(q: Queryable, email: string): Promise<{ id: string; passwordHash: string } | undefined> {
  const [row] = await q.query<{ id: string; passwordHash: string }>(
    'SELECT id, password_hash AS "passwordHash" FROM accounts WHERE email = $1',
    [email],
  );
  return row;
}

// A household's neighbourhood comes through its street.
const SCOPE_COLUMNS = `a.id AS "accountId", a.role, a.household_id AS "householdId",
  COALESCE(a.neighbourhood_id, (SELECT s.neighbourhood_id FROM households h JOIN streets s ON s.id = h.street_id WHERE h.id = a.household_id)) AS "neighbourhoodId"`;

export async function accountScope(q: Queryable, accountId: string): Promise<AccountScope | undefined> {
  const [row] = await q.query<AccountScope>(`SELECT ${SCOPE_COLUMNS} FROM accounts a WHERE a.id = $1`, [accountId]);
  return row;
}

export async function adminExists(q: Queryable): Promise<boolean> {
  return (await q.query("SELECT 1 FROM accounts WHERE role = 'admin' LIMIT 1")).length > 0;
}

export async function accountExists(q: Queryable, accountId: string): Promise<boolean> {
  return (await q.query('SELECT 1 FROM accounts WHERE id = $1', [accountId])).length > 0;
}

// ---- sessions

export async function insertSession(
  q: Queryable,
  session: { tokenHash: string; accountId: string; csrfToken: string; days: number },
): Promise<void> {
  await q.query(
    `INSERT INTO sessions (token_hash, account_id, csrf_token, expires_at) VALUES ($1, $2, $3, now() + ($4 || ' days')::interval)`,
    [session.tokenHash, session.accountId, session.csrfToken, String(session.days)],
  );
}

export async function deleteSession(q: Queryable, tokenHash: string): Promise<void> {
  await q.query('DELETE FROM sessions WHERE token_hash = $1', [tokenHash]);
}

/** The account of an unexpired session. */
export async function sessionPrincipal(q: Queryable, tokenHash: string): Promise<SessionPrincipal | undefined> {
  const [row] = await q.query<SessionPrincipal>(
    `SELECT ${SCOPE_COLUMNS}, s.csrf_token AS "csrfToken" FROM sessions s JOIN accounts a ON a.id = s.account_id
     WHERE s.token_hash = $1 AND s.expires_at > now()`,
    [tokenHash],
  );
  return row;
}

// ---- API tokens

export async function insertApiToken(
  q: Queryable,
  token: { id: string; tokenHash: string; accountId: string; name: string; validDays?: number },
): Promise<Date> {
  const [row] = await q.query<{ expiresAt: Date | string }>(
    `INSERT INTO api_tokens (id, token_hash, account_id, name, expires_at) VALUES ($1, $2, $3, $4, now() + make_interval(days => $5))
     RETURNING expires_at AS "expiresAt"`,
    [token.id, token.tokenHash, token.accountId, token.name, token.validDays ?? 90],
  );
  return new Date(row?.expiresAt as string | Date);
}

/** The account of an unexpired token, noting that it was used now. */
export async function useApiToken(q: Queryable, tokenHash: string): Promise<AccountScope | undefined> {
  const [row] = await q.query<AccountScope>(
    `UPDATE api_tokens t SET last_used_at = now() FROM accounts a
     WHERE t.token_hash = $1 AND t.expires_at > now() AND a.id = t.account_id RETURNING ${SCOPE_COLUMNS}`,
    [tokenHash],
  );
  return row;
}

/** When a known token expires (or expired). */
export async function apiTokenExpiry(q: Queryable, tokenHash: string): Promise<Date | undefined> {
  const [row] = await q.query<{ expiresAt: Date | string }>(
    'SELECT expires_at AS "expiresAt" FROM api_tokens WHERE token_hash = $1',
    [tokenHash],
  );
  return row ? new Date(row.expiresAt) : undefined;
}

export async function apiTokensOf(q: Queryable, accountId: string): Promise<ApiTokenListing[]> {
  const rows = await q.query<ApiTokenListing>(
    `SELECT id, name, created_at AS "createdAt", expires_at AS "expiresAt", last_used_at AS "lastUsedAt", expires_at <= now() AS expired
     FROM api_tokens WHERE account_id = $1 ORDER BY created_at`,
    [accountId],
  );
  return rows.map((row) => ({
    ...row,
    createdAt: new Date(row.createdAt),
    expiresAt: new Date(row.expiresAt),
    lastUsedAt: row.lastUsedAt === null ? null : new Date(row.lastUsedAt),
  }));
}

/** Whether the account had the token (it is gone now). */
export async function deleteApiToken(q: Queryable, id: string, accountId: string): Promise<boolean> {
  return (await q.query('DELETE FROM api_tokens WHERE id = $1 AND account_id = $2 RETURNING id', [id, accountId])).length > 0;
}

export async function deleteApiTokensOf(q: Queryable, accountId: string): Promise<void> {
  await q.query('DELETE FROM api_tokens WHERE account_id = $1', [accountId]);
}

/** A token's name (the bench keeps its plain token there for a rerun). */
export async function apiTokenName(q: Queryable, id: string): Promise<string | undefined> {
  const [row] = await q.query<{ name: string }>('SELECT name FROM api_tokens WHERE id = $1', [id]);
  return row?.name;
}

// ---- failed sign-ins

export interface LockoutRule {
  failures: number;
  windowMinutes: number;
  lockMinutes: number;
}

/**
 * Counts a sign-in attempt for `email` in one statement, so parallel guesses cannot all slip in
 * before the limit is written. Resolves with the minutes left when the email is locked.
 */
export async function claimSignInAttempt(q: Queryable, email: string, rule: LockoutRule): Promise<number | undefined> {
  const [row] = await q.query<{ minutes: number | null }>(
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
    [email, rule.windowMinutes, rule.failures, rule.lockMinutes],
  );
  return row?.minutes ?? undefined;
}

/** Forgets attempts older than a day that lock nothing, so guessing at many emails does not grow the table for ever. */
export async function forgetOldSignInFailures(q: Queryable): Promise<void> {
  await q.query(
    `DELETE FROM sign_in_failures WHERE first_failed_at < now() - interval '1 day' AND (locked_until IS NULL OR locked_until < now())`,
  );
}

export async function clearSignInFailures(q: Queryable, email: string): Promise<void> {
  await q.query('DELETE FROM sign_in_failures WHERE email = $1', [email]);
}

/** Failed sign-ins are kept by email address, which is personal data too. */
export async function clearSignInFailuresOfHousehold(q: Queryable, householdId: string): Promise<void> {
  await q.query('DELETE FROM sign_in_failures WHERE email IN (SELECT email FROM accounts WHERE household_id = $1)', [
    householdId,
  ]);
}

/** The accounts of a household (its export). */
export async function householdAccounts(
  q: Queryable,
  householdId: string,
): Promise<{ email: string; role: Role; createdAt: Date }[]> {
  const rows = await q.query<{ email: string; role: Role; createdAt: Date }>(
    'SELECT email, role, created_at AS "createdAt" FROM accounts WHERE household_id = $1',
    [householdId],
  );
  return rows.map((row) => ({ ...row, createdAt: new Date(row.createdAt) }));
}
