// The embedded broker's view of meters registered through the API: a meter's user name is its
// id behind the meter prefix (devices/contract/identities.ts), its password is checked against
// the scrypt hash in the metadata database.

import { meterIdOfUsername } from '../devices/contract/identities.ts';
import { decodePasswordHash, verifyAgainstNothing, verifyPassword } from '../lib/passwords.ts';
import type { Database } from '../storage/metadata/database.ts';
import type { BrokerAuthority, BrokerIdentity } from './credentials.ts';

export class MeterAuthority implements BrokerAuthority {
  readonly #db: Database;
  constructor(db: Database) {
    this.#db = db;
  }

  async authenticate(username: string, password: string): Promise<BrokerIdentity | null> {
    const meterId = meterIdOfUsername(username);
    // Every refusal costs one scrypt, so the time to answer does not tell which meter ids exist.
    if (meterId === undefined) return verifyAgainstNothing(password).then(() => null);
    const rows = await this.#db.query<{ password_hash: string | null; client_id: string | null }>(
      'SELECT password_hash, client_id FROM meters WHERE id = $1',
      [meterId],
    );
    const stored = rows[0]?.password_hash ? decodePasswordHash(rows[0].password_hash) : undefined;
    if (!stored) return verifyAgainstNothing(password).then(() => null);
    if (!(await verifyPassword(password, stored))) return null;
    return rows[0]?.client_id ? { role: 'meter', meterId, clientId: rows[0].client_id } : { role: 'meter', meterId };
  }
}
