// Moves stored times into the past, so tests need not wait for a window, a lock or an expiry to pass.
import type { Queryable } from '../database.ts';

/**
 * Dates the failed sign-ins (of one email, or all) `minutes` back; `unlock` ends their lock too,
 * as if it had run out.
 */
export async function backdateSignInFailures(
  q: Queryable,
  options: { minutes: number; email?: string; unlock?: boolean },
): Promise<void> {
  await q.query(
    `UPDATE sign_in_failures SET first_failed_at = now() - make_interval(mins => $1),
       locked_until = CASE WHEN $2 THEN now() - interval '1 second' ELSE locked_until END
     WHERE $3::text IS NULL OR email = $3`,
    [options.minutes, options.unlock ?? false, options.email ?? null],
  );
}

/** Makes an API token a minute past its expiry. */
export async function expireApiToken(q: Queryable, tokenId: string): Promise<void> {
  await q.query("UPDATE api_tokens SET expires_at = now() - interval '1 minute' WHERE id = $1", [tokenId]);
}

/** Dates every tombstone of an erased meter `days` back. */
export async function backdateTombstones(q: Queryable, days: number): Promise<void> {
  await q.query('UPDATE erased_meters SET erased_at = now() - make_interval(days => $1)', [days]);
}
