// The embedded broker's view of meters registered through the API: a meter's user name is its
// id behind the meter prefix (devices/contract/identities.ts), its password is checked against
// the scrypt hash in the metadata database.

import { meterIdOfUsername } from '../devices/contract/identities.ts';
import { decodePasswordHash, verifyAgainstNothing, verifyPassword } from '../lib/passwords.ts';
import type { Database } from '../storage/metadata/database.ts';
import { meterCredentials } from '../storage/metadata/repositories/meters.ts';
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
    const credentials = await meterCredentials(this.#db, meterId);
    const stored = credentials?.passwordHash ? decodePasswordHash(credentials.passwordHash) : undefined;
    if (!stored) return verifyAgainstNothing(password).then(() => null);
    if (!(await verifyPassword(password, stored))) return null;
    return credentials?.clientId ? { role: 'meter', meterId, clientId: credentials.clientId } : { role: 'meter', meterId };
  }
}
