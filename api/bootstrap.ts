// First run: an admin from ONTAP_ADMIN_EMAIL / ONTAP_ADMIN_PASSWORD, or else a one-time setup
// code to sign up with. Never a default password.
import { randomUUID } from 'node:crypto';
import { encodePasswordHash, hashPassword, randomSecret } from '../lib/passwords.ts';
import type { Database } from '../storage/metadata/database.ts';
import { sha256 } from './plugins/auth.ts';

export type Bootstrap = { admin: 'exists' } | { admin: 'created'; email: string } | { admin: 'setup'; code: string };

export async function bootstrapAdmin(db: Database, fromEnvironment?: { email: string; password: string }): Promise<Bootstrap> {
  if ((await db.query("SELECT 1 FROM accounts WHERE role = 'admin' LIMIT 1")).length > 0) return { admin: 'exists' };
  if (fromEnvironment) {
    await db.query("INSERT INTO accounts (id, email, password_hash, role) VALUES ($1, lower($2), $3, 'admin')", [
      randomUUID(),
      fromEnvironment.email,
      encodePasswordHash(await hashPassword(fromEnvironment.password)),
    ]);
    return { admin: 'created', email: fromEnvironment.email.toLowerCase() };
  }
  const code = randomSecret(18);
  await db.query("INSERT INTO invitations (code_hash, role, expires_at) VALUES ($1, 'admin', now() + interval '1 day')", [
    sha256(code),
  ]);
  return { admin: 'setup', code };
}
