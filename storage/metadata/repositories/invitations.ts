// Sign-up invitation codes, kept as hashes: one use each, until they expire.
import type { Queryable } from '../database.ts';
import type { Role } from './accounts.ts';

export interface NewInvitation {
  codeHash: string;
  role: Role;
  /** None for the first admin's setup code. */
  neighbourhoodId?: string | null;
  /** The street a new household lives on (household invitations only). */
  streetId?: string | null;
  createdBy?: string | null;
  expiresAt: Date;
}

export interface UsableInvitation {
  role: Role;
  neighbourhoodId: string | null;
  streetId: string | null;
}

export async function insertInvitation(q: Queryable, invitation: NewInvitation): Promise<void> {
  await q.query(
    'INSERT INTO invitations (code_hash, neighbourhood_id, role, street_id, created_by, expires_at) VALUES ($1, $2, $3, $4, $5, $6)',
    [
      invitation.codeHash,
      invitation.neighbourhoodId ?? null,
      invitation.role,
      invitation.streetId ?? null,
      invitation.createdBy ?? null,
      invitation.expiresAt,
    ],
  );
}

/** Household invitations to one street, all in one statement (an invitation pack's letters). */
export async function insertStreetInvitations(
  q: Queryable,
  invitations: {
    codeHashes: readonly string[];
    neighbourhoodId: string;
    streetId: string;
    createdBy: string | null;
    expiresAt: Date;
  },
): Promise<void> {
  await q.query(
    `INSERT INTO invitations (code_hash, neighbourhood_id, role, street_id, created_by, expires_at)
     SELECT h, $2, 'household', $3, $4, $5 FROM unnest($1::text[]) AS h`,
    [invitations.codeHashes, invitations.neighbourhoodId, invitations.streetId, invitations.createdBy, invitations.expiresAt],
  );
}

/**
 * An unused, unexpired invitation, locked until the transaction ends: a second sign-up with the
 * same code waits, then finds it used.
 */
export async function lockUsableInvitation(q: Queryable, codeHash: string): Promise<UsableInvitation | undefined> {
  const [row] = await q.query<UsableInvitation>(
    `SELECT role, neighbourhood_id AS "neighbourhoodId", street_id AS "streetId" FROM invitations
     WHERE code_hash = $1 AND used_at IS NULL AND expires_at > now() FOR UPDATE`,
    [codeHash],
  );
  return row;
}

export async function markInvitationUsed(q: Queryable, codeHash: string): Promise<void> {
  await q.query('UPDATE invitations SET used_at = now() WHERE code_hash = $1', [codeHash]);
}

export async function invitationUsed(q: Queryable, codeHash: string): Promise<boolean> {
  const [row] = await q.query<{ used: boolean }>('SELECT used_at IS NOT NULL AS used FROM invitations WHERE code_hash = $1', [
    codeHash,
  ]);
  return row?.used ?? false;
}
