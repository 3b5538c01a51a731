// First run: an admin from ONTAP_ADMIN_EMAIL / ONTAP_ADMIN_PASSWORD, or else a one-time setup
// code to sign up with. Never a default password.
import { randomUUID } from 'node:crypto';
import { encodePasswordHash, hashPassword, randomSecret, sha256 } from '../lib/passwords.ts';
import type { Database } from '../storage/metadata/database.ts';
import { adminExists, insertAccount } from '../storage/metadata/repositories/accounts.ts';
import { insertInvitation } from '../storage/metadata/repositories/invitations.ts';

export type Bootstrap = { admin: 'exists' } | { admin: 'created'; email: string } | { admin: 'setup'; code: string };

export async function bootstrapAdmin(db: Database, fromEnvironment?: { email: string; password: string }): Promise<Bootstrap> {
  if (await adminExists(db)) return { admin: 'exists' };
  if (fromEnvironment) {
    const email = fromEnvironment.email.toLowerCase();
    await insertAccount(db, {
      id: randomUUID(),
      email,
      passwordHash: encodePasswordHash(await hashPassword(fromEnvironment.password)),
      role: 'admin',
    });
    return { admin: 'created', email };
  }
  const code = randomSecret(18);
  await insertInvitation(db, { codeHash: sha256(code), role: 'admin', expiresAt: new Date(Date.now() + 86_400_000) });
  return { admin: 'setup', code };
}
